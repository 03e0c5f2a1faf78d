package nlb

import (
	"math"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// The tests here drive the model's tick by hand: targets all launched at 0
// (registered, healthy, in service), whose health a test sets as checks
// would, then the tick the engine runs every Tick. No check runs, so every
// number a tick measures can be counted by hand from the targets' state.

// ticker is a model of hand-set targets and the intervals its ticks measured.
type ticker struct {
	t   *testing.T
	m   *Model
	ivs []Interval
}

func newTicker(t *testing.T, c Section, ts []Target, h model.Hooks) *ticker {
	t.Helper()
	m, err := New(Config{NLB: c, Service: model.StationConfig{Workers: 1, ServiceTime: model.MustParseDist("exp(1s)")}, Targets: ts}, model.Env{Seed: 1, Hooks: h})
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.ts {
		m.register(0, uint64(i))
	}
	k := &ticker{t: t, m: m}
	m.OnInterval = func(iv Interval) { k.ivs = append(k.ivs, iv) }
	return k
}

// zones returns n targets in each of len(prop) zones, all launched at 0,
// target i of zone z propagated at prop[z][i] (0 when not given).
func zones(n int, prop ...[]sim.Time) []Target {
	var ts []Target
	for z := range prop {
		for i := range n {
			var p sim.Time
			if i < len(prop[z]) {
				p = prop[z][i]
			}
			ts = append(ts, Target{Zone: z, Propagated: p})
		}
	}
	return ts
}

// health sets the targets' health as their checks left it.
func (k *ticker) health(healthy bool, targets ...int) {
	for _, i := range targets {
		k.m.ts[i].healthy = healthy
	}
}

// tick runs the tick at n·Tick and closes an interval of that one tick.
func (k *ticker) tick(n int) Interval {
	now := sim.Time(n) * sim.Time(Tick)
	k.m.tick(now, 0)
	k.m.flush(now, sim.Time(Tick))
	return k.ivs[len(k.ivs)-1]
}

const tick = sim.Time(Tick)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

// TestTickMeasuresByHand: two AZs of four targets, min_healthy 2, load 0.25
// of the fleet, reach_before 0.5, passive_catch 0.5. At tick 1 two targets
// of AZ 1 have failed their checks and leave service; AZ 1 keeps exactly
// min_healthy healthy targets, so it does not fail open: clients reach its
// two targets in service, one of them not yet propagated (until tick 2).
func TestTickMeasuresByHand(t *testing.T) {
	c := Section{Zones: 2, TargetsPerZone: 4, ReachBefore: 0.5, PassiveCatch: 0.5, Load: 0.25, FlapWork: 3, MinHealthy: 2,
		TTL: model.Duration(Tick)}
	k := newTicker(t, c, zones(4, nil, []sim.Time{0, 2 * tick}), model.Hooks{})
	k.health(false, 6, 7)

	// Tick 1. Load 2 connections, 1 per AZ (both in DNS). AZ 0: 4 targets,
	// nothing lost. AZ 1: 2 routed, reachable 1 + 0.5; passive checks turn
	// half of the unreachable share: 1.5 + 0.5·0.5 = 1.75 of 2 get through,
	// so 1 − 1·1.75/2 = 0.125 fails, none for lack of routed capacity.
	iv := k.tick(1)
	if iv.Removed != 2 || iv.Flaps != 2 || iv.HCLoad != 2*3/5.0 || iv.Failovers != 0 {
		t.Errorf("tick 1: removed %d, flaps %d, hc load %v/s, failovers %d; want 2, 2, %v (2 flaps × 3 jobs in 5 s), 0",
			iv.Removed, iv.Flaps, iv.HCLoad, iv.Failovers, 2*3/5.0)
	}
	if iv.CapacityFraction != 5.5/8 || iv.ConnErrorRate != 0.125/2 || iv.CapacityErrorRate != 0 || iv.UnpropagatedErrorRate != 0.125/2 {
		t.Errorf("tick 1: capacity %v, conn errors %v, capacity errors %v, unpropagated %v; want %v, %v, 0, %v",
			iv.CapacityFraction, iv.ConnErrorRate, iv.CapacityErrorRate, iv.UnpropagatedErrorRate, 5.5/8, 0.125/2, 0.125/2)
	}

	// Tick 2, the instant target 5's state propagates: it is reachable.
	iv = k.tick(2)
	if iv.CapacityFraction != 6.0/8 || iv.ConnErrorRate != 0 || iv.Removed != 0 || iv.Flaps != 0 || iv.HCLoad != 0 {
		t.Errorf("tick 2: capacity %v, conn errors %v, removed %d, flaps %d, hc load %v; want 0.75 and nothing else",
			iv.CapacityFraction, iv.ConnErrorRate, iv.Removed, iv.Flaps, iv.HCLoad)
	}

	// Clients holding an answer with AZ 1 at half weight send it a third of
	// the load (2/3 of a connection for its 2 targets): nothing fails.
	k.m.measure(3*tick, []float64{1, 0.5})
	k.m.flush(3*tick, tick)
	iv = k.ivs[len(k.ivs)-1]
	if iv.CapacityFraction != (4+0.5*2)/8.0 || iv.ConnErrorRate != 0 || iv.CapacityErrorRate != 0 {
		t.Errorf("AZ 1 at half weight: capacity %v, conn errors %v, capacity errors %v; want %v, 0, 0",
			iv.CapacityFraction, iv.ConnErrorRate, iv.CapacityErrorRate, (4+0.5*2)/8.0)
	}

	tot := k.m.Totals()
	if want := (8 - 5.5 + 8 - 6 + 8 - 5) * time.Duration(Tick).Hours(); !near(tot.CapacityLostTargetH, want) {
		t.Errorf("capacity lost %v target-h, want %v", tot.CapacityLostTargetH, want)
	}
	if tot.ConnErrorShare != 0.0625/3 || tot.UnpropagatedErrorShare != 0.0625/3 || tot.CapacityErrorShare != 0 {
		t.Errorf("shares: conn %v, unpropagated %v, capacity %v; want the shares over 3 ticks of equal load: %v, %v, 0",
			tot.ConnErrorShare, tot.UnpropagatedErrorShare, tot.CapacityErrorShare, 0.0625/3, 0.0625/3)
	}
	if tot.Removed != 2 || tot.Flaps != 2 || tot.FailOpenTicks != 0 {
		t.Errorf("totals: removed %d, flaps %d, fail-open ticks %d; want 2, 2, 0", tot.Removed, tot.Flaps, tot.FailOpenTicks)
	}
}

// TestFailoverAndTheClientsView: AZ 1's four targets all fail at tick 2. It
// fails open (routing to every target), leaves DNS at once (no velocity
// control), costing its checker failover_work per target, and clients see
// it gone one TTL (two ticks) later. It returns at tick 5, again at
// failover_work per target, and is back in the clients' view at tick 7.
// Then every AZ fails (DNS fails open: one tick counted), and at tick 9
// each has exactly min_healthy healthy targets, which is not a failure.
func TestFailoverAndTheClientsView(t *testing.T) {
	c := Section{Zones: 2, TargetsPerZone: 4, ReachBefore: 1, PassiveCatch: 1, Load: 0.5, FailoverWork: 7, MinHealthy: 2,
		TTL: model.Duration(2 * Tick)}
	k := newTicker(t, c, zones(4, nil, nil), model.Hooks{})
	type want struct {
		capacity, hcLoad, inDNS float64
		failovers, flaps        int
	}
	steps := []struct {
		before func()
		want   want
	}{
		{func() {}, want{1, 0, 2, 0, 0}},
		{func() { k.health(false, 4, 5, 6, 7) }, want{1, 7 * 4 / 5.0, 1, 1, 4}}, // AZ 1 leaves DNS: 28 jobs
		{func() {}, want{1, 0, 1, 0, 0}},
		{func() {}, want{0.5, 0, 1, 0, 0}}, // the answer of tick 2
		{func() { k.health(true, 4, 5, 6, 7) }, want{0.5, 7 * 4 / 5.0, 2, 0, 4}},
		{func() {}, want{0.5, 0, 2, 0, 0}},
		{func() {}, want{1, 0, 2, 0, 0}},
	}
	for i, s := range steps {
		s.before()
		iv := k.tick(i + 1)
		got := want{iv.CapacityFraction, iv.HCLoad, iv.InDNS, iv.Failovers, iv.Flaps}
		if got != s.want || iv.ConnErrorRate != 0 {
			t.Errorf("tick %d: %+v, conn errors %v; want %+v, 0", i+1, got, iv.ConnErrorRate, s.want)
		}
	}
	tot := k.m.Totals()
	if tot.Failovers != 1 || tot.FailoversCompleted != 1 || tot.Drained != 4 || tot.Removed != 4 || tot.Flaps != 8 || tot.FailOpenTicks != 0 {
		t.Errorf("after the failover: %+v; want 1 failover completed, 4 targets drained and removed, 8 flaps, no fail-open tick", tot)
	}

	k.health(false, 0, 1, 2, 3, 4, 5, 6, 7)
	iv := k.tick(8)
	if tot := k.m.Totals(); tot.FailOpenTicks != 1 || tot.Failovers != 1 || iv.InDNS != 2 || iv.CapacityFraction != 1 {
		t.Errorf("every AZ failed: %d fail-open ticks, %d failovers, %v AZs in DNS, capacity %v; want 1, 1, 2, 1 (routing fails open too)",
			tot.FailOpenTicks, tot.Failovers, iv.InDNS, iv.CapacityFraction)
	}
	k.health(true, 0, 1, 4, 5)
	iv = k.tick(9)
	if tot := k.m.Totals(); tot.FailOpenTicks != 1 || iv.InDNS != 2 || iv.Failovers != 0 {
		t.Errorf("every AZ at min_healthy: %d fail-open ticks, %v AZs in DNS, %d failovers; want 1, 2, 0", tot.FailOpenTicks, iv.InDNS, iv.Failovers)
	}
}

// TestVelocityCutsByHand: a control letting 25% of the capacity in DNS go
// per 5 minutes. AZ failover: AZ 1 (4 of 8 targets) fails; 2 may go at
// tick 2, nothing more at tick 3, and the rest is kept in DNS (2 targets
// each tick), a cut each tick. Single targets paced: three of AZ 0's
// targets fail; two may leave at tick 2, the third is kept in service at
// ticks 2 and 3, a cut each.
func TestVelocityCutsByHand(t *testing.T) {
	c := Section{Zones: 2, TargetsPerZone: 4, ReachBefore: 1, PassiveCatch: 1, Load: 0.5, MinHealthy: 2, TTL: model.Duration(Tick)}
	h := velocity(0.25, 5*time.Minute)
	k := newTicker(t, c, zones(4, nil, nil), h)
	k.tick(1)
	k.health(false, 4, 5, 6, 7)
	iv2, iv3 := k.tick(2), k.tick(3)
	tot := k.m.Totals()
	if iv2.Failovers != 1 || iv2.Drained != 2 || iv2.InDNS != 1.5 || iv3.Failovers != 0 || iv3.Drained != 0 || iv3.InDNS != 1.5 {
		t.Errorf("AZ failover: tick 2 %d failovers, %v drained, %v in DNS; tick 3 %d, %v, %v; want 1, 2, 1.5; 0, 0, 1.5",
			iv2.Failovers, iv2.Drained, iv2.InDNS, iv3.Failovers, iv3.Drained, iv3.InDNS)
	}
	if tot.VelocityCuts != 2 || !near(tot.KeptInDNS, 4*tickH) || tot.KeptInService != 0 || tot.FailoversCompleted != 0 {
		t.Errorf("AZ failover: %d cuts, %v kept in DNS, %v in service, %d completed; want 2, %v, 0, 0",
			tot.VelocityCuts, tot.KeptInDNS, tot.KeptInService, tot.FailoversCompleted, 4*tickH)
	}

	c.MinHealthy = 1
	h.VelocityTargets = true
	k = newTicker(t, c, zones(4, nil, nil), h)
	k.tick(1)
	k.health(false, 0, 1, 2)
	iv2, iv3 = k.tick(2), k.tick(3)
	tot = k.m.Totals()
	if iv2.Removed != 2 || iv3.Removed != 0 || tot.VelocityCuts != 2 || !near(tot.KeptInService, 2*tickH) || !near(iv2.KeptInService, tickH) {
		t.Errorf("targets paced: removed %d then %d, %d cuts, %v kept in service (%v at tick 2); want 2, 0, 2, %v (%v)",
			iv2.Removed, iv3.Removed, tot.VelocityCuts, tot.KeptInService, iv2.KeptInService, 2*tickH, tickH)
	}
}

// TestFailoverCountedOnceWhenItBegins: a failover begins at the tick the
// AZ's DNS weight first leaves 1, and is counted then, once, however many
// ticks the velocity control makes it wait before that or drain after.
// Three AZs of four targets, a cap of 25% per 5 minutes. AZ 1 fails at tick
// 2 and drains 3 of its 4 targets (the window's whole 25% of 12): one
// failover begun. AZ 2 fails at tick 3: the window has nothing left, so its
// weight stays 1 for the 60 ticks until tick 2's grant leaves the window;
// none of those ticks begins a failover. At tick 62 AZ 2 starts to drain:
// its failover begins, counted once; AZ 1 (partly drained) goes on draining
// without beginning another.
func TestFailoverCountedOnceWhenItBegins(t *testing.T) {
	c := Section{Zones: 3, TargetsPerZone: 4, ReachBefore: 1, PassiveCatch: 1, Load: 0.3, MinHealthy: 1, TTL: model.Duration(Tick)}
	k := newTicker(t, c, zones(4, nil, nil, nil), velocity(0.25, 5*time.Minute))
	k.tick(1)
	k.health(false, 4, 5, 6, 7)
	if iv := k.tick(2); iv.Failovers != 1 || iv.Drained != 3 || iv.InDNS != 2.25 {
		t.Fatalf("tick 2, AZ 1 fails: %d failovers, %v drained, %v AZs in DNS; want 1, 3 (25%% of 12), 2.25", iv.Failovers, iv.Drained, iv.InDNS)
	}
	k.health(false, 8, 9, 10, 11)
	window := int(5 * time.Minute / time.Duration(Tick)) // 60 ticks
	n := 3
	for ; n < 2+window; n++ {
		if iv := k.tick(n); iv.Failovers != 0 || iv.Drained != 0 {
			t.Fatalf("tick %d, AZ 2 failed and the window full: %d failovers begun, %v drained; want 0, 0 (its weight has not moved)", n, iv.Failovers, iv.Drained)
		}
	}
	if k.m.dnsW[2] != 1 {
		t.Fatalf("AZ 2's weight %v before tick 2's grant leaves the window; want 1", k.m.dnsW[2])
	}
	iv := k.tick(n)
	if iv.Failovers != 1 || !(iv.Drained > 0) || !(k.m.dnsW[2] < 1) {
		t.Errorf("tick %d, the window freed: %d failovers begun, %v drained, AZ 2's weight %v; want 1 (AZ 2's), some, below 1", n, iv.Failovers, iv.Drained, k.m.dnsW[2])
	}
	for n++; n < 2+3*window; n++ {
		if iv := k.tick(n); iv.Failovers != 0 {
			t.Fatalf("tick %d, both AZs draining: %d failovers begun; want 0", n, iv.Failovers)
		}
	}
	if tot := k.m.Totals(); tot.Failovers != 2 || tot.FailoversCompleted > tot.Failovers {
		t.Errorf("totals: %d failovers begun, %d completed; want 2 begun, no more completed", tot.Failovers, tot.FailoversCompleted)
	}
}

// TestRestoredAtOrUnderOnePercent: one AZ of 100 targets at load 1. One
// target out of service loses exactly 1% of the connections, for lack of
// routed capacity: restored (at or under RestoredErrors), so the errors
// have not begun. Two out lose 2%: they begin, and end at the next tick.
func TestRestoredAtOrUnderOnePercent(t *testing.T) {
	c := Section{Zones: 1, TargetsPerZone: 100, ReachBefore: 1, PassiveCatch: 1, Load: 1, MinHealthy: 1, TTL: model.Duration(Tick)}
	k := newTicker(t, c, zones(100, nil), model.Hooks{})
	if tot := k.m.Totals(); tot.ConnErrorShare != 0 || tot.CapacityErrorShare != 0 || tot.UnpropagatedErrorShare != 0 {
		t.Errorf("before any tick: %+v; want shares of 0", tot)
	}
	k.tick(1)
	k.health(false, 0)
	if iv := k.tick(2); iv.ConnErrorRate != 0.01 || iv.CapacityErrorRate != 0.01 || iv.UnpropagatedErrorRate != 0 {
		t.Fatalf("one target of 100 out: conn %v, capacity %v, unpropagated %v; want 0.01, 0.01, 0", iv.ConnErrorRate, iv.CapacityErrorRate, iv.UnpropagatedErrorRate)
	}
	from, until := k.m.CapacityErrors()
	if got := k.m.ErrorsFrom(); got != -1 || from != -1 || until != -1 {
		t.Errorf("errors of exactly 1%%: from %v, capacity errors %v to %v; want none (-1)", got, from, until)
	}
	k.health(false, 1)
	k.tick(3)
	k.health(true, 0, 1)
	k.tick(4)
	k.tick(5)
	from, until = k.m.CapacityErrors()
	if got := k.m.ErrorsFrom(); got != 3*tick || from != 3*tick || until != 4*tick || k.m.lastBad != 3*tick {
		t.Errorf("2%% at tick 3 only: errors from %v (last %v), capacity errors %v to %v; want from tick 3 to tick 4", got, k.m.lastBad, from, until)
	}
	if tot := k.m.Totals(); !near(tot.ConnErrorShare, 0.03/5) || !near(tot.CapacityErrorShare, 0.03/5) || tot.UnpropagatedErrorShare != 0 {
		t.Errorf("shares: conn %v, capacity %v, unpropagated %v; want %v, %v, 0", tot.ConnErrorShare, tot.CapacityErrorShare, tot.UnpropagatedErrorShare, 0.03/5, 0.03/5)
	}
}

// TestFailoverSwitchedByHand: failover off over [2, 4) ticks by the
// scenario: the first tick with it off is tick 2, the first with it back
// on tick 4; an operator turning it off again at tick 6 changes neither.
func TestFailoverSwitchedByHand(t *testing.T) {
	c := Section{Zones: 1, TargetsPerZone: 2, ReachBefore: 1, PassiveCatch: 1, Load: 0.5, MinHealthy: 1, TTL: model.Duration(Tick),
		FailoverOffAt: model.Duration(2 * Tick), FailoverOnAt: model.Duration(4 * Tick)}
	k := newTicker(t, c, zones(2, nil), model.Hooks{})
	for n := 1; n <= 5; n++ {
		k.tick(n)
		off, on := k.m.FailoverSwitched()
		want := [2]sim.Time{-1, -1}
		if n >= 2 {
			want[0] = 2 * tick
		}
		if n >= 4 {
			want[1] = 4 * tick
		}
		if [2]sim.Time{off, on} != want {
			t.Fatalf("after tick %d: failover switched off at %v, on at %v; want %v", n, off, on, want)
		}
	}
	k.m.forcedOff = true
	k.tick(6)
	if off, on := k.m.FailoverSwitched(); off != 2*tick || on != 4*tick {
		t.Errorf("off again at tick 6: switched off at %v, on at %v; want the first switches, ticks 2 and 4", off, on)
	}
}

// TestSharesOverTheStageByConnection: the error shares are of the
// connections offered from the stage's first launch, each tick weighted by
// its connections. One AZ of 4 targets at load 0.5, 4 launches at tick 3
// and 8 at tick 4. Ticks 1–2, before the stage: 2 connections each, none
// fails. Tick 3: 8 registered (4 connections), target 0 out of service, 3
// routed: 1 connection fails (0.25). Tick 4: 16 registered (8
// connections), target 0 and the first launches healthy, 8 routed: none
// fails. Share:
// 1 of 12 connections; the mean over the stage's ticks would be 1/8 and
// over every tick 1/16 (the old averaging).
func TestSharesOverTheStageByConnection(t *testing.T) {
	c := Section{Zones: 1, TargetsPerZone: 4, ReachBefore: 1, PassiveCatch: 1, Load: 0.5, MinHealthy: 1, TTL: model.Duration(Tick)}
	ts := zones(4, nil)
	for i := range 12 {
		at := 3 * tick
		if i >= 4 {
			at = 4 * tick
		}
		ts = append(ts, Target{Launch: at, Propagated: at})
	}
	m, err := New(Config{NLB: c, Service: model.StationConfig{Workers: 1, ServiceTime: model.MustParseDist("exp(1s)")}, Targets: ts}, model.Env{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		m.register(0, uint64(i))
	}
	m.tick(tick, 0)
	m.tick(2*tick, 0)
	for i := 4; i < 8; i++ {
		m.register(3*tick, uint64(i))
	}
	m.ts[0].healthy = false
	m.tick(3*tick, 0)
	for i := 4; i < 16; i++ {
		m.register(4*tick, uint64(i))
		m.ts[i].healthy = i < 8
	}
	m.ts[0].healthy = true
	m.tick(4*tick, 0)
	tot := m.Totals()
	if !near(tot.ConnErrorShare, 1.0/12) || !near(tot.CapacityErrorShare, 1.0/12) || tot.UnpropagatedErrorShare != 0 {
		t.Errorf("shares: conn %v, capacity %v, unpropagated %v; want 1/12 (%v): 1 of the stage's 12 connections; not 1/8 (a mean over its ticks) nor 1/16 (over every tick)",
			tot.ConnErrorShare, tot.CapacityErrorShare, tot.UnpropagatedErrorShare, 1.0/12)
	}
}
