package throttle

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// SREThrottle is Google's client-side adaptive throttling (Site Reliability
// Engineering, 2016, ch. 21 "Handling Overload"). It is a client-side control:
// it runs in each client of a backend, on that client's own view of its
// traffic, and needs nothing from the backend beyond the outcome of each
// request. When the backend starts refusing work, the client starts refusing
// locally, before sending, so refused work costs the backend nothing.
//
// Published source and defaults: the SRE book; K = 2 over the last 2 minutes
// (DefaultSREThrottle, kept as 120 buckets of one second).
//
// Rule, over the window (see below for its exact extent):
//
//	requests = units the client asked to send (Admit calls, including those
//	           it then refused locally, as in the book)
//	accepts  = units the backend accepted (Done with ok = true)
//	P(reject) = max(0, (requests − K·accepts) / (requests + 1))
//
// Admit computes P from the window as it stands, draws once, and then counts
// its own request; a unit that is admitted must be reported once through
// Done. P is 0 while requests ≤ K·accepts: a backend that accepts at least
// 1/K of what the client asks for is never throttled, and an idle client's
// first request (0 requests, 0 accepts) goes through. Once the backend
// accepts nothing, P rises towards 1 as requests accumulate; when it accepts
// a steady C units per second of a demand of D, P settles near 1 − K·C/D, so
// that the client sends about K·C: K times what the backend accepts. Which
// outcomes count as accepts is the caller's choice through ok; the book
// counts every request the backend did not reject.
//
// The window is a ring of Buckets buckets of Window/Buckets each; a sum covers
// between Window − Window/Buckets and Window of history. Calls slightly out
// of time order count in their own bucket; an accept so late that its bucket
// has left the window is dropped (it must not lower P), a request is counted
// in the oldest bucket (it must not be forgotten early).
//
// Trade-offs: a lower K throttles earlier (K = 1 refuses as soon as any
// request fails) and wastes less backend work on requests that will be
// refused; a higher K lets more through and reacts later. Throttling lags the
// backend by up to a window in both directions: after recovery the client
// keeps refusing until fresh accepts outweigh the remembered requests. Each
// client decides alone, so many small clients each see few requests and
// throttle noisily. Refusals are random: equal clients get equal shares.
//
// Randomness: a math/rand/v2 PCG source seeded from the Config's Seed,
// drawn under the mutex, so a given sequence of calls gives the same
// decisions every run.
//
// Instants out of order: see window; a late request still counts, a late
// accept too old for the window is dropped, so lateness never lowers P.
//
// The zero value is not usable; use NewSREThrottle. An SREThrottle is safe for
// concurrent use: one mutex guards the windows and the random source; the
// methods that need it held end in Locked.
type SREThrottle struct {
	k float64

	mu struct {
		sync.Mutex
		requests window
		accepts  window
		rng      *rand.Rand
	}
}

// SREThrottleConfig parameterises an SREThrottle.
type SREThrottleConfig struct {
	K       float64       // requests the client may send per accepted one before refusing; >= 1
	Window  time.Duration // history the counts cover
	Buckets int           // buckets the window is kept in, in [1, 65536]; its resolution is Window/Buckets
	Seed    uint64        // seeds the random draws: the same Seed and calls give the same decisions
}

// DefaultSREThrottle is the SRE book's setting: K = 2 over 2 minutes (Seed 0).
var DefaultSREThrottle = SREThrottleConfig{K: 2, Window: 2 * time.Minute, Buckets: 120}

// Validate reports the first field of c out of range.
func (c SREThrottleConfig) Validate() error {
	if !(c.K >= 1) || math.IsInf(c.K, 1) {
		return fmt.Errorf("throttle: SRE throttle K %v must be finite and at least 1", c.K)
	}
	return checkWindow("SRE throttle", "window", c.Window, c.Buckets)
}

// NewSREThrottle returns a throttle with empty history whose random draws come
// from a PCG source seeded with c.Seed, or c.Validate's error.
func NewSREThrottle(c SREThrottleConfig) (*SREThrottle, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	seed := c.Seed
	t := &SREThrottle{k: c.K}
	t.mu.requests = newWindow(c.Window, c.Buckets)
	t.mu.accepts = newWindow(c.Window, c.Buckets)
	t.mu.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return t, nil
}

// rejectProbabilityLocked is P(reject) over the window as of now.
func (t *SREThrottle) rejectProbabilityLocked(now time.Time) float64 {
	r := t.mu.requests.sum(now)
	a := t.mu.accepts.sum(now)
	return max(0, (r-t.k*a)/(r+1))
}

// RejectProbability is the probability that Admit at now refuses locally.
func (t *SREThrottle) RejectProbability(now time.Time) float64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.rejectProbabilityLocked(now)
}

// Admit refuses with probability RejectProbability(now), then counts the
// request whatever the answer. queued is ignored.
func (t *SREThrottle) Admit(now time.Time, _ int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.rejectProbabilityLocked(now)
	t.mu.requests.charge(now, 1)
	return !(p > 0 && t.mu.rng.Float64() < p)
}

// Done counts an accept when ok; latency is ignored.
func (t *SREThrottle) Done(now time.Time, _ time.Duration, ok bool) {
	if !ok {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.mu.accepts.add(now, 1)
}

var (
	_ Admitter = (*SREThrottle)(nil)
	_ Feedback = (*SREThrottle)(nil)
)
