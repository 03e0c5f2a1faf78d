package dwfm

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// collect runs a fresh model of cfg with spanIntervals = span and
// groupDroplets = group, and returns its samples and result.
func collect(t *testing.T, cfg Section, st model.StationConfig, hooks model.Hooks, span, group int, stop func() bool) ([]model.Sample, model.Result) {
	t.Helper()
	defer func(s, g int) { spanIntervals, groupDroplets = s, g }(spanIntervals, groupDroplets)
	spanIntervals, groupDroplets = span, group
	m, err := New(Config{DWFM: cfg, Service: st, Triggers: outage(157 * time.Minute)}, model.Env{Seed: 1, Hooks: hooks})
	if err != nil {
		t.Fatal(err)
	}
	var got []model.Sample
	res, err := m.Run(model.Options{Horizon: sim.Time(9 * time.Hour), Interval: sim.Time(time.Minute),
		Observe: func(s model.Sample) { got = append(got, s) }, Stop: stop})
	if err != nil {
		t.Fatal(err)
	}
	return got, res
}

// TestHostByHostIsTheFleetEngine: groups of hosts run one after another, each
// in its own engine, a span of samples at a time. With every host in one
// group and the whole run in one span, that is one fleet-wide engine; every
// other grouping (one host, two, a short last group) and span (one sample, a
// few) gives the same samples and result, on a fleet whose last host is short
// and with a restart of every host mid-collapse.
func TestHostByHostIsTheFleetEngine(t *testing.T) {
	cfg, st := small()
	cfg.Droplets = 4500 // the last host has 500
	hooks := model.Hooks{Interventions: []model.Intervention{{At: sim.Time(4 * time.Hour), Restart: true}}}
	want, wantRes := collect(t, cfg, st, hooks, 1<<20, 1<<30, nil)
	if len(want) != 9*60 || wantRes.Interrupted || wantRes.Totals.Dropped == 0 {
		t.Fatalf("%d samples, interrupted %v, %d dropped: want 540, a whole run and a restart that dropped work", len(want), wantRes.Interrupted, wantRes.Totals.Dropped)
	}
	for _, c := range []struct{ span, group int }{{1, 1000}, {7, 1000}, {60, 2000}, {240, 3000}, {1000, 1}} {
		got, res := collect(t, cfg, st, hooks, c.span, c.group, nil)
		if !slices.Equal(got, want) {
			t.Errorf("span %d, %d droplets a group: the samples differ from one fleet-wide engine's", c.span, c.group)
		}
		if g, w := fmt.Sprint(res), fmt.Sprint(wantRes); g != w {
			t.Errorf("span %d, %d droplets a group: result\n%s\nwant\n%s", c.span, c.group, g, w)
		}
	}
}

// TestStopEndsAtTheLastSampleHandedOut: a run stopped part way ends at the
// last sample it handed out, and those samples are the whole run's.
func TestStopEndsAtTheLastSampleHandedOut(t *testing.T) {
	cfg, st := small()
	cfg.Droplets, cfg.DropletsPerHost = 20_000, 100 // 200 hosts
	whole, _ := collect(t, cfg, st, model.Hooks{}, 60, 100, nil)
	polls := 0
	got, res := collect(t, cfg, st, model.Hooks{}, 60, 100, func() bool { polls++; return polls > 5 })
	if !res.Interrupted || len(got) == 0 || len(got) >= len(whole) {
		t.Fatalf("interrupted %v after %d of %d samples; want a run stopped part way", res.Interrupted, len(got), len(whole))
	}
	if res.End != got[len(got)-1].T {
		t.Errorf("ended at %v, the last sample handed out is at %v", res.End, got[len(got)-1].T)
	}
	if !slices.Equal(got, whole[:len(got)]) {
		t.Error("the samples of the stopped run differ from the whole run's")
	}
}

// TestRecoveryIsWhenTheLastHostIsFullyLeased: the recovery instant, put
// together from the hosts' own, lies between the last sample with a lapsed
// lease and the first without, after the outage.
func TestRecoveryIsWhenTheLastHostIsFullyLeased(t *testing.T) {
	cfg, st := small()
	hooks := model.Hooks{Interventions: []model.Intervention{{At: sim.Time(3 * time.Hour), Restart: true}}}
	cfg.EstablishTimeout = model.Duration(3 * time.Hour) // no doomed retries: it recovers
	got, res := collect(t, cfg, st, hooks, 60, 1000, nil)
	if !res.Recovered {
		t.Fatal("did not recover")
	}
	r := res.TriggerEnd + res.Recovery
	for _, s := range got {
		if s.T < res.TriggerEnd {
			continue
		}
		if s.T >= r && s.Expired != 0 {
			t.Errorf("at %v, after recovery at %v, %d leases lapsed", s.T, r, s.Expired)
		}
		if s.T < r && s.T+sim.Time(time.Minute) > r && s.Expired == 0 {
			t.Errorf("at %v, the sample before recovery at %v, no lease lapsed", s.T, r)
		}
	}
}
