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
func randomCase(r *rand.Rand) (Config, model.StationConfig) {
	c := Config{Zones: 1 + r.IntN(4), TargetsPerZone: 1 + r.IntN(20), Launches: r.IntN(61),
		LaunchAt: model.Duration(r.Int64N(int64(30 * time.Minute))), LaunchOver: model.Duration(r.Int64N(int64(time.Hour))),
		Propagation: model.MustParseDist("exp(20m)"), ReachBefore: r.Float64(), Load: 0.1 + r.Float64(),
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

const propertyHorizon = sim.Time(2 * time.Hour)

// Property: the capacity removed in any window of the velocity control never
// exceeds its cap, whatever the NLB, the cap and the window.
func TestVelocityCapNeverExceeded(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	var removedAny bool
	var refused uint64
	for i := range 20 {
		c, sp := randomCase(r)
		limit := 1 + r.IntN(2*c.TargetsPerZone)
		window := time.Minute + time.Duration(r.Int64N(int64(10*time.Minute)))
		m, _, _ := run(t, c, sp, uint64(i), velocity(limit, window), propertyHorizon)
		refused += m.Totals().VelocityRefused
		sum, from := 0, 0
		for j, rm := range m.Removals {
			sum += rm.Units
			for m.Removals[from].At <= rm.At-sim.Time(window) {
				sum -= m.Removals[from].Units
				from++
			}
			if sum > limit {
				t.Fatalf("case %d (%+v): %d units removed in the window ending at removal %d (%v), cap %d per %v", i, c, sum, j, rm.At, limit, window)
			}
			removedAny = true
		}
	}
	if !removedAny || refused == 0 {
		t.Fatalf("removed anything %v, refusals %d: the cases never pressed on the cap", removedAny, refused)
	}
}

// Property: the NLB never takes the last healthy AZ out of DNS. At every
// tick some AZ is in DNS; with failover on, every AZ with at least
// min_healthy healthy targets is in DNS, and when every AZ is below it every
// AZ is in DNS (the documented fail-open); with failover off, every AZ is.
// The last 8 cases are drawn to fail open with several AZs and no velocity
// control (nothing else would keep an unhealthy AZ in DNS): the random ones
// reach every AZ unhealthy only with one AZ whose removal the cap refuses.
func TestLastHealthyAZNeverRemoved(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	var failOpen, removed, failOpenMulti int
	for i := range 28 {
		c, sp := randomCase(r)
		var h model.Hooks
		if i >= 20 { // several AZs, failover on, a checker the new targets' checks overload: every check late
			sp = model.StationConfig{Workers: 1, ServiceTime: model.MustParseDist("exp(3s)")}
			c.Zones, c.TargetsPerZone, c.Launches = 2+r.IntN(3), 1+r.IntN(3), 40+r.IntN(40)
			c.ReachBefore, c.MinHealthy = 0.1*r.Float64(), 1
			c.LaunchAt, c.LaunchOver = model.Duration(time.Minute), model.Duration(20*time.Minute)
			c.Propagation = model.MustParseDist("exp(3h)")
			c.FailoverOffAt, c.FailoverOnAt = 0, 0
		} else if r.IntN(2) == 0 {
			h = velocity(1+r.IntN(40), time.Duration(1+r.IntN(10))*time.Minute)
		}
		m, err := New(c, sp, uint64(i), time.Unix(0, 0), h)
		if err != nil {
			t.Fatal(err)
		}
		m.onTick = func(now sim.Time, inDNS []bool, healthy []int, off bool) {
			in, bad := 0, 0
			for z := range inDNS {
				if inDNS[z] {
					in++
				} else {
					removed++
				}
				if healthy[z] < m.cfg.MinHealthy {
					bad++
				} else if !inDNS[z] {
					t.Fatalf("case %d at %v: AZ %d has %d healthy targets (minimum %d) but is out of DNS", i, now, z, healthy[z], m.cfg.MinHealthy)
				}
			}
			switch {
			case in == 0:
				t.Fatalf("case %d at %v: no AZ in DNS", i, now)
			case off && in != len(inDNS):
				t.Fatalf("case %d at %v: failover off but only %d of %d AZs in DNS", i, now, in, len(inDNS))
			case bad == len(inDNS) && in != len(inDNS):
				t.Fatalf("case %d at %v: every AZ unhealthy and only %d of %d in DNS: not failing open", i, now, in, len(inDNS))
			case bad == len(inDNS) && !off:
				failOpen++
				if len(inDNS) > 1 && h.Velocity == nil {
					failOpenMulti++
				}
			}
		}
		if _, err := m.Run(model.Options{Horizon: propertyHorizon, Interval: sim.Time(time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if failOpen == 0 || removed == 0 || failOpenMulti == 0 {
		t.Fatalf("fail-open ticks %d (%d with several AZs and no cap), AZ-ticks out of DNS %d: the cases never exercised all three", failOpen, failOpenMulti, removed)
	}
	t.Logf("fail-open ticks %d (%d with several AZs and no cap), AZ-ticks out of DNS %d", failOpen, failOpenMulti, removed)
}
