package httpmw_test

import (
	"net/http"
	"testing"

	"github.com/aftershock/aftershock/throttle"
	"github.com/aftershock/aftershock/throttle/httpmw"
)

// TestRetryAfterExact: Retry-After is the whole wall seconds until the
// booking, rounded up, not one more where the division by the scale is
// inexact in floating point (2.1 s at 0.3 is 7 wall s, not 8).
func TestRetryAfterExact(t *testing.T) {
	r, _ := throttle.NewReserve(throttle.ReserveConfig{Rate: 1 / 2.1, Burst: 1})
	m := mustNew(t, r, httpmw.Options{Now: newClock().Now, Scale: 0.3})
	h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	serve(h, get())
	w := serve(h, get())
	if got := w.Header().Get("Retry-After"); got != "7" {
		t.Errorf("a booking 2.1 s on (%s) at scale 0.3: Retry-After %q, want 7", w.Header().Get(httpmw.RetryAtHeader), got)
	}
	for _, c := range []struct {
		scale float64
		want  string
	}{{10, "1"}, {1e-300, "10000000000"}} { // 0.1 ns of wall time is still ahead; 1 ns at 1e-300 overflows no int64
		r, _ := throttle.NewReserve(throttle.ReserveConfig{Rate: 1e9, Burst: 1}) // a slot every ns
		m := mustNew(t, r, httpmw.Options{Now: newClock().Now, Scale: c.scale})
		h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		serve(h, get())
		if got := serve(h, get()).Header().Get("Retry-After"); got != c.want {
			t.Errorf("a booking 1 ns on at scale %v: Retry-After %q, want %s", c.scale, got, c.want)
		}
	}
}
