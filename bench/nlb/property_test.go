package nlb

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// randomCase draws a small NLB: 1-4 AZs, 1-20 targets each, up to 60
// launches, any reachability, flap work, checker, DNS minimum and failover
// window.
func randomCase(r *rand.Rand) (Section, model.StationConfig) {
	c := Section{Zones: 1 + r.IntN(4), TargetsPerZone: 1 + r.IntN(20), Launches: r.IntN(61),
		LaunchAt: model.Duration(r.Int64N(int64(30 * time.Minute))), LaunchOver: model.Duration(r.Int64N(int64(time.Hour))),
		Propagation: model.MustParseDist("exp(20m)"), ReachBefore: r.Float64(), PassiveCatch: r.Float64(), Load: 0.1 + r.Float64(),
		FlapWork: r.IntN(100), FailoverWork: r.IntN(5)}
	c.MinHealthy = 1 + r.IntN(c.TargetsPerZone)
	switch r.IntN(3) {
	case 0: // failover on throughout
	case 1:
		c.FailoverOffAt = model.Duration(int64(time.Minute) + r.Int64N(int64(time.Hour)))
		c.FailoverOnAt = c.FailoverOffAt + model.Duration(int64(time.Minute)+r.Int64N(int64(time.Hour)))
	case 2:
		c.FailoverOffAt = model.Duration(int64(time.Minute) + r.Int64N(int64(time.Hour)))
	}
	sp := model.StationConfig{Workers: 1 + r.IntN(3), ServiceTime: model.MustParseDist("exp(300ms)")}
	return c, sp
}

// overloaded makes c an NLB whose AZs fail over: several AZs of a few
// targets, failover on, many launches that stay unpropagated for hours, and
// a checker their checks overload, so every check is late.
func overloaded(r *rand.Rand, c Section) (Section, model.StationConfig) {
	sp := model.StationConfig{Workers: 1, ServiceTime: model.MustParseDist("exp(3s)")}
	c.Zones, c.TargetsPerZone, c.Launches = 2+r.IntN(3), 1+r.IntN(3), 40+r.IntN(40)
	c.ReachBefore, c.MinHealthy = 0.1*r.Float64(), 1
	c.LaunchAt, c.LaunchOver = model.Duration(time.Minute), model.Duration(20*time.Minute)
	c.Propagation = model.MustParseDist("exp(3h)")
	c.FailoverOffAt, c.FailoverOnAt = 0, 0
	return c, sp
}

const propertyHorizon = sim.Time(2 * time.Hour)

// tickState is what a test reads of the model after a tick, counted from the
// target table and the DNS weights, not from the model's own counters.
type tickState struct {
	routed []float64 // per AZ: targets in service, or every registered one when the AZ fails open
	w      []float64 // DNS weights
	open   []bool
}

func readState(m *Model) tickState {
	Z := len(m.dnsW)
	s := tickState{routed: make([]float64, Z), w: append([]float64(nil), m.dnsW...), open: make([]bool, Z)}
	reg, inSvc, healthy := make([]int, Z), make([]int, Z), make([]int, Z)
	for _, t := range m.ts {
		if !t.registered {
			continue
		}
		reg[t.zone]++
		if t.inService {
			inSvc[t.zone]++
		}
		if t.healthy {
			healthy[t.zone]++
		}
	}
	for z := range Z {
		s.open[z] = healthy[z] < m.cfg.MinHealthy
		s.routed[z] = float64(inSvc[z])
		if s.open[z] {
			s.routed[z] = float64(reg[z])
		}
	}
	return s
}

// capacity is the capacity in DNS: targets routed × the AZ's DNS weight.
func (s tickState) capacity() float64 {
	var c float64
	for z := range s.w {
		c += s.routed[z] * s.w[z]
	}
	return c
}

// drained is the capacity AZ failover took out of DNS between two ticks:
// each AZ's routed targets times the DNS weight it lost.
func drained(prev, cur tickState) float64 {
	var d float64
	for z := range cur.w {
		if cur.w[z] < prev.w[z] {
			d += cur.routed[z] * (prev.w[z] - cur.w[z])
		}
	}
	return d
}

// Property: over random NLBs whose AZs fail over, under random caps, the
// capacity AZ failover drains from DNS in any window ending at a tick at
// which it drains (computed from each tick's targets in service × DNS
// weights) stays within the cap's share of the capacity left in DNS plus
// what was drained in that window (capacity that leaves service in other
// ways later lowers the bound, but not what has gone); AZ failover
// still happens under a cap (some AZ leaves DNS entirely), some AZs leave in
// part first, and the bound is reached. A model in which AZ failover
// bypasses the control fails it.
func TestVelocityCapHoldsFromTickState(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	var failovers, partial, tight int
	for i := range 24 {
		c, sp := randomCase(r)
		if i%3 != 2 {
			c, sp = overloaded(r, c)
		}
		share := []float64{0.005, 0.02, 0.1, 0.3}[r.IntN(4)]
		window := time.Minute + time.Duration(r.Int64N(int64(10*time.Minute)))
		m, err := New(Config{NLB: c, Service: sp}, model.Env{Seed: uint64(i), Hooks: velocity(share, window)})
		if err != nil {
			t.Fatal(err)
		}
		type step struct {
			at     sim.Time
			d, cap float64
		}
		var steps []step
		var prev tickState
		m.onTick = func(now sim.Time, off bool) {
			cur := readState(m)
			if prev.w != nil {
				d := drained(prev, cur)
				steps = append(steps, step{now, d, cur.capacity()})
				var sum float64
				for j := len(steps) - 1; j >= 0 && steps[j].at > now-sim.Time(window); j-- {
					sum += steps[j].d
				}
				bound := share * (cur.capacity() + sum)
				if d > 0 && sum > bound+1e-6 { // judged when capacity leaves, against the capacity then
					t.Fatalf("case %d (%+v, cap %g per %v) at %v: %.3f targets drained from DNS in the window, capacity in DNS %.3f: above the cap %.3f",
						i, c, share, window, now.Duration(), sum, cur.capacity(), bound)
				}
				if sum > 0.95*bound && d > 0 {
					tight++
				}
				for z := range cur.w {
					if prev.w[z] > 0 && cur.w[z] == 0 {
						failovers++
					}
					if cur.w[z] > 0 && cur.w[z] < 1 {
						partial++
					}
				}
			}
			prev = cur
		}
		if _, err := m.Run(model.Options{Horizon: propertyHorizon, Interval: sim.Time(time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if failovers == 0 || partial == 0 || tight == 0 {
		t.Fatalf("AZs that left DNS under a cap %d, AZ-ticks partly drained %d, ticks at the cap %d: the cases never exercised the control", failovers, partial, tight)
	}
	t.Logf("AZs that left DNS under a cap %d, AZ-ticks partly drained %d, ticks at the cap %d", failovers, partial, tight)
}

// On the preset's shape under a cap of 2% per 5 min, AZ failover still
// happens, at the capped pace: failovers begin, AZs are drained from DNS in
// part (the deepest drain is reported), and no AZ leaves DNS faster than the
// cap allows (an AZ is at least a sixth of the capacity in DNS: 2% of it per
// 5 min takes more than 25 min). A model in which AZ failover bypasses the
// control takes every AZ out in one tick and fails.
func TestAZFailoverIsPaced(t *testing.T) {
	c, sp := testConfig()
	for seed := uint64(1); seed <= 2; seed++ {
		m, err := New(Config{NLB: c, Service: sp}, model.Env{Seed: seed, Hooks: velocity(0.02, 5*time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		since := make([]sim.Time, c.Zones) // when each AZ's current drain began; -1: wholly in DNS
		for z := range since {
			since[z] = -1
		}
		var left int
		deepest := 1.0
		m.onTick = func(now sim.Time, off bool) {
			for z, w := range m.dnsW {
				deepest = min(deepest, w)
				switch {
				case w == 1:
					since[z] = -1
				case since[z] == -1:
					if w == 0 {
						t.Fatalf("seed %d at %v: AZ %d left DNS in one tick under a 2%% cap", seed, now.Duration(), z)
					}
					since[z] = now
				case w == 0 && since[z] >= 0:
					if d := (now - since[z]).Duration(); d < 25*time.Minute {
						t.Fatalf("seed %d at %v: AZ %d drained from DNS in %v under a 2%% cap", seed, now.Duration(), z, d)
					}
					left++
					since[z] = -2 // out
				}
			}
		}
		if _, err := m.Run(model.Options{Horizon: untilOff, Interval: sim.Time(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		tot := m.Totals()
		if tot.Failovers == 0 || deepest > 0.95 || tot.FailoversCompleted != left {
			t.Fatalf("seed %d: %d AZ failovers begun, deepest DNS weight %.3f, %d completed (%d seen): want failovers drained in part", seed, tot.Failovers, deepest, tot.FailoversCompleted, left)
		}
		t.Logf("seed %d under 2%% per 5 min: %d AZ failovers begun, %d completed, deepest DNS weight %.3f, %.1f target-hours kept in DNS",
			seed, tot.Failovers, tot.FailoversCompleted, deepest, tot.KeptInDNS)
	}
}

// Property: the NLB never takes the last healthy AZ out of DNS. At every
// tick some AZ is in DNS; with failover on, every AZ with at least
// min_healthy healthy targets is wholly in DNS, and when every AZ is below
// it every AZ is (the documented fail-open); with failover off, every AZ is.
// Counted from the target table at every tick. The overloaded cases (two
// thirds) reach every AZ unhealthy with several AZs, with and without a cap.
func TestLastHealthyAZNeverRemoved(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	var failOpen, removed, failOpenMulti int
	for i := range 28 {
		c, sp := randomCase(r)
		var h model.Hooks
		if i%3 != 0 {
			c, sp = overloaded(r, c)
		}
		if r.IntN(2) == 0 {
			h = velocity([]float64{0.005, 0.05, 0.5}[r.IntN(3)], time.Duration(1+r.IntN(10))*time.Minute)
		}
		m, err := New(Config{NLB: c, Service: sp}, model.Env{Seed: uint64(i), Hooks: h})
		if err != nil {
			t.Fatal(err)
		}
		m.onTick = func(now sim.Time, off bool) {
			healthy := make([]int, len(m.dnsW))
			for _, tg := range m.ts {
				if tg.registered && tg.healthy {
					healthy[tg.zone]++
				}
			}
			in, bad := 0, 0
			for z, w := range m.dnsW {
				if w > 0 {
					in++
				}
				if w < 1 {
					removed++
				}
				if healthy[z] < m.cfg.MinHealthy {
					bad++
				} else if w < 1 {
					t.Fatalf("case %d at %v: AZ %d has %d healthy targets (minimum %d) but DNS weight %g", i, now, z, healthy[z], m.cfg.MinHealthy, w)
				}
			}
			switch {
			case in == 0:
				t.Fatalf("case %d at %v: no AZ in DNS", i, now)
			case off && in != len(m.dnsW):
				t.Fatalf("case %d at %v: failover off but only %d of %d AZs in DNS", i, now, in, len(m.dnsW))
			case bad == len(m.dnsW):
				for z, w := range m.dnsW {
					if w != 1 {
						t.Fatalf("case %d at %v: every AZ unhealthy and AZ %d at DNS weight %g: not failing open", i, now, z, w)
					}
				}
				if !off {
					failOpen++
					if len(m.dnsW) > 1 {
						failOpenMulti++
					}
				}
			}
		}
		if _, err := m.Run(model.Options{Horizon: propertyHorizon, Interval: sim.Time(time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if failOpen == 0 || removed == 0 || failOpenMulti == 0 {
		t.Fatalf("fail-open ticks %d (%d with several AZs), AZ-ticks not wholly in DNS %d: the cases never exercised all three", failOpen, failOpenMulti, removed)
	}
	t.Logf("fail-open ticks %d (%d with several AZs), AZ-ticks not wholly in DNS %d", failOpen, failOpenMulti, removed)
}

// Property: Totals.Failovers is the number of times an AZ's DNS weight left
// 1, counted from the weights at every tick, under caps that bind (where the
// window is spent exactly and what is left to grant is a rounding residue)
// and without one. A count of every granting tick from weight 1 counts the
// residue's ticks too, whose weight stays 1.
func TestFailoversAreWeightsLeavingOne(t *testing.T) {
	c, sp := testConfig()
	var binding int
	for i, h := range []model.Hooks{{}, velocity(0.005, 5*time.Minute), velocity(0.02, 5*time.Minute), velocity(0.1, 5*time.Minute), velocity(0.02, 100*time.Hour)} {
		for seed := uint64(1); seed <= 2; seed++ {
			m, err := New(Config{NLB: c, Service: sp}, model.Env{Seed: seed, Hooks: h})
			if err != nil {
				t.Fatal(err)
			}
			prev := []float64{1, 1, 1}
			left := 0
			m.onTick = func(now sim.Time, off bool) {
				for z, w := range m.dnsW {
					if prev[z] == 1 && w < 1 {
						left++
					}
					prev[z] = w
				}
			}
			if _, err := m.Run(model.Options{Horizon: untilOff, Interval: sim.Time(time.Minute)}); err != nil {
				t.Fatal(err)
			}
			tot := m.Totals()
			if tot.Failovers != left {
				t.Fatalf("hooks %d seed %d: %d failovers counted, the weight left 1 %d times", i, seed, tot.Failovers, left)
			}
			if i > 0 && tot.VelocityCuts > 0 {
				binding++
			}
			t.Logf("hooks %d seed %d: %d failovers, %d completed, %d cuts", i, seed, tot.Failovers, tot.FailoversCompleted, tot.VelocityCuts)
		}
	}
	if binding == 0 {
		t.Fatal("no cap bound: the cases never exercised the control")
	}
}
