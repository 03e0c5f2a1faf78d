package bench

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
)

// fuzzLimits keep one fuzz input to tens of milliseconds: a run estimated
// above them is skipped, not run.
var fuzzLimits = Limits{Events: 1e7, Bytes: 256 << 20, Rows: 1e6}

// fuzzWall is the wall time after which a fuzzed run is a runaway: a
// hundred times what the limits let a run take, and as many times more as
// the race detector slows it (go test -race ./... runs the seeds: at 5 s a
// loaded machine took 4.4 s for seed#34's).
const fuzzWall = 5 * time.Second * raceSlowdown

// presetVary are the preset scenarios the fuzzer also runs, each with keys
// it may override at small scale ("" keeps the preset's value).
var presetVary = []struct {
	name   string
	keys   func(k *knobs) map[string]string
	always string // a key always set: the one that keeps the run small
}{
	{"us-east-1", func(k *knobs) map[string]string {
		return map[string]string{"dwfm.droplets": fmt.Sprint(k.count(1, 3000)), "dwfm.droplets_per_host": fmt.Sprint(k.count(1, 1000)),
			"trigger.1.duration": k.span(time.Second, 14*time.Hour).String(), "dwfm.check_interval": k.span(time.Second, 3*time.Hour).String()}
	}, "dwfm.droplets"},
	{"metastable", func(k *knobs) map[string]string {
		return map[string]string{"trigger.1.factor": fmt.Sprint(k.number(1.1, 10)), "trigger.1.duration": k.span(time.Millisecond, 50*time.Second).String(),
			"clients.timeout": k.span(time.Millisecond, 10*time.Second).String()}
	}, ""},
	{"mm1", func(k *knobs) map[string]string {
		return map[string]string{"horizon": k.span(time.Minute, 3*time.Minute).String()}
	}, "horizon"},
	{"netprop", func(k *knobs) map[string]string {
		return map[string]string{"netprop.surge": fmt.Sprint(k.count(1, 5000)), "horizon": k.span(10*time.Minute, 3*time.Hour).String()}
	}, "horizon"},
	{"nlb", func(k *knobs) map[string]string {
		return map[string]string{"nlb.targets_per_zone": fmt.Sprint(k.count(1, 60)), "nlb.launches": fmt.Sprint(k.count(1, 400))}
	}, ""},
}

// FuzzScenarios runs the scenario space at small scale and asserts every
// run's invariants (model.Result.Check, the samples', each model's own: the
// DWFM recovery held to the horizon), and that the policy's ideal bound is
// the one `none` gets on the same seed. kind picks a generator (a DWFM lease
// manager, the generic service under retries, the Network Manager, the NLB
// checker: every key across its range) or a preset with overridden keys; the
// knobs pick the values and the policy (every registered one, with
// parameters, alone or composed). A failure prints the scenario file, the
// policy and the seed that reproduce it:
//
//	go test ./bench -run XXX -fuzz FuzzScenarios -fuzztime 10m
func FuzzScenarios(f *testing.F) {
	for kind := range uint8(len(kinds) + len(presetVary)) {
		for _, b := range [][]byte{nil, {128, 128, 128, 128, 128, 128, 128, 128}, {255, 255, 255, 255, 255, 255, 255, 255, 255, 255}, {3, 200, 17, 90, 250, 1, 77, 140, 33, 210, 5, 180}} {
			f.Add(kind, uint16(1), b)
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, seed uint16, data []byte) {
		k := &knobs{b: data}
		sc, text, ok := fuzzScenario(t, k, int(kind))
		if !ok {
			return // not a valid scenario: the decoder's own fuzzer covers refusals
		}
		spec := k.genPolicy()
		runs := []Run{{Scenario: sc, Policy: spec, Seed: uint64(seed), Limits: fuzzLimits}, {Scenario: sc, Policy: "none", Seed: uint64(seed), Limits: fuzzLimits}}
		var ideals []model.Result
		for _, r := range runs {
			// A small run takes milliseconds: one still going after
			// fuzzWall is a runaway, reported with its input instead of
			// hanging the fuzzer's worker.
			start := time.Now()
			r.Stop = func() bool { return time.Since(start) > fuzzWall }
			o, err := r.Execute()
			if o.Result.Interrupted {
				t.Fatalf("runaway: still running after %v of wall time at t=%v (%d events)\npolicy %q, seed %d, scenario:\n%s", fuzzWall, o.Result.End, o.Result.Events, r.Policy, r.Seed, text)
			}
			var v *model.Violation
			if errors.As(err, &v) {
				t.Fatalf("%v\npolicy %q, seed %d, scenario:\n%s", err, r.Policy, r.Seed, text)
			}
			if err != nil {
				return // a spec this scenario cannot take, a run over the limits
			}
			// The limits trust the estimate to bound the run's size (a
			// collapse that never drains is its worst case, three events an
			// attempt): a run far past it is a runaway the limits cannot
			// stop. Small runs may pass it by a little (per-request events
			// the estimate leaves out); four times is a runaway.
			if est, _ := r.Estimate(); float64(o.Result.Events) > 4*est.Events+1e4 {
				t.Fatalf("the cost estimate does not bound the run: %d events fired, %.0f estimated\npolicy %q, seed %d, scenario:\n%s", o.Result.Events, est.Events, r.Policy, r.Seed, text)
			}
			ideals = append(ideals, o.Result)
		}
		if a, b := ideals[0].Ideal, ideals[1].Ideal; a != b {
			t.Fatalf("invariant %q broken: ideal %v under %q, %v under none\nseed %d, scenario:\n%s", InvariantSameIdeal, a, spec, b, seed, text)
		}
	})
}

// fuzzScenario builds the scenario kind picks: a generated file, or a
// preset with keys overridden as --vary would.
func fuzzScenario(t *testing.T, k *knobs, kind int) (*scenario.Scenario, string, bool) {
	kind %= len(kinds) + len(presetVary)
	if kind < len(kinds) {
		text := kinds[kind](k)
		sc, err := scenario.Parse("fuzz.toml", []byte(text))
		return sc, text, err == nil
	}
	pv := presetVary[kind-len(kinds)]
	sc, err := scenario.Load(pv.name)
	if err != nil {
		t.Fatal(err)
	}
	var set []string
	vals := pv.keys(k)
	keys := slices.Sorted(maps.Keys(vals)) // the same input, the same scenario
	for _, key := range keys {
		val := vals[key]
		if key == pv.always || k.chance(0.6) {
			if sc, err = With(sc, key, val); err != nil {
				return nil, "", false
			}
			set = append(set, key+"="+val)
		}
	}
	return sc, fmt.Sprintf("preset %s with %s", pv.name, strings.Join(set, "; ")), true
}
