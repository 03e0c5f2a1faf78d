package throttle

import (
	"fmt"
	"sync"
	"time"
)

// CircuitBreakerState is the state of a CircuitBreaker.
type CircuitBreakerState int

// The states of a CircuitBreaker.
const (
	CircuitBreakerClosed   CircuitBreakerState = iota // admitting everything, counting outcomes
	CircuitBreakerOpen                                // refusing everything until the cooldown ends
	CircuitBreakerHalfOpen                            // admitting a few probes to test the backend
)

// String returns "closed", "open" or "half-open".
func (s CircuitBreakerState) String() string {
	switch s {
	case CircuitBreakerClosed:
		return "closed"
	case CircuitBreakerOpen:
		return "open"
	case CircuitBreakerHalfOpen:
		return "half-open"
	}
	return fmt.Sprintf("CircuitBreakerState(%d)", int(s))
}

// CircuitBreaker is a circuit breaker (Nygard, Release It!, 2007, in the
// failure-ratio form of Hystrix and resilience4j): it stops sending work to a
// backend that fails too much of it, waits, and tries a few units before
// letting traffic back.
//
// Published source and defaults: DefaultCircuitBreaker is Netflix Hystrix's
// default configuration: error threshold 50% over a rolling 10 s window of 10
// buckets, request volume threshold 20, sleep window 5 s, then a single test
// request.
//
// Rule:
//   - Closed: admit everything. Every outcome reported by Done counts in the
//     window; when requests ≥ MinRequests and failures/requests ≥
//     FailureRatio, open.
//   - Open: refuse everything until Cooldown has passed since opening; at
//     opening time + Cooldown the breaker is half-open (it needs no call to
//     get there: State and Admit see it at once).
//   - Half-open: admit up to Probes units in all. When Probes successes have
//     been reported, close with an empty window; at the first failure, open
//     again with a new cooldown.
//
// An outcome counts only if its unit was admitted (now − latency) at or after
// the instant the current state began: stragglers admitted while closed that
// finish after the breaker opened are ignored, neither counting as probes nor
// filling the fresh window after it closes. Outcomes reported while open are
// ignored.
//
// The window is a ring of Buckets buckets of Window/Buckets each; a sum covers
// between Window − Window/Buckets and Window of history. An outcome reported
// slightly out of time order counts in its own bucket (or the oldest one, if
// its own has left the window).
//
// Trade-offs: a breaker turns a partly failing backend into a fully refused
// one for Cooldown: good when failures are overload, which refusal relieves,
// bad when they are a fixed fraction of bad requests. A low MinRequests trips
// on a few unlucky outcomes at low traffic; a long window remembers a
// recovered backend's failures. One probe tests cheaply but closes on a single
// lucky success; the full load then arrives at once, so pair it with a rate or
// concurrency limit. Unlike SREThrottle, it refuses all or nothing.
//
// Instants out of order: a late call never moves the state back (open turns
// half-open only once an instant reaches the cooldown's end) and half-open
// admits Probes units in all whatever the instants; a late outcome counts in
// its bucket (see window) or, if admitted before the current state began, is
// ignored.
//
// The zero value is not usable; use NewCircuitBreaker. A CircuitBreaker is
// safe for concurrent use: one mutex guards its state and windows; the methods
// that need it held end in Locked.
type CircuitBreaker struct {
	ratio    float64
	minReq   float64
	cooldown time.Duration
	probes   int

	mu struct {
		sync.Mutex
		state    CircuitBreakerState
		since    time.Time // when the current state began (for open: when it opened)
		requests window    // outcomes while closed
		failures window    // failed outcomes while closed
		admitted int       // probes admitted while half-open
		passed   int       // probes that succeeded while half-open
	}
}

// CircuitBreakerConfig parameterises a CircuitBreaker.
type CircuitBreakerConfig struct {
	FailureRatio float64       // failed share of outcomes that opens the breaker; in (0, 1]
	MinRequests  int           // outcomes the window must hold before it can open; ≥ 1
	Window       time.Duration // history the counts cover; > 0
	Buckets      int           // buckets the window is kept in, in [1, 65536]
	Cooldown     time.Duration // time open before probing; > 0
	Probes       int           // units admitted half-open, all of which must succeed to close; ≥ 1
}

// DefaultCircuitBreaker: open at 50% failures over 10 s once 20 outcomes are
// in, probe with 1 unit after 5 s.
var DefaultCircuitBreaker = CircuitBreakerConfig{
	FailureRatio: 0.5, MinRequests: 20, Window: 10 * time.Second, Buckets: 10,
	Cooldown: 5 * time.Second, Probes: 1,
}

// Validate reports the first field of c out of range.
func (c CircuitBreakerConfig) Validate() error {
	if !(c.FailureRatio > 0 && c.FailureRatio <= 1) {
		return fmt.Errorf("throttle: circuit breaker failure ratio %v must be in (0, 1]", c.FailureRatio)
	}
	if c.MinRequests < 1 {
		return fmt.Errorf("throttle: circuit breaker min requests %d below 1", c.MinRequests)
	}
	if err := checkWindow("circuit breaker", "window", c.Window, c.Buckets); err != nil {
		return err
	}
	if c.Cooldown <= 0 {
		return fmt.Errorf("throttle: circuit breaker cooldown %v must be above 0", c.Cooldown)
	}
	if c.Probes < 1 {
		return fmt.Errorf("throttle: circuit breaker probes %d below 1", c.Probes)
	}
	return nil
}

// NewCircuitBreaker returns a closed breaker with an empty window, or
// c.Validate's error.
func NewCircuitBreaker(c CircuitBreakerConfig) (*CircuitBreaker, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	b := &CircuitBreaker{ratio: c.FailureRatio, minReq: float64(c.MinRequests), cooldown: c.Cooldown, probes: c.Probes}
	b.mu.requests = newWindow(c.Window, c.Buckets)
	b.mu.failures = newWindow(c.Window, c.Buckets)
	return b, nil
}

// stateLocked moves an open breaker whose cooldown has ended at now to
// half-open and returns the state at now.
func (b *CircuitBreaker) stateLocked(now time.Time) CircuitBreakerState {
	if b.mu.state == CircuitBreakerOpen {
		if end := b.mu.since.Add(b.cooldown); !now.Before(end) {
			b.mu.state, b.mu.since = CircuitBreakerHalfOpen, end
			b.mu.admitted, b.mu.passed = 0, 0
		}
	}
	return b.mu.state
}

// openLocked opens the breaker at now.
func (b *CircuitBreaker) openLocked(now time.Time) {
	b.mu.state, b.mu.since = CircuitBreakerOpen, now
}

// State is the breaker's state at now.
func (b *CircuitBreaker) State(now time.Time) CircuitBreakerState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stateLocked(now)
}

// Admit admits everything when closed, nothing when open, and up to Probes
// units in all when half-open. queued is ignored.
func (b *CircuitBreaker) Admit(now time.Time, _ int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.stateLocked(now) {
	case CircuitBreakerClosed:
		return true
	case CircuitBreakerHalfOpen:
		if b.mu.admitted < b.probes {
			b.mu.admitted++
			return true
		}
	}
	return false
}

// Done reports the outcome of a unit admitted at now − latency; see the
// type's rule.
func (b *CircuitBreaker) Done(now time.Time, latency time.Duration, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.stateLocked(now)
	if now.Add(-latency).Before(b.mu.since) {
		return // admitted in an earlier state
	}
	switch st {
	case CircuitBreakerClosed:
		b.mu.requests.charge(now, 1)
		if !ok {
			b.mu.failures.charge(now, 1)
		}
		r := b.mu.requests.sum(now)
		if r >= b.minReq && b.mu.failures.sum(now) >= b.ratio*r {
			b.openLocked(now)
		}
	case CircuitBreakerHalfOpen:
		if !ok {
			b.openLocked(now)
			return
		}
		b.mu.passed++
		if b.mu.passed >= b.probes {
			b.mu.state, b.mu.since = CircuitBreakerClosed, now
			b.mu.requests.reset()
			b.mu.failures.reset()
		}
	}
}

var (
	_ Admitter = (*CircuitBreaker)(nil)
	_ Feedback = (*CircuitBreaker)(nil)
)
