package bench

import (
	"fmt"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/nlb"
	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/bench/sim"
)

func enabledCascade(sc *scenario.Scenario) bool { return sc.Stages.Enabled() }

// planCascade resolves a cascade run. spec is the stages' policies, one
// "stage=SPEC" or bundle or bare (DWFM's) spec per word (cascade.
// ParsePolicies); each is built for its stage's station as a single-model
// run builds it, and refused where it does not apply (failover-off on
// anything but the nlb stage). The DWFM stage is built as the dwfm
// registration builds it; the later stages' inputs come from the earlier
// ones' outputs as the run goes, so their cost is bounded by the most the
// link can hand them (cascade.Sized), which also refuses, before the run, a
// link that could overflow a stage's limits; the time series the cascade
// holds until its last stage ends is in the cost too (cascade.SeriesBytes).
func planCascade(sc *scenario.Scenario, spec string, seed uint64) (Plan, error) {
	pol, err := cascade.ParsePolicies(strings.Fields(spec))
	if err != nil {
		return Plan{}, err
	}
	ds, ps, ns := sc.Stages.DWFM, sc.Stages.NetProp, sc.Stages.NLB
	var caveats []string
	build := func(stage, spec string, st *scenario.Scenario, timeout time.Duration, failover bool) (model.Hooks, error) {
		if spec == "" {
			return model.Hooks{}, nil
		}
		env := envOf(st, timeout, sc.Start, seed)
		h, err := policy.Build(spec, env)
		if err == nil {
			err = Applies(spec, h, failover, st.Name)
		}
		if err != nil {
			return h, fmt.Errorf("bench: stage %s: %w", stage, err)
		}
		for _, c := range policy.Caveats(spec, env) {
			caveats = append(caveats, "stage "+stage+": "+c)
		}
		return h, nil
	}
	dh, err := build("dwfm", pol.DWFM, ds, timeoutDWFM(ds), false)
	if err != nil {
		return Plan{}, err
	}
	ph, err := build("netprop", pol.NetProp, ps, timeoutNetProp(ps), false)
	if err != nil {
		return Plan{}, err
	}
	nh, err := build("nlb", pol.NLB, ns, timeoutNLB(ns), true)
	if err != nil {
		return Plan{}, err
	}
	pc, nc, err := cascade.Sized(sc.Link, ds.DWFM.Droplets, sc.Horizon, ps.NetProp, ns.NLB)
	if err != nil {
		return Plan{}, fmt.Errorf("bench: scenario %s: %w", sc.Name, err)
	}
	cost := costDWFM(ds, dh)
	for _, c := range []model.Cost{pc.Cost(sc.Horizon), nc.Cost(sc.Horizon)} {
		cost.Events += c.Events
		cost.Bytes += c.Bytes
	}
	cost.Bytes += cascade.SeriesBytes(float64(sc.Horizon)/float64(sc.Interval) + 1)
	return Plan{Policy: pol.String(), Caveats: caveats, Cost: cost, New: func(env model.Env) (Model, error) {
		de := env
		de.Hooks = dh
		dm, err := newDWFM(ds, de)
		if err != nil {
			return nil, fmt.Errorf("bench: stage dwfm: %w", err)
		}
		return built(cascade.New(cascade.Config{Link: sc.Link, DWFM: dm, OutageStart: outageStart(ds),
			NetProp: netprop.Config{NetProp: ps.NetProp, Service: ps.Service}, NLB: nlb.Config{NLB: ns.NLB, Service: ns.Service},
			NetPropHooks: ph, NLBHooks: nh}, env))
	}}, nil
}

// outageStart is the start of the scenario's first dependency outage (0 if
// it has none).
func outageStart(sc *scenario.Scenario) sim.Time {
	ws, err := model.Windows(sc.Triggers, model.DependencyOutage)
	if err != nil || len(ws) == 0 {
		return 0
	}
	first := ws[0].Start
	for _, w := range ws[1:] {
		first = min(first, w.Start)
	}
	return first
}
