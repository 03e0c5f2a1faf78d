package httpmw_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aftershock/aftershock/throttle"
	"github.com/aftershock/aftershock/throttle/httpmw"
)

// TestRedeemNeedsItsInstant: a reserving control lets in a client that comes
// back holding its booking when it falls due; one that comes back early is
// told its booking again (the same instant, nothing booked anew), and a
// header that is no instant holds no booking.
func TestRedeemNeedsItsInstant(t *testing.T) {
	r, _ := throttle.NewReserve(throttle.ReserveConfig{Rate: 0.1, Burst: 1}) // a slot every 10 s
	clk := newClock()
	m := mustNew(t, r, httpmw.Options{Now: clk.Now})
	h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	serve(h, get())
	w := serve(h, get())
	at := w.Header().Get(httpmw.RetryAtHeader)
	forged := get()
	forged.Header.Set(httpmw.RetryAtHeader, "now please")
	if w := serve(h, forged); w.Code != http.StatusTooManyRequests || w.Header().Get(httpmw.RetryAtHeader) == "" {
		t.Errorf("a header that is no instant: %d, booking %q; want 429 and a booking of its own", w.Code, w.Header().Get(httpmw.RetryAtHeader))
	}
	clk.Add(4 * time.Second)
	early := get()
	early.Header.Set(httpmw.RetryAtHeader, at)
	w = serve(h, early)
	if w.Code != http.StatusTooManyRequests || w.Header().Get(httpmw.RetryAtHeader) != at || w.Header().Get("Retry-After") != "6" {
		t.Errorf("back 6 s early: %d, %q, Retry-After %q; want 429, the same booking %q, 6", w.Code, w.Header().Get(httpmw.RetryAtHeader), w.Header().Get("Retry-After"), at)
	}
	clk.Add(6 * time.Second)
	back := get()
	back.Header.Set(httpmw.RetryAtHeader, at)
	if c := serve(h, back).Code; c != 200 {
		t.Errorf("back when due: %d, want 200", c)
	}
}
