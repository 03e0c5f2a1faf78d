package bench

import (
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/nlb"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/bench/sim"
)

// TestPropagationFeedsTheNLB is the chaining the cascade will do, by hand:
// the launches the netprop preset propagates (one in 100, spread over the
// AZs, as one NLB sees them) become the nlb preset's launched targets, each
// reachable from its propagation instant. The models never import each
// other; their input and output types meet here.
func TestPropagationFeedsTheNLB(t *testing.T) {
	np, err := scenario.Load("netprop")
	if err != nil {
		t.Fatal(err)
	}
	lb, err := scenario.Load("nlb")
	if err != nil {
		t.Fatal(err)
	}
	horizon := sim.Time(6 * time.Hour) // past the end of propagation's backlog (10:33)
	prop, err := netprop.New(netprop.Config{NetProp: np.NetProp, Service: np.Service}, model.Env{Seed: 1, Epoch: np.Start, Horizon: horizon})
	if err != nil {
		t.Fatal(err)
	}
	var targets []nlb.Target
	for z := range lb.NLB.Zones {
		for range lb.NLB.TargetsPerZone {
			targets = append(targets, nlb.Target{Zone: z})
		}
	}
	initial, n := len(targets), 0
	prop.Output = func(launched, propagated sim.Time) {
		if n++; n%100 == 0 {
			targets = append(targets, nlb.Target{Zone: n / 100 % lb.NLB.Zones, Launch: launched, Propagated: propagated})
		}
	}
	if _, err := prop.Run(model.Options{Horizon: horizon, Interval: sim.Time(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if len(targets)-initial < 200 {
		t.Fatalf("%d launches reached the NLB", len(targets)-initial)
	}
	m, err := nlb.New(nlb.Config{NLB: lb.NLB, Service: lb.Service, Targets: targets}, model.Env{Seed: 1, Epoch: lb.Start})
	if err != nil {
		t.Fatal(err)
	}
	var worst float64
	m.OnInterval = func(iv nlb.Interval) { worst = max(worst, iv.ConnErrorRate) }
	res, err := m.Run(model.Options{Horizon: horizon, Interval: sim.Time(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	// The NLB stage starts with the earliest launch it was fed, and slow
	// propagation shows as connection errors.
	first := targets[initial].Launch
	for _, tg := range targets[initial:] {
		if tg.Propagated < tg.Launch {
			t.Fatalf("target propagated at %v before its launch at %v", tg.Propagated, tg.Launch)
		}
		first = min(first, tg.Launch)
	}
	if res.TriggerEnd != first || worst == 0 {
		t.Fatalf("NLB stage from %v (first launch %v), worst error rate %v", res.TriggerEnd, first, worst)
	}
	t.Logf("%d launches fed to the NLB; worst connection error rate %.3f; totals %+v", len(targets)-initial, worst, m.Totals())
}
