package nlb

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// Off the preset: caps at the extremes (0.5%, 100%), failover off from the
// start or never, every launch at once, one AZ, single targets paced, no
// DNS caching. In every run, read tick by tick and interval by interval:
// DNS weights lie in [0, 1] and are 1 while failover is off; every rate lies
// in [0, 1] and capacity_error_rate + unpropagated_error_rate is
// conn_error_rate; the intervals add up to the totals; the run's invariants
// hold. And what each edge promises: failover off from the start leaves no
// error at all (exactly 0, not a rounding residue), nothing removed and
// nothing kept; one AZ never fails over (DNS fails open instead); a cap
// that never binds keeps nothing.
func TestMeasuresOffThePreset(t *testing.T) {
	pacedTargets := velocity(0.005, 5*time.Minute)
	pacedTargets.VelocityTargets = true
	for _, k := range []struct {
		name string
		edit func(*Section)
		h    model.Hooks
		then func(t *testing.T, tot Totals)
	}{
		{"cap 0.5%", func(c *Section) {}, velocity(0.005, 5*time.Minute), nil},
		{"cap 100%", func(c *Section) {}, velocity(1, 5*time.Minute), func(t *testing.T, tot Totals) {
			if tot.KeptInDNS != 0 || tot.VelocityCuts != 0 || tot.FailoversCompleted != tot.Failovers {
				t.Errorf("a cap that never binds kept %v target-h, cut %d, completed %d of %d failovers", tot.KeptInDNS, tot.VelocityCuts, tot.FailoversCompleted, tot.Failovers)
			}
		}},
		{"off from the start", func(c *Section) { c.FailoverOffAt, c.FailoverOnAt, c.NoFailover = 0, 0, true }, velocity(0.02, 5*time.Minute), func(t *testing.T, tot Totals) {
			if tot.ConnErrorShare != 0 || tot.UnpropagatedErrorShare != 0 || tot.Removed != 0 || tot.Drained != 0 || tot.KeptInDNS != 0 || tot.Flaps != 0 {
				t.Errorf("failover off throughout: %+v", tot)
			}
		}},
		{"never off", func(c *Section) { c.FailoverOffAt, c.FailoverOnAt = 0, 0 }, velocity(0.02, 5*time.Minute), nil},
		{"launches at once", func(c *Section) { c.LaunchOver = 0 }, velocity(0.02, 5*time.Minute), nil},
		{"one AZ", func(c *Section) { c.Zones, c.LaunchWeights = 1, nil }, velocity(0.5, 5*time.Minute), func(t *testing.T, tot Totals) {
			if tot.Failovers != 0 || tot.Drained != 0 || tot.FailOpenTicks == 0 {
				t.Errorf("one AZ: %d failovers, %v drained, %d fail-open ticks: want none, none, some", tot.Failovers, tot.Drained, tot.FailOpenTicks)
			}
		}},
		{"targets paced", func(c *Section) {}, pacedTargets, func(t *testing.T, tot Totals) {
			if tot.KeptInService == 0 {
				t.Errorf("single targets paced at 0.5%% per 5 min kept nothing in service: %+v", tot)
			}
		}},
		{"shortest DNS caching", func(c *Section) { c.TTL = Tick }, velocity(0.02, 5*time.Minute), nil},
	} {
		c, sp := testConfig()
		k.edit(&c)
		m, err := New(Config{NLB: c, Service: sp}, model.Env{Seed: 1, Hooks: k.h})
		if err != nil {
			t.Fatalf("%s: %v", k.name, err)
		}
		var ivs []Interval
		m.OnInterval = func(iv Interval) { ivs = append(ivs, iv) }
		m.onTick = func(now sim.Time, off bool) {
			for z, w := range m.dnsW {
				if !(w >= 0 && w <= 1) || off && w != 1 {
					t.Fatalf("%s at %v: AZ %d DNS weight %v (failover off %v)", k.name, now.Duration(), z, w, off)
				}
			}
		}
		res, err := m.Run(model.Options{Horizon: testHorizon, Interval: sim.Time(time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if err := res.Check(); err != nil {
			t.Errorf("%s: %v", k.name, err)
		}
		var kept, drained float64
		var failovers, removed int
		for _, iv := range ivs {
			for name, v := range map[string]float64{"capacity fraction": iv.CapacityFraction, "conn": iv.ConnErrorRate, "capacity": iv.CapacityErrorRate, "unpropagated": iv.UnpropagatedErrorRate} {
				if !(v >= 0 && v <= 1+1e-9) {
					t.Errorf("%s at %v: %s %v", k.name, iv.T.Duration(), name, v)
				}
			}
			if math.Abs(iv.CapacityErrorRate+iv.UnpropagatedErrorRate-iv.ConnErrorRate) > 1e-9 || iv.InDNS < 0 || iv.InDNS > float64(c.Zones)+1e-9 {
				t.Errorf("%s at %v: capacity %v + unpropagated %v, conn %v; in DNS %v", k.name, iv.T.Duration(), iv.CapacityErrorRate, iv.UnpropagatedErrorRate, iv.ConnErrorRate, iv.InDNS)
			}
			kept += iv.KeptInDNS + iv.KeptInService
			drained += iv.Drained
			failovers += iv.Failovers
			removed += iv.Removed
		}
		tot := m.Totals()
		if math.Abs(kept-tot.KeptInDNS-tot.KeptInService) > 1e-6 || math.Abs(drained-tot.Drained) > 1e-6 || failovers != tot.Failovers || removed != tot.Removed {
			t.Errorf("%s: intervals kept %v, drained %v, %d failovers, %d removed; totals %+v", k.name, kept, drained, failovers, removed, tot)
		}
		if k.then != nil {
			k.then(t, tot)
		}
	}
}

// dns_ttl counts whole 5 s ticks: a TTL that is not a multiple of the tick
// (7 s used to act as 5 s) is refused in one line naming it; 0 is the
// default 60 s, as every zero; multiples are accepted.
func TestTTLIsWholeTicks(t *testing.T) {
	c, _ := testConfig()
	for _, ttl := range []time.Duration{time.Nanosecond, time.Millisecond, 7 * time.Second, 61 * time.Second} {
		c.TTL = model.Duration(ttl)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), "dns_ttl "+ttl.String()) || strings.Contains(err.Error(), "\n") {
			t.Errorf("dns_ttl %v: %v, want one line naming it", ttl, err)
		}
	}
	for _, ttl := range []time.Duration{0, 5 * time.Second, 10 * time.Second, time.Hour} {
		c.TTL = model.Duration(ttl)
		if err := c.Validate(); err != nil {
			t.Errorf("dns_ttl %v: %v", ttl, err)
		}
	}
}
