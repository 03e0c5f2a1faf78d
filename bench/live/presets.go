package live

import (
	"embed"
	"fmt"

	"github.com/aftershock/aftershock/bench/scenario"
)

// RealtimeName is the built-in scenario that collapses and recovers in
// real time (time scale 1): live-realtime.toml.
const RealtimeName = "live-realtime"

//go:embed live-small.toml live-realtime.toml
var presetFiles embed.FS

// Preset is one of live mode's built-in scenarios.
type Preset struct {
	Name        string
	Description string // the scenario's own (its description key)
	Scale       float64
	Text        []byte // the file, as `loadgen scenarios show` prints it
}

// presetNames are live mode's presets, in the order Presets lists them,
// each with the time scale it is meant for.
var presetNames = []struct {
	name  string
	scale float64
}{{SmallName, 60}, {RealtimeName, 1}}

// Presets are live mode's built-in scenarios (what `loadgen scenarios`
// lists beside the simulator's presets): live-small, us-east-1 shrunk to
// minutes for --time-scale 60, and live-realtime, a collapse and recovery
// within 90 s of wall time at --time-scale 1.
func Presets() []Preset {
	ps := make([]Preset, 0, len(presetNames))
	for _, p := range presetNames {
		b, err := presetFiles.ReadFile(p.name + ".toml")
		if err != nil {
			panic(err) // embedded above: a bug
		}
		sc, err := scenario.Parse("live "+p.name, b)
		if err != nil {
			panic(err) // a broken preset is a bug; TestPresetsParse guards it
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

// LoadScenario reads one of live mode's presets, a simulator's preset or a
// scenario file.
func LoadScenario(ref string) (*scenario.Scenario, error) {
	if IsPreset(ref) {
		b, err := presetFiles.ReadFile(ref + ".toml")
		if err != nil {
			return nil, fmt.Errorf("live: preset %s: %w", ref, err)
		}
		return scenario.Parse("live "+ref, b)
	}
	return scenario.Load(ref)
}
