package bench

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/bench/sim"
)

// cascadeFuzzLimits are fuzzLimits with room for the later stages'
// estimate, which bounds every propagation item as if refused every
// retry_after for the whole 14.5 h (some 1,700 events an item): a run of
// about 30,000 items at most, a second or so when its policy does refuse
// them all.
var cascadeFuzzLimits = Limits{Events: 5e7, Bytes: 512 << 20, Rows: 1e6}

// cascadeSmall are the keys the cascade fuzzer always sets, to keep a run
// small: DWFM's droplets, and the propagation stage's base stream (the
// preset's 2 items/s is 100,000 items over the run).
var cascadeSmall = []string{"stages.dwfm.dwfm.droplets", "stages.netprop.netprop.base_rate"}

// cascadeVary are the cascade preset's keys the cascade fuzzer sets, by
// their --vary path, each across its range: the link's, and every stage's
// that shapes what the next stage gets.
func cascadeVary(k *knobs) map[string]string {
	return map[string]string{
		"stages.dwfm.dwfm.droplets":          fmt.Sprint(k.count(1, 3000)),
		"stages.dwfm.dwfm.droplets_per_host": fmt.Sprint(k.count(1, 1000)),
		"stages.dwfm.trigger.1.duration":     k.span(time.Second, 14*time.Hour).String(),
		"stages.dwfm.dwfm.check_interval":    k.span(time.Second, 3*time.Hour).String(),
		"stages.dwfm.interval":               k.span(10*time.Second, 2*time.Hour).String(),
		"link.items_per_droplet_hour":        fmt.Sprint(k.number(0.01, 40)),
		"link.release_over":                  k.span(time.Millisecond, 20*time.Hour).String(),
		"link.nlb_every":                     fmt.Sprint(k.count(1, 5000)),
		"link.visible_latency":               k.span(time.Millisecond, 10*time.Hour).String(),
		"link.failover_off_at":               k.span(time.Minute, 14*time.Hour).String(),
		"link.reach_before":                  fmt.Sprint(k.number(0, 1)),
		"stages.netprop.service.workers":     fmt.Sprint(k.count(1, 64)),
		"stages.netprop.netprop.base_rate":   fmt.Sprint(k.number(0, 0.3)),
		"stages.nlb.nlb.targets_per_zone":    fmt.Sprint(k.count(1, 60)),
		"stages.nlb.nlb.zones":               fmt.Sprint(k.count(1, 8)),
		"stages.nlb.nlb.check_interval":      k.span(time.Second, time.Hour).String(),
		"stages.nlb.service.workers":         fmt.Sprint(k.count(1, 16)),
	}
}

// FuzzCascade runs the us-east-1-cascade preset with its link's and stages'
// keys set as --vary would (a small DWFM stage and base stream always) under a policy per
// stage, and asserts what FuzzScenarios does of every run (each stage's
// invariants, checked by the cascade; the event's Result.Check; the cost
// estimate bounding the run; the ideal the one none gets), and the
// cascade's own: every milestone within the run, none of the later stages'
// before every lease is back, the event's end the latest of the ends.
//
//	go test ./bench -run XXX -fuzz FuzzCascade -fuzztime 5m
func FuzzCascade(f *testing.F) {
	for _, b := range [][]byte{nil, {128, 128, 128, 128, 128, 128, 128, 128}, {255, 255, 255, 255, 255, 255, 255, 255, 255, 255}, {3, 200, 17, 90, 250, 1, 77, 140, 33, 210, 5, 180}} {
		f.Add(uint16(1), b)
	}
	base, err := scenario.Load("us-east-1-cascade")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, seed uint16, data []byte) {
		k := &knobs{b: data}
		sc := base
		vals := cascadeVary(k)
		var set []string
		for _, key := range slices.Sorted(maps.Keys(vals)) {
			if !slices.Contains(cascadeSmall, key) && !k.chance(0.5) {
				continue
			}
			s, err := With(sc, key, vals[key])
			if err != nil {
				continue // a value the scenario refuses, alone or with the others: the refusals are tested apart
			}
			sc, set = s, append(set, key+"="+vals[key])
		}
		for _, key := range cascadeSmall {
			if !slices.ContainsFunc(set, func(s string) bool { return strings.HasPrefix(s, key+"=") }) {
				return // the preset's sizes take seconds a run
			}
		}
		var specs []string
		for _, stage := range []string{"dwfm", "netprop", "nlb"} {
			if k.chance(0.6) {
				specs = append(specs, stage+"="+k.genPolicy())
			}
		}
		if k.chance(0.2) {
			specs = append(specs, []string{"operator", "mitigated"}[k.pick(2)])
		}
		spec := strings.Join(specs, " ")
		text := "preset us-east-1-cascade with " + strings.Join(set, "; ")
		var results []Outcome
		for _, p := range []string{"none", spec} { // none first: it runs even when spec cannot be built
			start := time.Now()
			r := Run{Scenario: sc, Policy: p, Seed: uint64(seed), Limits: cascadeFuzzLimits, Stop: func() bool { return time.Since(start) > fuzzWall }}
			o, err := r.Execute()
			if o.Result.Interrupted {
				t.Fatalf("runaway: still running after %v of wall time\npolicy %q, seed %d, %s", fuzzWall, p, seed, text)
			}
			var v *model.Violation
			if errors.As(err, &v) {
				t.Fatalf("%v\npolicy %q, seed %d, %s", err, p, seed, text)
			}
			if err != nil {
				return // a spec this scenario cannot take, a run over the limits
			}
			if est, _ := r.Estimate(); float64(o.Result.Events) > 4*est.Events+1e4 {
				t.Fatalf("the cost estimate does not bound the run: %d events fired, %.0f estimated\npolicy %q, seed %d, %s", o.Result.Events, est.Events, p, seed, text)
			}
			if bad := cascadeMilestonesBroken(*o.Cascade, o.Result.End); bad != "" {
				t.Fatalf("%s\npolicy %q, seed %d, %s", bad, p, seed, text)
			}
			results = append(results, o)
		}
		if a, b := results[1].Result.Ideal, results[0].Result.Ideal; a != b {
			t.Fatalf("invariant %q broken: ideal %v under %q, %v under none\nseed %d, %s", InvariantSameIdeal, a, spec, b, seed, text)
		}
	})
}

// cascadeMilestonesBroken says what in o's milestones cannot be: one after
// the run's end; one of a later stage before every lease was back (or any
// when DWFM did not recover); an event end that is not the latest of the
// ends, or one while an end is missing.
func cascadeMilestonesBroken(o cascade.Outcome, end sim.Time) string {
	m := o.Milestones
	for _, d := range cascade.MilestoneDefs {
		at := d.At(m)
		switch {
		case at > end:
			return fmt.Sprintf("%s at %v, after the run's end at %v", d.Name, at, end)
		case at >= 0 && d.Name != "dwfm_recovered" && d.Name != "failover_off" && d.Name != "failover_on" && (m.DWFMRecovered < 0 || at < m.DWFMRecovered):
			return fmt.Sprintf("%s at %v, before every lease was back (%v)", d.Name, at, m.DWFMRecovered)
		}
	}
	ends := []sim.Time{m.DWFMRecovered, m.PropNormal, m.NLBRestored, m.ConnRestored}
	if slices.Min(ends) < 0 {
		if m.EventEnd >= 0 {
			return fmt.Sprintf("event end %v with an end missing: %v", m.EventEnd, ends)
		}
		return ""
	}
	if m.EventEnd != slices.Max(ends) && !o.Interrupted {
		return fmt.Sprintf("event end %v, the latest of the ends %v", m.EventEnd, ends)
	}
	return ""
}
