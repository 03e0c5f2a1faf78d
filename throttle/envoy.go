package throttle

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// EnvoyGradient is a simplified model of the gradient controller of the Envoy
// adaptive concurrency filter. It measures an ideal latency, minRTT, by
// pinning the limit low for a while, then once per update window compares the
// window's latency with it: the limit grows while latency stays within Buffer
// of minRTT and shrinks (by at most half per window) when it does not. It
// admits a unit while fewer than Limit() units are in flight.
//
// minRTT measurement: at construction, and again MinRTTInterval after each
// measurement ends (checked on every Admit and Done), the controller enters a
// measurement phase in which Limit() is pinned to Min. minRTT becomes the
// smallest latency of the next MinRTTRequests ok samples from units admitted
// after the phase began; the phase then ends and the limit returns to its
// value before the phase (Initial after the first phase: until a minRTT
// exists the limit is not updated). Outside the phase, ok latencies
// accumulate in the current update window, and the first Done at or after
// windowStart + UpdateInterval closes it:
//
//	sampleRTT = mean of the window's ok latencies       (window skipped if none)
//	gradient  = clamp(minRTT·(1+Buffer)/sampleRTT, 0.5, 2)
//	limit     = clamp(limit·gradient + √(limit·gradient), Min, Max)
//	windowStart = now
//
// The square-root term is Envoy's burst headroom: at sampleRTT = minRTT·(1+Buffer)
// the limit still grows by √limit per window, so it probes upward until the
// latency rises past the buffer.
//
// Defaults (DefaultEnvoyGradient) are Envoy's: Min 3 (min_concurrency, also
// the starting limit), Max 1000, Buffer 25%, MinRTTRequests 50, MinRTTInterval
// 60 s; Envoy requires the update interval to be configured, 100 ms is this
// package's choice. The gradient law is listed in ../shared/outage.md.
//
// Simplified relative to Envoy, which this is not a port of: Envoy summarises
// both the update window and the minRTT phase by a percentile of a histogram
// (sample_aggregate_percentile, p50 by default); here the window is a mean
// (more sensitive to a few slow outliers) and minRTT is a minimum (lower, so
// the limit settles lower). Envoy's windows run on timers; here they close
// only when a Done arrives, so a window in which nothing finishes lasts
// longer. There is no jitter on MinRTTInterval (Envoy adds up to 15%), and no
// early re-measurement when the limit sits at Min for 5 windows in a row.
// Failures (!ok) contribute no latency sample here.
//
// Trade-offs: the measurement phase sheds everything above Min units of
// concurrency for the MinRTTRequests samples it takes, every MinRTTInterval;
// minRTT must be measurable at concurrency Min, i.e. the service's latency at
// Min must be its unloaded latency. Between measurements minRTT is trusted: a
// permanent rise in base latency holds the limit down until the next phase.
//
// Done must be called exactly once per admitted unit, and never for a refused
// one; extra Done calls do not drive Inflight below zero. Admit ignores
// queued. It is safe for concurrent use; Admit and Done allocate nothing.
type EnvoyGradient struct {
	min, max       float64
	buffer         float64
	updateInterval time.Duration
	minRTTInterval time.Duration
	minRTTRequests int

	mu struct {
		sync.Mutex
		slots // limit: the computed limit, in force outside a measurement phase

		measuring    bool
		phaseStart   time.Time // samples from units started before it are disregarded
		phaseSamples int
		phaseMin     time.Duration
		minRTT       time.Duration
		nextMinRTT   time.Time // when the next measurement phase begins

		windowStart time.Time
		windowSum   float64 // nanoseconds
		windowCount int
	}
}

// EnvoyGradientConfig parameterises an EnvoyGradient; see DefaultEnvoyGradient.
type EnvoyGradientConfig struct {
	Initial, Min, Max int           // limit after the first minRTT and its bounds: 1 ≤ Min ≤ Initial ≤ Max; Min is also the limit while measuring minRTT
	Buffer            float64       // fraction of minRTT tolerated before the limit shrinks; ≥ 0
	UpdateInterval    time.Duration // length of an update window; > 0
	MinRTTInterval    time.Duration // time from the end of one minRTT measurement to the start of the next; > 0
	MinRTTRequests    int           // ok samples per minRTT measurement; ≥ 1
}

// DefaultEnvoyGradient holds the defaults of the Envoy adaptive concurrency
// filter's gradient controller, with a 100 ms update interval.
var DefaultEnvoyGradient = EnvoyGradientConfig{
	Initial: 3, Min: 3, Max: 1000, Buffer: 0.25,
	UpdateInterval: 100 * time.Millisecond, MinRTTInterval: 60 * time.Second, MinRTTRequests: 50,
}

// NewEnvoyGradient returns a controller with nothing in flight, in its first
// minRTT measurement phase.
func NewEnvoyGradient(c EnvoyGradientConfig) (*EnvoyGradient, error) {
	if c.Min < 1 {
		return nil, fmt.Errorf("throttle: Envoy gradient min %d below 1", c.Min)
	}
	if c.Initial < c.Min {
		return nil, fmt.Errorf("throttle: Envoy gradient initial %d below min %d", c.Initial, c.Min)
	}
	if c.Max < c.Initial {
		return nil, fmt.Errorf("throttle: Envoy gradient max %d below initial %d", c.Max, c.Initial)
	}
	if !(c.Buffer >= 0) || math.IsInf(c.Buffer, 1) {
		return nil, fmt.Errorf("throttle: Envoy gradient buffer %v must be at least 0 and finite", c.Buffer)
	}
	if c.UpdateInterval <= 0 {
		return nil, fmt.Errorf("throttle: Envoy gradient update interval %v must be above 0", c.UpdateInterval)
	}
	if c.MinRTTInterval <= 0 {
		return nil, fmt.Errorf("throttle: Envoy gradient minRTT interval %v must be above 0", c.MinRTTInterval)
	}
	if c.MinRTTRequests < 1 {
		return nil, fmt.Errorf("throttle: Envoy gradient minRTT requests %d below 1", c.MinRTTRequests)
	}
	e := &EnvoyGradient{
		min:            float64(c.Min),
		max:            float64(c.Max),
		buffer:         c.Buffer,
		updateInterval: c.UpdateInterval,
		minRTTInterval: c.MinRTTInterval,
		minRTTRequests: c.MinRTTRequests,
	}
	e.mu.limit = float64(c.Initial)
	e.mu.measuring = true // phaseStart stays zero: every sample counts
	return e, nil
}

// Admit lets one unit in iff fewer than Limit() are in flight, first entering
// a minRTT measurement phase if one is due at now; queued is ignored.
func (e *EnvoyGradient) Admit(now time.Time, _ int) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.startMeasuringIfDue(now)
	if e.mu.take(e.limitLocked()) {
		return true
	}
	return false
}

// Done reports that one admitted unit left after latency, failed if !ok. An
// ok sample feeds the minRTT measurement or the current update window, and a
// Done at or after the window's end recomputes the limit.
func (e *EnvoyGradient) Done(now time.Time, latency time.Duration, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.mu.leave()
	e.startMeasuringIfDue(now)
	latency = max(latency, 1) // a zero latency would divide by zero
	fresh := ok && !now.Add(-latency).Before(e.mu.phaseStart)

	if e.mu.measuring {
		if !fresh {
			return
		}
		if e.mu.phaseSamples == 0 || latency < e.mu.phaseMin {
			e.mu.phaseMin = latency
		}
		e.mu.phaseSamples++
		if e.mu.phaseSamples >= e.minRTTRequests {
			e.mu.measuring = false
			e.mu.minRTT = e.mu.phaseMin
			e.mu.nextMinRTT = now.Add(e.minRTTInterval)
			e.mu.windowStart = now
			e.mu.windowSum, e.mu.windowCount = 0, 0
		}
		return
	}

	if fresh {
		e.mu.windowSum += float64(latency)
		e.mu.windowCount++
	}
	if now.Before(e.mu.windowStart.Add(e.updateInterval)) {
		return
	}
	if e.mu.windowCount > 0 {
		sampleRTT := e.mu.windowSum / float64(e.mu.windowCount)
		gradient := min(2, max(0.5, float64(e.mu.minRTT)*(1+e.buffer)/sampleRTT))
		scaled := e.mu.limit * gradient
		e.mu.limit = min(e.max, max(e.min, scaled+math.Sqrt(scaled)))
	}
	e.mu.windowStart = now
	e.mu.windowSum, e.mu.windowCount = 0, 0
}

// startMeasuringIfDue enters a minRTT measurement phase if one is due at now.
// The computed limit is left untouched, to resume when the phase ends.
func (e *EnvoyGradient) startMeasuringIfDue(now time.Time) {
	if e.mu.measuring || now.Before(e.mu.nextMinRTT) {
		return
	}
	e.mu.measuring = true
	e.mu.phaseStart = now
	e.mu.phaseSamples = 0
	e.mu.windowSum, e.mu.windowCount = 0, 0
}

// limitLocked is the limit in force: Min while measuring minRTT.
func (e *EnvoyGradient) limitLocked() int {
	if e.mu.measuring {
		return int(e.min)
	}
	return e.mu.capacity()
}

// Limit is the limit in force as of the latest Admit or Done, rounded down:
// Min during a minRTT measurement phase.
func (e *EnvoyGradient) Limit() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.limitLocked()
}

// Inflight is the number of units admitted and not yet Done.
func (e *EnvoyGradient) Inflight() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.mu.inflight
}

var (
	_ Admitter = (*EnvoyGradient)(nil)
	_ Feedback = (*EnvoyGradient)(nil)
)
