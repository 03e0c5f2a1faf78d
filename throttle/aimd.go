package throttle

import (
	"fmt"
	"time"
)

// AIMD is a loss-based adaptive concurrency limit: additive increase,
// multiplicative decrease, after AIMDLimit in Netflix concurrency-limits. It
// admits a unit while fewer than Limit() units are in flight, and learns from
// every Done:
//
//	if !ok || latency > Timeout:   limit = max(Min, limit·Backoff)
//	else if inflight·2 ≥ limit:    limit = min(Max, limit + 1)
//	else:                          unchanged (app-limited: no evidence the limit is reached)
//
// where inflight is counted before this Done's unit leaves. Admit lets a unit
// in iff inflight < Limit() (the limit rounded down, at least 1).
//
// Defaults (DefaultAIMD) are Netflix's: Initial 20, bounds 20–200, Backoff
// 0.9, Timeout 5 s.
//
// Trade-offs: AIMD reacts only to failures and timeouts, never to latency. On
// a service that slows down under load but still answers within Timeout, the
// limit climbs to Max and all the queueing moves into the service; it is only
// as good as Timeout is tight. Each drop costs 10% of the limit, each success
// under load adds one unit, so recovery from a deep cut is linear and slow.
// Unlike Netflix, the limit is a float64 (Netflix truncates to an int and
// guarantees at least one unit of decrease per drop).
//
// Done must be called exactly once per admitted unit, and never for a refused
// one; extra Done calls do not drive Inflight below zero. Admit ignores
// queued. Admit and Done allocate nothing.
//
// The zero value is not usable; use NewAIMD. An AIMD is safe for concurrent
// use: one mutex, the shared limiter core's, guards the limit and the count.
type AIMD struct {
	l        limiter
	min, max float64
	backoff  float64
	timeout  time.Duration
}

// AIMDConfig parameterises an AIMD limit; see DefaultAIMD.
type AIMDConfig struct {
	Initial, Min, Max int           // starting limit and its bounds: 1 ≤ Min ≤ Initial ≤ Max
	Backoff           float64       // factor applied on a drop or timeout, in (0, 1)
	Timeout           time.Duration // a latency above this counts as a drop; > 0
}

// DefaultAIMD holds the defaults of Netflix concurrency-limits' AIMDLimit.
var DefaultAIMD = AIMDConfig{Initial: 20, Min: 20, Max: 200, Backoff: 0.9, Timeout: 5 * time.Second}

// Validate reports the first field of c out of range.
func (c AIMDConfig) Validate() error {
	if err := checkBounds("AIMD", c.Initial, c.Min, c.Max); err != nil {
		return err
	}
	if !(c.Backoff > 0 && c.Backoff < 1) {
		return fmt.Errorf("throttle: AIMD backoff %v outside (0, 1)", c.Backoff)
	}
	if c.Timeout <= 0 {
		return fmt.Errorf("throttle: AIMD timeout %v must be above 0", c.Timeout)
	}
	return nil
}

// NewAIMD returns an AIMD limit at c.Initial with nothing in flight, or
// c.Validate's error.
func NewAIMD(c AIMDConfig) (*AIMD, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	a := &AIMD{min: float64(c.Min), max: float64(c.Max), backoff: c.Backoff, timeout: c.Timeout}
	a.l.init(float64(c.Initial), a)
	return a, nil
}

// updateLocked is AIMD's rule; see the type's doc.
func (a *AIMD) updateLocked(_ time.Time, latency time.Duration, ok bool, inflight int, limit float64) float64 {
	switch {
	case !ok || latency > a.timeout:
		return max(a.min, limit*a.backoff)
	case float64(inflight)*2 >= limit:
		return min(a.max, limit+1)
	}
	return limit
}

// Admit lets one unit in iff fewer than Limit() are in flight; queued is
// ignored.
func (a *AIMD) Admit(now time.Time, _ int) bool { return a.l.admit(now) }

// Done reports that one admitted unit left after latency, failed or dropped
// if !ok, and updates the limit.
func (a *AIMD) Done(now time.Time, latency time.Duration, ok bool) { a.l.done(now, latency, ok) }

// Limit is the current limit, rounded down.
func (a *AIMD) Limit() int { return a.l.capacity() }

// Inflight is the number of units admitted and not yet Done.
func (a *AIMD) Inflight() int { return a.l.count() }

var (
	_ Admitter = (*AIMD)(nil)
	_ Feedback = (*AIMD)(nil)
	_ rule     = (*AIMD)(nil)
)
