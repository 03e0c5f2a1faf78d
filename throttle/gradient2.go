package throttle

import (
	"fmt"
	"math"
	"sync"
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
// Tolerance 1.5, Smoothing 0.2, QueueSize 4, LongWindow 600 samples; the same
// numbers are listed in ../shared/outage.md.
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
// queued. It is safe for concurrent use; Admit and Done allocate nothing.
type Gradient2 struct {
	min, max  float64
	tolerance float64
	smoothing float64
	queueSize float64
	longAlpha float64 // 2/(LongWindow+1)

	mu struct {
		sync.Mutex
		slots
		longRTT float64 // nanoseconds; 0 until the first sample
	}
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

// NewGradient2 returns a Gradient2 limit at c.Initial with nothing in flight
// and no long RTT yet.
func NewGradient2(c Gradient2Config) (*Gradient2, error) {
	if c.Min < 1 {
		return nil, fmt.Errorf("throttle: Gradient2 min %d below 1", c.Min)
	}
	if c.Initial < c.Min {
		return nil, fmt.Errorf("throttle: Gradient2 initial %d below min %d", c.Initial, c.Min)
	}
	if c.Max < c.Initial {
		return nil, fmt.Errorf("throttle: Gradient2 max %d below initial %d", c.Max, c.Initial)
	}
	if !(c.Tolerance >= 1) || math.IsInf(c.Tolerance, 1) {
		return nil, fmt.Errorf("throttle: Gradient2 tolerance %v must be at least 1 and finite", c.Tolerance)
	}
	if !(c.Smoothing > 0 && c.Smoothing <= 1) {
		return nil, fmt.Errorf("throttle: Gradient2 smoothing %v outside (0, 1]", c.Smoothing)
	}
	if c.QueueSize < 0 {
		return nil, fmt.Errorf("throttle: Gradient2 queue size %d below 0", c.QueueSize)
	}
	if c.LongWindow < 1 {
		return nil, fmt.Errorf("throttle: Gradient2 long window %d below 1", c.LongWindow)
	}
	g := &Gradient2{
		min:       float64(c.Min),
		max:       float64(c.Max),
		tolerance: c.Tolerance,
		smoothing: c.Smoothing,
		queueSize: float64(c.QueueSize),
		longAlpha: 2 / (float64(c.LongWindow) + 1),
	}
	g.mu.limit = float64(c.Initial)
	return g, nil
}

// Admit lets one unit in iff fewer than Limit() are in flight; queued is
// ignored.
func (g *Gradient2) Admit(_ time.Time, _ int) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.mu.take(g.mu.capacity())
}

// Done reports that one admitted unit left after latency (ok is not used:
// Gradient2 learns from latency alone) and updates the limit.
func (g *Gradient2) Done(_ time.Time, latency time.Duration, _ bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	inflight := g.mu.leave()
	short := float64(max(latency, 1)) // a zero latency would divide by zero
	if g.mu.longRTT == 0 {
		g.mu.longRTT = short
	} else {
		g.mu.longRTT += (short - g.mu.longRTT) * g.longAlpha
	}
	if g.mu.longRTT/short > 2 {
		g.mu.longRTT *= 0.95
	}
	limit := g.mu.limit
	if float64(inflight) < limit/2 {
		return
	}
	gradient := min(1, max(0.5, g.tolerance*g.mu.longRTT/short))
	estimate := limit*gradient + g.queueSize
	g.mu.limit = min(g.max, max(g.min, (1-g.smoothing)*limit+g.smoothing*estimate))
}

// Limit is the current limit, rounded down.
func (g *Gradient2) Limit() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.mu.capacity()
}

// Inflight is the number of units admitted and not yet Done.
func (g *Gradient2) Inflight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.mu.inflight
}

var (
	_ Admitter = (*Gradient2)(nil)
	_ Feedback = (*Gradient2)(nil)
)
