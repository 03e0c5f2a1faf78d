package throttle

import (
	"fmt"
	"sync"
	"time"
)

// Reserver is an Admitter that can tell a refused unit when to come back: a
// reservation in golang.org/x/time/rate's sense (Limiter.ReserveN), which a
// server hands its client as a Retry-After. Reserve either admits the unit at
// now (ok) or books it the first free slot and returns that instant; the
// booking stands, so a caller that honours it comes back at retryAt with
// Redeem, which lets the unit in (its slot was counted when booked) or, if the
// queue it would join is full, books it again. A caller that cannot hold a
// reservation uses Admit, which never books.
type Reserver interface {
	Admitter
	Reserve(now time.Time, queued int) (ok bool, retryAt time.Time)
	Redeem(now time.Time, queued int) (ok bool, retryAt time.Time)
}

// Reserve is a token bucket that books refused units instead of shedding
// them: Rate units per second on average, bursts of up to Burst, and every
// unit refused at now is given the instant at which the bucket will have a
// token for it, after every unit booked before it. Units that come back when
// told find their slot free, so a service whose clients honour the instants is
// fed at exactly Rate while they wait, and never idles for want of a retry.
//
// It is the generic cell rate algorithm (ITU-T I.371; the "virtual
// scheduling" form of a token bucket): a theoretical arrival time tat moves
// on by 1/Rate per booked unit; a unit arriving at now conforms when
// tat − now ≤ (Burst−1)/Rate, and otherwise is booked at tat − (Burst−1)/Rate.
// This is rate.Limiter.ReserveN's arithmetic without its *Reservation, so a
// decision allocates nothing. The bucket starts full.
//
// Instants out of order: tat only moves forward and a late instant finds it
// further ahead, so lateness never over-admits (it may book later than
// needed).
//
// The zero value is not usable; use NewReserve. A Reserve is safe for
// concurrent use: one mutex guards tat.
type Reserve struct {
	every time.Duration // 1/Rate
	tau   time.Duration // (Burst−1)/Rate: how far ahead of now tat may run and still admit
	limit int           // 0: none

	mu struct {
		sync.Mutex
		tat time.Time
	}
}

// ReserveConfig parameterises a Reserve; see DefaultReserve.
type ReserveConfig struct {
	Rate  float64 // units per second; above 0, at most MaxReserveRate
	Burst int     // units admitted at once from a full bucket; ≥ 1
	Limit int     // queued units at which nothing enters, a booked unit neither (it is booked again); 0: no limit
}

// MaxReserveRate is the highest rate a Reserve takes: one unit per
// nanosecond, the resolution of its instants.
const MaxReserveRate = 1e9

// maxReserveSpan bounds Burst/Rate, so that the bucket's arithmetic on
// instants stays far inside time.Duration's range.
const maxReserveSpan = 100 * 365 * 24 * time.Hour

// DefaultReserve books 100 units per second with a burst of 10, the same
// example numbers as DefaultTokenBucket: size it to the service it protects
// (its capacity, for a service whose clients honour the instants).
var DefaultReserve = ReserveConfig{Rate: 100, Burst: 10}

// Validate reports the first field of c out of range.
func (c ReserveConfig) Validate() error {
	if err := checkRate("reserve", c.Rate); err != nil {
		return err
	}
	if c.Rate > MaxReserveRate {
		return fmt.Errorf("throttle: reserve rate %v above %v (one unit per ns)", c.Rate, MaxReserveRate)
	}
	if c.Burst < 1 {
		return fmt.Errorf("throttle: reserve burst %d below 1", c.Burst)
	}
	if c.Limit < 0 {
		return fmt.Errorf("throttle: reserve limit %d below 0", c.Limit)
	}
	if span := float64(c.Burst) / c.Rate; span > maxReserveSpan.Seconds() {
		return fmt.Errorf("throttle: reserve burst %d at rate %v spans %.3g s, above %v", c.Burst, c.Rate, span, maxReserveSpan)
	}
	return nil
}

// NewReserve returns a full bucket, or c.Validate's error.
func NewReserve(c ReserveConfig) (*Reserve, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	every := time.Duration(float64(time.Second) / c.Rate)
	return &Reserve{every: every, tau: time.Duration(c.Burst-1) * every, limit: c.Limit}, nil
}

// full reports whether queued units fill the queue.
func (r *Reserve) full(queued int) bool { return r.limit > 0 && queued >= r.limit }

// Reserve admits one unit at now if the bucket has a token and the queue is
// not full; otherwise it books the unit the first free slot and returns it.
func (r *Reserve) Reserve(now time.Time, queued int) (ok bool, retryAt time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	at := r.bookLocked(now)
	if !at.After(now) && !r.full(queued) {
		return true, time.Time{}
	}
	return false, r.laterLocked(at, now)
}

// Redeem lets in a unit that comes back at the slot Reserve booked for it,
// unless the queue is full: then it books the unit the next free slot.
func (r *Reserve) Redeem(now time.Time, queued int) (ok bool, retryAt time.Time) {
	if !r.full(queued) {
		return true, time.Time{}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return false, r.laterLocked(r.bookLocked(now), now)
}

// bookLocked books the next slot at or after now and returns when it falls
// due.
func (r *Reserve) bookLocked(now time.Time) time.Time {
	tat := r.mu.tat
	if tat.Before(now) {
		tat = now
	}
	r.mu.tat = tat.Add(r.every)
	return tat.Add(-r.tau)
}

// laterLocked is a booked slot as a retry instant: after now, by one slot at
// least when the slot is due already (a full queue refused it).
func (r *Reserve) laterLocked(at, now time.Time) time.Time {
	if at.After(now) {
		return at
	}
	return now.Add(r.every)
}

// Admit admits one unit at now if the bucket has a token and the queue is not
// full, and books nothing otherwise (x/time/rate's AllowN).
func (r *Reserve) Admit(now time.Time, queued int) bool {
	if r.full(queued) {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	tat := r.mu.tat
	if tat.Before(now) {
		tat = now
	}
	if tat.Add(-r.tau).After(now) {
		return false
	}
	r.mu.tat = tat.Add(r.every)
	return true
}

var _ Reserver = (*Reserve)(nil)
