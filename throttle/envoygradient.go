package throttle

import (
	"fmt"
	"math"
	"time"
)

// EnvoyGradient is a simplified model of the gradient controller of the Envoy
// adaptive concurrency filter
// (https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/adaptive_concurrency_filter).
// It measures an ideal latency, minRTT, by pinning the limit low for a while,
// then once per update window compares the window's latency with it: the
// limit grows while latency stays within Buffer of minRTT and shrinks (by at
// most half per window) when it does not. It admits a unit while fewer than
// Limit() units are in flight.
//
// Both minRTT and a window's latency are a percentile of their samples,
// Percentile (Envoy's sample_aggregate_percentile, p50 by default), as in
// Envoy. (A minimum for minRTT and a mean for the window, as this type had
// before, pin the limit at Min on exponential service: the minimum of 50
// exponential samples is ~1/50 of their mean.)
//
// minRTT measurement: at construction, and again MinRTTInterval after each
// measurement ends (checked on every Admit and Done), the controller enters a
// measurement phase in which Limit() is pinned to Min. minRTT becomes the
// Percentile of the next MinRTTRequests ok samples from units admitted after
// the phase began; the phase then ends and the limit returns to its value
// before the phase (Initial after the first phase: until a minRTT exists the
// limit is not updated). As in Envoy, the next phase begins MinRTTInterval
// plus up to Jitter of it (15% by default) after a phase ends, or at once
// after 5 windows in a row that left the limit in force at Min (a sign that
// minRTT is wrong). Outside the phase, ok latencies accumulate in the
// current update window, and the first Done at or after windowStart +
// UpdateInterval closes it:
//
//	sampleRTT = Percentile of the window's ok latencies   (window skipped if none)
//	gradient  = clamp(minRTT·(1+Buffer)/sampleRTT, 0.5, 2)
//	limit     = clamp(limit·gradient + √(limit·gradient), Min, Max)
//	windowStart = now
//
// The square-root term is Envoy's burst headroom: at sampleRTT = minRTT·(1+Buffer)
// the limit still grows by √limit per window, so it probes upward until the
// latency rises past the buffer.
//
// Percentiles in fixed memory: up to WindowSamples samples per window (or
// phase) are kept, exactly while no more arrive and as a seeded reservoir
// sample beyond; the percentile is the nearest-rank one of those kept
// (⌈p/100·n⌉-th smallest), exact in the first case and within about
// ±√(q(1−q)/WindowSamples) in quantile terms in the second (±1.6 points at
// p50 with the default 1,000). Envoy uses a log-linear histogram of every
// sample, interpolated within a bin.
//
// Defaults (DefaultEnvoyGradient) are Envoy's: Min 3 (min_concurrency, also
// the starting limit), Max 1000, Buffer 25%, MinRTTRequests 50, MinRTTInterval
// 60 s, Jitter 15%, Percentile 50; Envoy requires the update interval to be configured,
// 100 ms is this package's choice, as are WindowSamples 1,000 and Seed 0.
//
// Simplified relative to Envoy, which this is not a port of: Envoy's windows
// run on timers; here they close only when a Done arrives, so a window in
// which nothing finishes lasts longer. Failures (!ok) contribute no latency
// sample here. The limit is kept as a float (Envoy rounds it down to an
// integer each window). The jitter on MinRTTInterval is drawn from a stream
// seeded with Seed, not from a process-wide random source.
//
// Trade-offs: the measurement phase sheds everything above Min units of
// concurrency for the MinRTTRequests samples it takes, every MinRTTInterval;
// minRTT must be measurable at concurrency Min, i.e. the service's latency at
// Min must be its unloaded latency. Between measurements minRTT is trusted: a
// permanent rise in base latency holds the limit down until the next phase.
//
// Done must be called exactly once per admitted unit, and never for a refused
// one; extra Done calls do not drive Inflight below zero. Admit ignores
// queued. Admit and Done allocate nothing.
//
// The zero value is not usable; use NewEnvoyGradient. An EnvoyGradient is
// safe for concurrent use: one mutex, the shared limiter core's, guards the
// limit, the count and the rule's state.
type EnvoyGradient struct {
	l              limiter // l.limit: the computed limit, in force outside a measurement phase
	min, max       float64
	buffer         float64
	updateInterval time.Duration
	minRTTInterval time.Duration
	minRTTRequests int
	percentile     float64
	jitter         float64

	// guarded by l.mu
	measuring    bool
	phaseStart   time.Time // samples from units started before it are disregarded
	phaseSamples int
	minRTT       time.Duration
	nextMinRTT   time.Time // when the next measurement phase begins

	windowStart time.Time
	samples     sampleSet // the phase's or the window's ok latencies
	atMin       int       // consecutive windows that left the limit in force at Min
}

// EnvoyGradientConfig parameterises an EnvoyGradient; see DefaultEnvoyGradient.
type EnvoyGradientConfig struct {
	Initial, Min, Max int           // limit after the first minRTT and its bounds: 1 ≤ Min ≤ Initial ≤ Max; Min is also the limit while measuring minRTT
	Buffer            float64       // fraction of minRTT tolerated before the limit shrinks; ≥ 0
	UpdateInterval    time.Duration // length of an update window; > 0
	MinRTTInterval    time.Duration // time from the end of one minRTT measurement to the start of the next; > 0
	MinRTTRequests    int           // ok samples per minRTT measurement; ≥ 1
	Percentile        float64       // percentile of the samples that summarises a window and a minRTT phase; in (0, 100]
	WindowSamples     int           // samples kept per window or phase (beyond: a reservoir sample); ≥ 1
	Jitter            float64       // the next measurement starts after MinRTTInterval·(1 + U[0, Jitter)); in [0, 1]
	Seed              uint64        // seeds the reservoir's and the jitter's draws
}

// MaxWindowSamples bounds EnvoyGradientConfig.WindowSamples: 8 bytes each.
const MaxWindowSamples = 1 << 20

// DefaultEnvoyGradient holds the defaults of the Envoy adaptive concurrency
// filter's gradient controller, with a 100 ms update interval.
var DefaultEnvoyGradient = EnvoyGradientConfig{
	Initial: 3, Min: 3, Max: 1000, Buffer: 0.25,
	UpdateInterval: 100 * time.Millisecond, MinRTTInterval: 60 * time.Second, MinRTTRequests: 50,
	Percentile: 50, WindowSamples: 1000, Jitter: 0.15,
}

// Validate reports the first field of c out of range.
func (c EnvoyGradientConfig) Validate() error {
	if err := checkBounds("Envoy gradient", c.Initial, c.Min, c.Max); err != nil {
		return err
	}
	if !(c.Buffer >= 0) || math.IsInf(c.Buffer, 1) {
		return fmt.Errorf("throttle: Envoy gradient buffer %v must be at least 0 and finite", c.Buffer)
	}
	if c.UpdateInterval <= 0 {
		return fmt.Errorf("throttle: Envoy gradient update interval %v must be above 0", c.UpdateInterval)
	}
	if c.MinRTTInterval <= 0 {
		return fmt.Errorf("throttle: Envoy gradient min RTT interval %v must be above 0", c.MinRTTInterval)
	}
	if c.MinRTTRequests < 1 {
		return fmt.Errorf("throttle: Envoy gradient min RTT requests %d below 1", c.MinRTTRequests)
	}
	if !(c.Percentile > 0 && c.Percentile <= 100) {
		return fmt.Errorf("throttle: Envoy gradient percentile %v outside (0, 100]", c.Percentile)
	}
	if !(c.Jitter >= 0 && c.Jitter <= 1) {
		return fmt.Errorf("throttle: Envoy gradient jitter %v outside [0, 1]", c.Jitter)
	}
	if c.WindowSamples < 1 || c.WindowSamples > MaxWindowSamples {
		return fmt.Errorf("throttle: Envoy gradient window samples %d outside 1..%d", c.WindowSamples, MaxWindowSamples)
	}
	return nil
}

// NewEnvoyGradient returns a controller with nothing in flight, in its first
// minRTT measurement phase, or c.Validate's error.
func NewEnvoyGradient(c EnvoyGradientConfig) (*EnvoyGradient, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	e := &EnvoyGradient{
		min:            float64(c.Min),
		max:            float64(c.Max),
		buffer:         c.Buffer,
		updateInterval: c.UpdateInterval,
		minRTTInterval: c.MinRTTInterval,
		minRTTRequests: c.MinRTTRequests,
		percentile:     c.Percentile,
		jitter:         c.Jitter,
		samples:        newSampleSet(c.WindowSamples, c.Seed),
	}
	e.measuring = true // phaseStart stays zero: every sample counts
	e.l.init(float64(c.Initial), e)
	return e, nil
}

// updateLocked is the Envoy gradient rule: an ok sample feeds the minRTT
// measurement or the current update window, and a Done at or after the
// window's end recomputes the limit. A measurement phase due at now begins
// first.
func (e *EnvoyGradient) updateLocked(now time.Time, latency time.Duration, ok bool, _ int, limit float64) float64 {
	e.observeLocked(now)
	latency = max(latency, 1) // a zero latency would divide by zero
	fresh := ok && !now.Add(-latency).Before(e.phaseStart)

	if e.measuring {
		if !fresh {
			return limit
		}
		e.samples.add(latency)
		e.phaseSamples++
		if e.phaseSamples >= e.minRTTRequests {
			e.measuring = false
			e.minRTT = max(1, e.samples.percentile(e.percentile))
			e.nextMinRTT = now.Add(e.nextInterval())
			e.atMin = 0
			e.windowStart = now
			e.samples.reset()
		}
		return limit
	}

	if fresh {
		e.samples.add(latency)
	}
	if now.Before(e.windowStart.Add(e.updateInterval)) {
		return limit
	}
	if e.samples.count() > 0 {
		sampleRTT := float64(e.samples.percentile(e.percentile))
		gradient := min(2, max(0.5, float64(e.minRTT)*(1+e.buffer)/sampleRTT))
		scaled := limit * gradient
		prev := limit
		limit = min(e.max, max(e.min, scaled+math.Sqrt(scaled)))
		if int(prev) == int(e.min) && int(limit) == int(e.min) {
			e.atMin++
		} else {
			e.atMin = 0
		}
		if e.atMin >= 5 { // minRTT may be wrong: measure it again now
			e.nextMinRTT = now
		}
	}
	e.windowStart = now
	e.samples.reset()
	return limit
}

// nextInterval is the time from the end of one measurement to the start of
// the next: MinRTTInterval plus up to Jitter of it, drawn from the seeded
// stream.
func (e *EnvoyGradient) nextInterval() time.Duration {
	if e.jitter == 0 {
		return e.minRTTInterval
	}
	return e.minRTTInterval + time.Duration(e.samples.rng.Float64()*e.jitter*float64(e.minRTTInterval))
}

// observeLocked enters a minRTT measurement phase if one is due at now. The
// computed limit is left untouched, to resume when the phase ends.
func (e *EnvoyGradient) observeLocked(now time.Time) {
	if e.measuring || now.Before(e.nextMinRTT) {
		return
	}
	e.measuring = true
	e.phaseStart = now
	e.phaseSamples = 0
	e.samples.reset()
}

// pinLocked starts a measurement phase if one is due at now and pins the
// limit in force to Min while measuring minRTT.
func (e *EnvoyGradient) pinLocked(now time.Time) (int, bool) {
	e.observeLocked(now)
	return e.pinnedLocked()
}

// pinnedLocked pins the limit in force to Min while measuring minRTT.
func (e *EnvoyGradient) pinnedLocked() (int, bool) { return int(e.min), e.measuring }

// Admit lets one unit in iff fewer than Limit() are in flight, first entering
// a minRTT measurement phase if one is due at now; queued is ignored.
func (e *EnvoyGradient) Admit(now time.Time, _ int) bool { return e.l.admit(now) }

// Done reports that one admitted unit left after latency, failed if !ok. An
// ok sample feeds the minRTT measurement or the current update window, and a
// Done at or after the window's end recomputes the limit.
func (e *EnvoyGradient) Done(now time.Time, latency time.Duration, ok bool) {
	e.l.done(now, latency, ok)
}

// Limit is the limit in force as of the latest Admit or Done, rounded down:
// Min during a minRTT measurement phase.
func (e *EnvoyGradient) Limit() int { return e.l.capacity() }

// Inflight is the number of units admitted and not yet Done.
func (e *EnvoyGradient) Inflight() int { return e.l.count() }

var (
	_ Admitter = (*EnvoyGradient)(nil)
	_ Feedback = (*EnvoyGradient)(nil)
	_ pinner   = (*EnvoyGradient)(nil)
)
