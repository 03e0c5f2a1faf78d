package throttle

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Vegas is a delay-based adaptive concurrency limit after TCP Vegas, as
// VegasLimit in Netflix concurrency-limits. It estimates how many units are
// queued inside the service from how far latency has risen above the no-load
// round trip, and steers that estimate into a small band. It admits a unit
// while fewer than Limit() units are in flight.
//
// rttNoLoad is the smallest latency of any ok sample since the last probe.
// On each Done, with lg = max(1, log10(limit)) and inflight counted before
// this unit leaves:
//
//	!ok:                      target = limit / 2
//	probe due (below):        rttNoLoad = latency; limit unchanged
//	queue = limit · (1 − rttNoLoad/latency)
//	queue ≤ lg:               target = limit + 6·lg    (no queue: grow fast)
//	lg < queue < 3·lg:        target = limit + lg      (short queue: grow)
//	3·lg ≤ queue ≤ 6·lg:      unchanged                (in the band)
//	queue > 6·lg:             target = limit − lg      (queueing: shrink)
//	an increase while inflight·2 < limit is skipped (app-limited)
//	limit = (1−Smoothing)·limit + Smoothing·clamp(target, 1, Max)
//
// Re-probing the no-load latency, as Netflix's VegasLimit does: every ok
// sample counts, and once the count reaches jitter·ProbeMultiplier·limit
// (jitter drawn uniformly from [0.5, 1) anew after each probe) the sample is a
// probe: rttNoLoad is reset to its latency, the count to 0, and the limit is
// left alone. So a no-load latency that rose for good (a slower dependency)
// is re-learnt after 15-30 limits' worth of samples instead of being read as
// queueing forever. The jitter comes from a PCG stream seeded with Seed: the
// same Seed and samples give the same probes. ProbeMultiplier 0 never
// re-probes.
//
// Defaults (DefaultVegas) are Netflix's: Initial 20, Max 1000, Smoothing 1
// (no smoothing), alpha = 3·log10, beta = 6·log10, threshold = log10,
// ProbeMultiplier 30.
//
// Simplified relative to Netflix: log10 is taken on the float limit (Netflix
// rounds it down to an int) and the queue estimate is not rounded up; a drop
// halves the target (Netflix's default decrease on a drop is limit − log10);
// the app-limited guard only blocks increases (Netflix skips every update
// that is not a drop); a sample that lowers rttNoLoad still moves the limit
// (Netflix skips that sample); only ok samples count towards a probe and can
// be one (Netflix counts and probes on every sample, failed ones included).
//
// Trade-offs: Vegas needs a clean no-load RTT. A single fast outlier (a cache
// hit, an early error reported as ok) lowers rttNoLoad until the next probe
// and makes every sample until then look queued, holding the limit low; a
// service whose base latency rises permanently (a slower dependency, a bigger
// payload) is read as queueing and squeezed until the next probe. A probe
// taken while a queue stands learns the queued latency as no-load, and the
// limit grows until the next. It reacts to latency, not only to drops, so it holds
// queueing down where AIMD would not.
//
// Done must be called exactly once per admitted unit, and never for a refused
// one; extra Done calls do not drive Inflight below zero. Admit ignores
// queued. Admit and Done allocate nothing.
//
// The zero value is not usable; use NewVegas. A Vegas is safe for concurrent
// use: one mutex, the shared limiter core's, guards the limit, the count and
// the rule's state.
type Vegas struct {
	l         limiter
	max       float64
	smoothing float64

	probeMultiplier float64

	// guarded by l.mu
	lgOf, lg    float64       // lg = max(1, log10(lgOf)), for the last limit seen
	rttNoLoad   time.Duration // 0 until the first ok sample
	probeCount  int           // ok samples since the last probe
	probeJitter float64       // in [0.5, 1)
	rng         *rand.Rand    // the probe jitter's stream
}

// VegasConfig parameterises a Vegas limit; see DefaultVegas.
type VegasConfig struct {
	Initial, Max int     // starting limit and its upper bound: 1 ≤ Initial ≤ Max (the lower bound is 1)
	Smoothing    float64 // weight of the new target, in (0, 1]; 1 jumps straight to it
	// ProbeMultiplier: rttNoLoad is re-probed after jitter·ProbeMultiplier·limit
	// ok samples, jitter in [0.5, 1); 0 never re-probes; ≤ MaxProbeMultiplier.
	ProbeMultiplier int
	Seed            uint64 // seeds the probe jitter
}

// MaxProbeMultiplier bounds VegasConfig.ProbeMultiplier.
const MaxProbeMultiplier = 1 << 20

// DefaultVegas holds the defaults of Netflix concurrency-limits' VegasLimit.
var DefaultVegas = VegasConfig{Initial: 20, Max: 1000, Smoothing: 1.0, ProbeMultiplier: 30}

// Validate reports the first field of c out of range.
func (c VegasConfig) Validate() error {
	if c.Initial < 1 {
		return fmt.Errorf("throttle: Vegas initial %d below 1", c.Initial)
	}
	if c.Max < c.Initial {
		return fmt.Errorf("throttle: Vegas max %d below initial %d", c.Max, c.Initial)
	}
	if !(c.Smoothing > 0 && c.Smoothing <= 1) {
		return fmt.Errorf("throttle: Vegas smoothing %v outside (0, 1]", c.Smoothing)
	}
	if c.ProbeMultiplier < 0 || c.ProbeMultiplier > MaxProbeMultiplier {
		return fmt.Errorf("throttle: Vegas probe multiplier %d outside 0..%d", c.ProbeMultiplier, MaxProbeMultiplier)
	}
	return nil
}

// NewVegas returns a Vegas limit at c.Initial with nothing in flight and no
// rttNoLoad yet, or c.Validate's error.
func NewVegas(c VegasConfig) (*Vegas, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	v := &Vegas{max: float64(c.Max), smoothing: c.Smoothing, probeMultiplier: float64(c.ProbeMultiplier),
		rng: rand.New(rand.NewPCG(c.Seed, c.Seed^0xbb67ae8584caa73b))}
	v.probeJitter = v.jitter()
	v.l.init(float64(c.Initial), v)
	return v, nil
}

// updateLocked is Vegas's rule; see the type's doc.
func (v *Vegas) updateLocked(_ time.Time, latency time.Duration, ok bool, inflight int, limit float64) float64 {
	var target float64
	if !ok {
		target = limit / 2
	} else {
		latency = max(latency, 1) // a zero latency would divide by zero
		if v.probeMultiplier > 0 {
			v.probeCount++
			if v.probeJitter*v.probeMultiplier*limit <= float64(v.probeCount) {
				v.probeJitter, v.probeCount = v.jitter(), 0
				v.rttNoLoad = latency
				return limit
			}
		}
		if v.rttNoLoad == 0 || latency < v.rttNoLoad {
			v.rttNoLoad = latency
		}
		queue := limit * (1 - float64(v.rttNoLoad)/float64(latency))
		if limit != v.lgOf { // log10 is most of Done's cost; the limit often repeats
			v.lgOf, v.lg = limit, max(1, math.Log10(limit))
		}
		lg := v.lg
		alpha, beta, threshold := 3*lg, 6*lg, lg
		switch {
		case queue <= threshold:
			target = limit + beta
		case queue < alpha:
			target = limit + lg
		case queue > beta:
			target = limit - lg
		default:
			return limit
		}
		if target > limit && float64(inflight)*2 < limit {
			return limit
		}
	}
	target = min(v.max, max(1, target))
	return (1-v.smoothing)*limit + v.smoothing*target
}

// jitter draws a probe jitter in [0.5, 1).
func (v *Vegas) jitter() float64 { return 0.5 + v.rng.Float64()/2 }

// Admit lets one unit in iff fewer than Limit() are in flight; queued is
// ignored.
func (v *Vegas) Admit(now time.Time, _ int) bool { return v.l.admit(now) }

// Done reports that one admitted unit left after latency, failed or dropped
// if !ok, and updates the limit.
func (v *Vegas) Done(now time.Time, latency time.Duration, ok bool) { v.l.done(now, latency, ok) }

// Limit is the current limit, rounded down, at least 1.
func (v *Vegas) Limit() int { return v.l.capacity() }

// Inflight is the number of units admitted and not yet Done.
func (v *Vegas) Inflight() int { return v.l.count() }

var (
	_ Admitter = (*Vegas)(nil)
	_ Feedback = (*Vegas)(nil)
	_ rule     = (*Vegas)(nil)
)
