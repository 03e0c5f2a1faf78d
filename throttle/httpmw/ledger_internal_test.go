package httpmw

import (
	"testing"
	"time"
)

// TestLedgerForgetsStaleBookings: bookings never redeemed (their clients
// gave up) are swept once they are ttl past due: 100,000 bookings, one per
// millisecond, each due 10 ms on, never redeemed, with a TTL of 1 s, leave
// the ledger holding about the last second's, never all of them.
func TestLedgerForgetsStaleBookings(t *testing.T) {
	l := newLedger(time.Second)
	t0 := time.Unix(0, 0)
	most := 0
	for i := range 100_000 {
		now := t0.Add(time.Duration(i) * time.Millisecond)
		l.add(now.Add(10*time.Millisecond), now)
		most = max(most, len(l.mu.out))
	}
	// A second's bookings (1,010) live; a sweep waits for twice as many.
	if most > 4*1010 {
		t.Errorf("the ledger held up to %d bookings with about 1,010 live: stale ones are not swept", most)
	}
	if l.take(t0.Add(10*time.Millisecond), t0.Add(100*time.Second)) {
		t.Error("a booking due 100 s ago redeemed with a TTL of 1 s")
	}
}
