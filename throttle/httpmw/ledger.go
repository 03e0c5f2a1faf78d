package httpmw

import (
	"sync"
	"time"
)

// ledger is the bookings a middleware handed out in its own format and has
// not yet seen redeemed, by instant, so that a client redeems only a
// booking it was given, and once: redeemed never exceeds booked. A booking
// not redeemed within ttl after it fell due (its client gave up) is
// forgotten, so the ledger holds at most the bookings of the last ttl and
// those still ahead.
type ledger struct {
	ttl time.Duration
	mu  struct {
		sync.Mutex
		out   map[int64]int // a booking's instant (Unix ns) → bookings handed out for it, not redeemed
		sweep int           // the size at which stale bookings are next swept
	}
}

// minSweep is the ledger's size below which it is never swept.
const minSweep = 64

func newLedger(ttl time.Duration) *ledger {
	l := &ledger{ttl: ttl}
	l.mu.out = make(map[int64]int)
	l.mu.sweep = minSweep
	return l
}

// add notes a booking for at, handed out at now.
func (l *ledger) add(at, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.mu.out[at.UnixNano()]++
	if len(l.mu.out) < l.mu.sweep {
		return
	}
	stale := now.Add(-l.ttl).UnixNano()
	for k := range l.mu.out {
		if k < stale {
			delete(l.mu.out, k)
		}
	}
	l.mu.sweep = max(minSweep, 2*len(l.mu.out)) // each sweep paid for by as many adds
}

// holds reports whether a booking for at is out.
func (l *ledger) holds(at time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.mu.out[at.UnixNano()] > 0
}

// take uses up a booking for at, if one is out and, at now, not stale.
func (l *ledger) take(at, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := at.UnixNano()
	n := l.mu.out[k]
	switch {
	case n == 0:
		return false
	case at.Add(l.ttl).Before(now):
		delete(l.mu.out, k)
		return false
	case n == 1:
		delete(l.mu.out, k)
	default:
		l.mu.out[k] = n - 1
	}
	return true
}
