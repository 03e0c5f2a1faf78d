package nlb

import (
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// Passive health checks turn connections away from unpropagated targets and
// change nothing else: with the same seed the health checks, flaps and
// removals are identical, the errors the removals cause are identical, and
// every interval's connection errors are no higher (lower over the run).
func TestPassiveChecksOnlyTurnConnections(t *testing.T) {
	c, sp := testConfig()
	c.PassiveCatch = 0
	m0, _, iv0 := run(t, c, sp, 3, model.Hooks{}, testHorizon)
	c.PassiveCatch = 1
	m1, _, iv1 := run(t, c, sp, 3, model.Hooks{}, testHorizon)
	t0, t1 := m0.Totals(), m1.Totals()
	if t0.Flaps != t1.Flaps || t0.Failovers != t1.Failovers || t0.Removed != t1.Removed || t0.CapacityErrorShare != t1.CapacityErrorShare {
		t.Fatalf("passive checks changed the NLB's actions: %+v, then %+v", t0, t1)
	}
	if len(iv0) != len(iv1) {
		t.Fatalf("%d intervals, then %d", len(iv0), len(iv1))
	}
	for i := range iv0 {
		if iv1[i].ConnErrorRate > iv0[i].ConnErrorRate+1e-12 {
			t.Fatalf("at %v: errors %.4f with passive checks, %.4f without", iv0[i].T, iv1[i].ConnErrorRate, iv0[i].ConnErrorRate)
		}
	}
	if !(t1.ConnErrorShare < t0.ConnErrorShare-0.001) {
		t.Fatalf("errors %.4f with passive checks, %.4f without: no connection turned", t1.ConnErrorShare, t0.ConnErrorShare)
	}
}

// A new target enters service after one passed check (NLB's troubleshooting
// guide), not after the healthy threshold's five: launched at 1m and
// reachable at once, it is in service within its first check interval.
func TestNewTargetNeedsOneCheck(t *testing.T) {
	c := Section{Zones: 1, TargetsPerZone: 1, Launches: 1, LaunchAt: model.Duration(time.Minute),
		LaunchOver: model.Duration(time.Second), LaunchWeights: []float64{1},
		Propagation: model.MustParseDist("const(1ms)"), ReachBefore: 1, Load: 0.5, FlapWork: 1, FailoverWork: 1}
	sp := model.StationConfig{Workers: 1, ServiceTime: model.MustParseDist("const(10ms)")}
	m, _, _ := run(t, c, sp, 1, model.Hooks{}, sim.Time(2*time.Minute))
	if n := len(m.ts); n != 2 {
		t.Fatalf("%d targets, want the initial one and the launch", n)
	}
	if l := m.ts[1]; !l.healthy || !l.inService {
		t.Fatalf("launched at 1m, checked from at most 1m30s: healthy %v, in service %v at 2m", l.healthy, l.inService)
	}
}
