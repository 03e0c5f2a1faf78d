package throttle

import (
	"fmt"
	"math"
	"time"
)

// Gradient2 is a delay-based adaptive concurrency limit after Gradient2Limit
// in Netflix concurrency-limits. It compares each latency sample (the short
// RTT) with a long exponential average of latency (the long RTT) and shrinks
// the limit in proportion when the short one rises above the long one by more
// than Tolerance; otherwise it grows by a fixed queue allowance. It admits a
// unit while fewer than Limit() units are in flight.
//
// On every Done, ok or not (the sample is the latency either way), with
// inflight counted before this unit leaves:
//
//	short = latency
//	long  = long + (short − long)·2/(LongWindow+1)      (the first sample sets it)
//	if long/short > 2: long = long·0.95                 (recovering from a spike)
//	if inflight < limit/2: stop here                    (app-limited)
//	gradient = clamp(Tolerance·long/short, 0.5, 1)
//	limit = clamp((1−Smoothing)·limit + Smoothing·(limit·gradient + QueueSize), Min, Max)
//
// At a steady latency the gradient is 1 and the limit grows by
// Smoothing·QueueSize per sample taken under load, up to Max; a jump of the
// short RTT above Tolerance·long cuts it by up to Smoothing/2 per sample.
//
// Defaults (DefaultGradient2) are Netflix's: Initial 20, bounds 20–200,
// Tolerance 1.5, Smoothing 0.2, QueueSize 4, LongWindow 600 samples.
//
// Simplified relative to Netflix: the long average has no warm-up (Netflix
// averages its first 10 samples plainly); QueueSize is a constant (Netflix
// allows a function of the limit); inflight is read when the unit leaves
// rather than when it was admitted.
//
// Trade-offs: Gradient2 tracks a moving baseline rather than a minimum, so
// unlike Vegas it tolerates noisy and drifting latency and one fast outlier
// does no harm; the price is that a slow, sustained latency climb drags the
// long RTT up with it (the window is 600 samples) and is partly accepted as
// the new normal. It ignores failures: a service that fails fast looks
// healthy to it. The Min floor (20 by default) is never crossed, so on a
// service that can only take a few units at a time the floor must be lowered.
//
// Done must be called exactly once per admitted unit, and never for a refused
// one; extra Done calls do not drive Inflight below zero. Admit ignores
// queued. Admit and Done allocate nothing.
//
// The zero value is not usable; use NewGradient2. A Gradient2 is safe for
// concurrent use: one mutex, the shared limiter core's, guards the limit, the
// count and the rule's state.
type Gradient2 struct {
	l         limiter
	min, max  float64
	tolerance float64
	smoothing float64
	queueSize float64
	longAlpha float64 // 2/(LongWindow+1)

	longRTT float64 // nanoseconds; 0 until the first sample; guarded by l.mu
}

// Gradient2Config parameterises a Gradient2 limit; see DefaultGradient2.
type Gradient2Config struct {
	Initial, Min, Max int     // starting limit and its bounds: 1 ≤ Min ≤ Initial ≤ Max
	Tolerance         float64 // how far short RTT may exceed long RTT before the limit shrinks; ≥ 1
	Smoothing         float64 // weight of each new estimate, in (0, 1]
	QueueSize         int     // growth allowance added to every estimate; ≥ 0
	LongWindow        int     // samples in the long RTT's exponential average; ≥ 1
}

// DefaultGradient2 holds the defaults of Netflix concurrency-limits'
// Gradient2Limit.
var DefaultGradient2 = Gradient2Config{Initial: 20, Min: 20, Max: 200, Tolerance: 1.5, Smoothing: 0.2, QueueSize: 4, LongWindow: 600}

// Validate reports the first field of c out of range.
func (c Gradient2Config) Validate() error {
	if err := checkBounds("Gradient2", c.Initial, c.Min, c.Max); err != nil {
		return err
	}
	if !(c.Tolerance >= 1) || math.IsInf(c.Tolerance, 1) {
		return fmt.Errorf("throttle: Gradient2 tolerance %v must be at least 1 and finite", c.Tolerance)
	}
	if !(c.Smoothing > 0 && c.Smoothing <= 1) {
		return fmt.Errorf("throttle: Gradient2 smoothing %v outside (0, 1]", c.Smoothing)
	}
	if c.QueueSize < 0 {
		return fmt.Errorf("throttle: Gradient2 queue size %d below 0", c.QueueSize)
	}
	if c.LongWindow < 1 {
		return fmt.Errorf("throttle: Gradient2 long window %d below 1", c.LongWindow)
	}
	return nil
}

// NewGradient2 returns a Gradient2 limit at c.Initial with nothing in flight
// and no long RTT yet, or c.Validate's error.
func NewGradient2(c Gradient2Config) (*Gradient2, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	g := &Gradient2{
		min:       float64(c.Min),
		max:       float64(c.Max),
		tolerance: c.Tolerance,
		smoothing: c.Smoothing,
		queueSize: float64(c.QueueSize),
		longAlpha: 2 / (float64(c.LongWindow) + 1),
	}
	g.l.init(float64(c.Initial), g)
	return g, nil
}

// updateLocked is Gradient2's rule; see the type's doc.
func (g *Gradient2) updateLocked(_ time.Time, latency time.Duration, _ bool, inflight int, limit float64) float64 {
	short := float64(max(latency, 1)) // a zero latency would divide by zero
	if g.longRTT == 0 {
		g.longRTT = short
	} else {
		g.longRTT += (short - g.longRTT) * g.longAlpha
	}
	if g.longRTT/short > 2 {
		g.longRTT *= 0.95
	}
	if float64(inflight) < limit/2 {
		return limit
	}
	gradient := min(1, max(0.5, g.tolerance*g.longRTT/short))
	estimate := limit*gradient + g.queueSize
	return min(g.max, max(g.min, (1-g.smoothing)*limit+g.smoothing*estimate))
}

// Admit lets one unit in iff fewer than Limit() are in flight; queued is
// ignored.
func (g *Gradient2) Admit(now time.Time, _ int) bool { return g.l.admit(now) }

// Done reports that one admitted unit left after latency (ok is not used:
// Gradient2 learns from latency alone) and updates the limit.
func (g *Gradient2) Done(now time.Time, latency time.Duration, ok bool) { g.l.done(now, latency, ok) }

// Limit is the current limit, rounded down.
func (g *Gradient2) Limit() int { return g.l.capacity() }

// Inflight is the number of units admitted and not yet Done.
func (g *Gradient2) Inflight() int { return g.l.count() }

var (
	_ Admitter = (*Gradient2)(nil)
	_ Feedback = (*Gradient2)(nil)
	_ rule     = (*Gradient2)(nil)
)
