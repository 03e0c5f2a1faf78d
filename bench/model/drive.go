package model

import "github.com/aftershock/aftershock/bench/sim"

// Options are how a built model's run is driven, shared by every model
// (the seed is the model's, given when it was built: Env.Seed).
type Options struct {
	Horizon  sim.Time
	Interval sim.Time     // sample interval
	Observe  func(Sample) // called once per interval; may be nil
	Stop     func() bool  // polled once per interval; true ends the run early (interrupt)
}

// Drive runs eng to the horizon, calling flush at the end of every interval
// and stopping early when o.Stop says so. It reports whether the run was
// interrupted and when it ended.
func Drive(eng *sim.Engine, o Options, flush func(t, dt sim.Time) Sample) (interrupted bool, end sim.Time) {
	prev := sim.Time(0)
	for t := o.Interval; ; t += o.Interval {
		if t > o.Horizon {
			t = o.Horizon
		}
		eng.RunUntil(t)
		s := flush(t, t-prev)
		prev = t
		if o.Observe != nil {
			o.Observe(s)
		}
		if t >= o.Horizon {
			return false, t
		}
		if o.Stop != nil && o.Stop() {
			return true, t
		}
	}
}
