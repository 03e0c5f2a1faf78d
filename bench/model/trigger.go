package model

import (
	"fmt"
	"time"

	"github.com/aftershock/aftershock/bench/sim"
)

// Trigger kinds.
const (
	LoadSpike        = "load-spike"
	CapacityCut      = "capacity-cut"
	DependencyOutage = "dependency-outage"
)

// TriggerConfig is one [[trigger]] section of a scenario file.
type TriggerConfig struct {
	Kind     string        `scn:"kind,required"`
	At       time.Duration `scn:"at,nonneg"` // start, from the start of the run
	Duration time.Duration `scn:"duration,positive,required"`
	Factor   float64       `scn:"factor,nonneg"`  // load-spike: arrival-rate multiplier; capacity-cut: service-time multiplier
	Workers  int           `scn:"workers,nonneg"` // capacity-cut: workers during the cut (0: unchanged)
}

// Window is a validated trigger: active on [Start, End).
type Window struct {
	Kind       string
	Start, End sim.Time
	Factor     float64
	Workers    int
}

// Windows validates triggers against the kinds a model supports.
func Windows(ts []TriggerConfig, supported ...string) ([]Window, error) {
	var ws []Window
	for i, t := range ts {
		ok := false
		for _, k := range supported {
			ok = ok || t.Kind == k
		}
		if !ok {
			return nil, fmt.Errorf("model: trigger %d: kind %q not supported here (want one of %v)", i+1, t.Kind, supported)
		}
		w := Window{Kind: t.Kind, Start: sim.Time(t.At), End: sim.Time(t.At + t.Duration), Factor: t.Factor, Workers: t.Workers}
		switch t.Kind {
		case LoadSpike:
			if t.Factor <= 0 {
				return nil, fmt.Errorf("model: trigger %d: load-spike needs factor > 0, got %v", i+1, t.Factor)
			}
		case CapacityCut:
			if t.Factor == 0 {
				w.Factor = 1
			}
			if t.Factor > 0 && t.Factor < 1 {
				return nil, fmt.Errorf("model: trigger %d: capacity-cut factor %v below 1 would speed service up", i+1, t.Factor)
			}
			if t.Workers == 0 && w.Factor == 1 {
				return nil, fmt.Errorf("model: trigger %d: capacity-cut needs workers or factor", i+1)
			}
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
