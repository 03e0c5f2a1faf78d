package netprop

import (
	"math"
	"math/rand/v2"

	"github.com/aftershock/aftershock/bench/sim"
)

// Event is one item of propagation work offered at At.
type Event struct {
	At     sim.Time
	Launch bool // a launch (its instance becomes reachable once propagated); else a termination
}

// Input is a stream of items in non-decreasing time order. Next returns the
// next one, false when the stream has ended. A standalone run uses Stream;
// the cascade hands the items DWFM held back (Config.Input) (see the package doc).
type Input interface {
	Next() (Event, bool)
}

// Stream is the standalone input of a Section: a Poisson base stream merged
// with the surge, offered evenly over its span. It ends at the horizon.
type Stream struct {
	c       Section
	rng     *rand.Rand
	horizon sim.Time
	base    sim.Time // next base item; past the horizon when none
	k       int      // surge items offered
}

var _ Input = (*Stream)(nil)

// NewStream returns c's input up to horizon, drawn from rng.
func NewStream(c Section, horizon sim.Time, rng *rand.Rand) *Stream {
	s := &Stream{c: c, rng: rng, horizon: horizon, base: horizon + 1}
	if c.BaseRate > 0 {
		s.base = s.gap(0)
	}
	return s
}

func (s *Stream) gap(t sim.Time) sim.Time {
	d := s.rng.ExpFloat64() / s.c.BaseRate * 1e9
	if d > float64(s.horizon) {
		return s.horizon + 1
	}
	return t + sim.Time(math.Ceil(d))
}

// surgeAt is the instant of surge item k.
func (s *Stream) surgeAt(k int) sim.Time {
	return sim.Time(s.c.SurgeAt) + sim.Time(float64(s.c.SurgeOver)*float64(k)/float64(s.c.Surge))
}

// Next returns the next item.
func (s *Stream) Next() (Event, bool) {
	var t sim.Time
	switch {
	case s.k < s.c.Surge && s.surgeAt(s.k) <= s.base:
		t = s.surgeAt(s.k)
		s.k++
	case s.base <= s.horizon:
		t = s.base
		s.base = s.gap(t)
	default:
		return Event{}, false
	}
	if t > s.horizon {
		return Event{}, false
	}
	return Event{At: t, Launch: s.rng.Float64() < s.c.LaunchShare}, true
}
