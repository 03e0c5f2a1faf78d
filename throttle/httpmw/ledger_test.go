package httpmw_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aftershock/aftershock/throttle"
	"github.com/aftershock/aftershock/throttle/httpmw"
)

// TestRedeemOnlyWhatWasBooked: in its own format the middleware keeps the
// bookings it handed out, so that redeemed never exceeds booked. An
// instant already past that it never booked (forged) is no booking: the
// client is booked like any other arrival. A booking redeems once: sent
// back again, it is no booking. One redeemed later than BookingTTL after it
// fell due is forgotten. A forged instant still ahead is not told back
// either: it gets a booking of its own.
func TestRedeemOnlyWhatWasBooked(t *testing.T) {
	r, _ := throttle.NewReserve(throttle.ReserveConfig{Rate: 0.1, Burst: 1}) // a slot every 10 s
	clk := newClock()
	m := mustNew(t, r, httpmw.Options{Now: clk.Now, BookingTTL: 30 * time.Second})
	h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	with := func(at string) *http.Request {
		q := get()
		q.Header.Set(httpmw.RetryAtHeader, at)
		return q
	}
	serve(h, get()) // takes the slot
	at := serve(h, get()).Header().Get(httpmw.RetryAtHeader)
	for _, forged := range []string{"2000-01-01T00:00:00Z", clk.Now().Format(time.RFC3339Nano)} {
		w := serve(h, with(forged))
		if w.Code != http.StatusTooManyRequests || w.Header().Get(httpmw.RetryAtHeader) == forged {
			t.Errorf("a forged instant %s: %d, booked %q; want 429 and a booking of its own", forged, w.Code, w.Header().Get(httpmw.RetryAtHeader))
		}
	}
	ahead := clk.Now().Add(5 * time.Second).Format(time.RFC3339Nano)
	if w := serve(h, with(ahead)); w.Code != http.StatusTooManyRequests || w.Header().Get(httpmw.RetryAtHeader) == ahead {
		t.Errorf("a forged instant ahead: %d, %q; want 429 and a booking of its own", w.Code, w.Header().Get(httpmw.RetryAtHeader))
	}
	if n := m.Counts(); n.Redeemed != 0 {
		t.Fatalf("counts %+v: nothing booked was due, want none redeemed", n)
	}
	clk.Add(10 * time.Second)
	if c := serve(h, with(at)).Code; c != http.StatusOK {
		t.Errorf("back when due: %d, want 200", c)
	}
	if w := serve(h, with(at)); w.Code != http.StatusTooManyRequests {
		t.Errorf("the same booking again: %d, want 429 (redeemed once)", w.Code)
	}
	n := m.Counts()
	if n.Redeemed != 1 || n.Redeemed > n.Booked {
		t.Errorf("counts %+v: want 1 redeemed, no more than booked", n)
	}
	// A booking fallen due more than BookingTTL ago is forgotten.
	late := serve(h, get()).Header().Get(httpmw.RetryAtHeader)
	due, _ := time.Parse(time.RFC3339Nano, late)
	clk.Add(due.Sub(clk.Now()) + 31*time.Second)
	if w := serve(h, with(late)); w.Code != http.StatusOK || m.Counts().Redeemed != 1 {
		t.Errorf("back 31 s after its booking fell due, TTL 30 s: %d, counts %+v; want admitted as a new arrival (the slot is free), not redeemed", w.Code, m.Counts())
	}
}

// TestBookingTTLRefusedBelowZero: a negative TTL is refused at New.
func TestBookingTTLRefusedBelowZero(t *testing.T) {
	if _, err := httpmw.New(nil, httpmw.Options{BookingTTL: -time.Second}); err == nil {
		t.Error("BookingTTL -1s accepted")
	}
}
