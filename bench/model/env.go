package model

import (
	"time"

	"github.com/aftershock/aftershock/bench/sim"
)

// Env is what a run gives every model when it is built, whatever the model.
// Every model is built the same way, New(Config, Env): its Config holds
// what is its own (its scenario sections, its station, its triggers, any
// input a cascade feeds it), its Env what the run hands every model alike.
// The runner (package bench) fills it; a test fills what its model reads.
type Env struct {
	// Seed is the run's seed. A model draws every random stream from it
	// (sim.Stream(Seed, name)), so one seed is one outcome.
	Seed uint64
	// Epoch is the wall time of virtual 0, handed to the policy's controls
	// (they read time.Time, as throttle's Admitters do): the scenario's
	// start, or the Unix epoch when it has none. The zero Epoch is the Unix
	// epoch (Start).
	Epoch time.Time
	// Hooks are the policy's; the zero Hooks are the scenario as written.
	Hooks Hooks
	// Horizon is how far the run will be driven (Options.Horizon), for a
	// model that sizes what it builds by it (netprop draws its standalone
	// input up to it). A model that does not need it ignores it.
	Horizon sim.Time
}

// Start is Epoch, or the Unix epoch when Epoch is zero.
func (e Env) Start() time.Time {
	if e.Epoch.IsZero() {
		return time.Unix(0, 0)
	}
	return e.Epoch
}
