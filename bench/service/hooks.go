package service

import (
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/throttle"
)

// Hooks are how a policy acts on a model: an admission control per station
// from the start, and interventions at fixed times. Package policy builds them
// from a spec; every model takes them.
type Hooks struct {
	// Admit returns station s's admission control; nil, or a nil result,
	// admits all.
	Admit         func(s int) throttle.Admitter
	Interventions []Intervention
}

// Intervention is an operator action at a fixed virtual time.
type Intervention struct {
	At      sim.Time
	Restart bool                          // restart every station
	Admit   func(s int) throttle.Admitter // if non-nil, replaces each station's admission control
}

// AdmitterFor returns f(s), or AdmitAll when f or its result is nil.
func AdmitterFor(f func(int) throttle.Admitter, s int) throttle.Admitter {
	if f != nil {
		if a := f(s); a != nil {
			return a
		}
	}
	return throttle.AdmitAll{}
}
