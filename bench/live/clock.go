package live

import (
	"math"
	"time"
)

// Clock maps wall-clock time to model time: model = (wall − Start) × Scale.
// The zero Clock is not usable; Scale must be above 0.
type Clock struct {
	Start time.Time // wall time of model time 0
	Scale float64   // model seconds per wall second
}

// Model is the model time at wall time w (negative before Start),
// saturating at the limits of time.Duration (a start years away at a large
// scale).
func (c Clock) Model(w time.Time) time.Duration { return scaled(float64(w.Sub(c.Start)) * c.Scale) }

func scaled(f float64) time.Duration {
	switch {
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return time.Duration(f)
}

// Wall is the wall time of model time m.
func (c Clock) Wall(m time.Duration) time.Time { return c.Start.Add(c.Span(m)) }

// Span is the wall duration of a model span m.
func (c Clock) Span(m time.Duration) time.Duration { return scaled(float64(m) / c.Scale) }

// ModelSpan is the model span of a wall duration w.
func (c Clock) ModelSpan(w time.Duration) time.Duration { return scaled(float64(w) * c.Scale) }
