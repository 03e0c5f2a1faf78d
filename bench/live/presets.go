package live

import (
	"github.com/aftershock/aftershock/bench/scenario"
)

// RealtimeName is the built-in scenario that collapses and recovers in
// real time (time scale 1): package scenario's presets/live-realtime.toml.
const RealtimeName = "live-realtime"

// Preset is one of live mode's built-in scenarios.
type Preset struct {
	Name        string
	Description string // the scenario's own (its description key)
	Scale       float64
	Text        []byte // the file, as `loadgen scenarios show` prints it
}

// presetNames are live mode's presets, in the order Presets lists them,
// each with the time scale it is meant for. They are package scenario's
// presets like any other (sim and loadgen scenarios take them too); live
// mode adds the scale.
var presetNames = []struct {
	name  string
	scale float64
}{{SmallName, 60}, {RealtimeName, 1}}

// Presets are live mode's built-in scenarios: live-small, us-east-1
// shrunk to minutes for --time-scale 60, and live-realtime, a collapse
// and recovery within 90 s of wall time at --time-scale 1.
func Presets() []Preset {
	ps := make([]Preset, 0, len(presetNames))
	for _, p := range presetNames {
		b, err := scenario.PresetText(p.name)
		if err != nil {
			panic(err) // embedded in package scenario: a bug
		}
		sc, err := scenario.Parse("preset "+p.name, b)
		if err != nil {
			panic(err) // a broken preset is a bug; TestPresets guards it
		}
		ps = append(ps, Preset{Name: p.name, Description: sc.Description, Scale: p.scale, Text: b})
	}
	return ps
}

// IsPreset reports whether name is one of live mode's presets.
func IsPreset(name string) bool {
	for _, p := range presetNames {
		if p.name == name {
			return true
		}
	}
	return false
}

// LoadScenario reads a preset (live mode's among them) or a scenario file.
func LoadScenario(ref string) (*scenario.Scenario, error) { return scenario.Load(ref) }
