package model

import (
	"fmt"
	"slices"

	"github.com/aftershock/aftershock/bench/sim"
)

// Trigger kinds.
const (
	LoadSpike        = "load-spike"
	CapacityCut      = "capacity-cut"
	DependencyOutage = "dependency-outage"
	// DNSRace is a dependency outage the DNS race decides (package
	// dnsrace): dnsrace.Expand turns it into dependency-outage triggers for
	// a seed, and dnsrace.CheckTrigger validates its race parameters.
	DNSRace = "dns-race"
)

// TriggerConfig is one [[trigger]] section of a scenario file.
type TriggerConfig struct {
	Kind     string   `toml:"kind"`
	At       Duration `toml:"at"` // start, from the start of the run
	Duration Duration `toml:"duration"`
	Factor   float64  `toml:"factor"`  // load-spike: arrival-rate multiplier; capacity-cut: service-time multiplier
	Workers  int      `toml:"workers"` // capacity-cut: workers during the cut (0: unchanged)

	// dns-race only (see dnsrace.ConfigOf): the race may empty the record within
	// [at, at+duration); unset fields take dnsrace's defaults.
	EnactorDelay       Dist     `toml:"enactor_delay"`
	PlanInterval       Duration `toml:"plan_interval"`
	CleanupGenerations int      `toml:"cleanup_generations"`
	Repair             Duration `toml:"repair"`
	Variant            string   `toml:"variant"`
}

// Limits on a trigger's factor: a spike's keeps the arrival rate finite and
// the run bounded; a cut's keeps a slowed service time inside sim.Time.
const (
	MaxSpikeFactor = 1000
	MaxCutFactor   = 100
)

// Validate checks t on its own; Windows checks it against a model.
func (t TriggerConfig) Validate() error {
	if err := t.check(); err != nil {
		return fmt.Errorf("model: %w", err)
	}
	return nil
}

func (t TriggerConfig) check() error {
	if err := InRange("at", t.At, 0, MaxSpan); err != nil {
		return err
	}
	if err := InRange("duration", t.Duration, 1, MaxSpan); err != nil {
		return err
	}
	if t.Kind != DNSRace && t.raceSet() {
		return fmt.Errorf("%s: enactor_delay, plan_interval, cleanup_generations, repair and variant are for %s triggers only", t.Kind, DNSRace)
	}
	switch t.Kind {
	case LoadSpike:
		if !(t.Factor > 0 && t.Factor <= MaxSpikeFactor) {
			return fmt.Errorf("load-spike factor %v outside (0, %d]", t.Factor, MaxSpikeFactor)
		}
	case CapacityCut:
		if t.Factor != 0 && !(t.Factor >= 1 && t.Factor <= MaxCutFactor) {
			return fmt.Errorf("capacity-cut factor %v outside [1, %d] (below 1 would speed service up)", t.Factor, MaxCutFactor)
		}
		if t.Workers < 0 || t.Workers > MaxWorkers {
			return fmt.Errorf("capacity-cut workers %d outside 0..%d", t.Workers, MaxWorkers)
		}
		if t.Workers == 0 && (t.Factor == 0 || t.Factor == 1) {
			return fmt.Errorf("capacity-cut needs workers or a factor above 1")
		}
	case DependencyOutage:
	case DNSRace: // its race's own parameters: dnsrace.CheckTrigger
		if t.Factor != 0 || t.Workers != 0 {
			return fmt.Errorf("%s takes no factor or workers (factor %v, workers %d)", DNSRace, t.Factor, t.Workers)
		}
	default:
		return fmt.Errorf("kind %q unknown (want %s, %s, %s or %s)", t.Kind, LoadSpike, CapacityCut, DependencyOutage, DNSRace)
	}
	return nil
}

// raceSet reports whether any dns-race field is set.
func (t TriggerConfig) raceSet() bool {
	return t.EnactorDelay.Law != nil || t.PlanInterval != 0 || t.CleanupGenerations != 0 || t.Repair != 0 || t.Variant != ""
}

// Window is a validated trigger: active on [Start, End).
type Window struct {
	Kind       string
	Start, End sim.Time
	Factor     float64
	Workers    int
}

// Windows validates triggers, and their kinds against those a model supports.
func Windows(ts []TriggerConfig, supported ...string) ([]Window, error) {
	var ws []Window
	for i, t := range ts {
		if err := t.check(); err != nil {
			return nil, fmt.Errorf("model: trigger %d: %w", i+1, err)
		}
		if !slices.Contains(supported, t.Kind) {
			return nil, fmt.Errorf("model: trigger %d: kind %q not supported here (want one of %v)", i+1, t.Kind, supported)
		}
		w := Window{Kind: t.Kind, Start: sim.Time(t.At), End: sim.Time(t.At + t.Duration), Factor: t.Factor, Workers: t.Workers}
		if t.Kind == CapacityCut && t.Factor == 0 {
			w.Factor = 1
		}
		ws = append(ws, w)
	}
	return ws, nil
}

// End returns when the last trigger ends (0 with no trigger).
func End(ws []Window) sim.Time {
	var e sim.Time
	for _, w := range ws {
		e = max(e, w.End)
	}
	return e
}

// Active reports whether a trigger of kind is active at t, and the first such.
func Active(ws []Window, kind string, t sim.Time) (Window, bool) {
	for _, w := range ws {
		if w.Kind == kind && t >= w.Start && t < w.End {
			return w, true
		}
	}
	return Window{}, false
}
