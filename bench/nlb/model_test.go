package nlb

import (
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// NLB's documented defaults fill the unset health-check fields.
func TestDefaultsArePublished(t *testing.T) {
	c := Config{}.withDefaults()
	if c.Interval != model.Duration(30*time.Second) || c.Timeout != model.Duration(10*time.Second) ||
		c.UnhealthyThreshold != 2 || c.HealthyThreshold != 5 || c.MinHealthy != 1 || c.TTL != model.Duration(time.Minute) {
		t.Fatalf("defaults %+v are not NLB's documented ones", c)
	}
}

// The preset's shape reproduces the published story: connection errors and
// AZ failovers while failover is on, none of either once it is off, and the
// capacity back within 2 hours of it.
func TestFailoverOffStopsFlapping(t *testing.T) {
	c, sp := testConfig()
	off, on := sim.Time(c.FailoverOffAt), sim.Time(c.FailoverOnAt)
	end := off + 2*sim.Time(time.Hour)
	_, _, ivs := run(t, c, sp, 1, model.Hooks{}, end)
	var flapsBefore, failoversBefore int
	var worstBefore float64
	for _, iv := range ivs {
		switch {
		case iv.T <= off:
			flapsBefore += iv.Flaps
			failoversBefore += iv.Failovers
			worstBefore = max(worstBefore, iv.ConnErrorRate)
		case iv.T > off+sim.Time(time.Minute) && iv.T <= on:
			if iv.Flaps != 0 || iv.Failovers != 0 || iv.InDNS != c.Zones {
				t.Fatalf("at %v, failover off: %d flaps, %d failovers, %d AZs in DNS", iv.T, iv.Flaps, iv.Failovers, iv.InDNS)
			}
		}
	}
	if flapsBefore == 0 || failoversBefore == 0 || worstBefore < 0.2 {
		t.Fatalf("before failover was turned off: %d flaps, %d failovers, worst error rate %.3f: the cascade never happened", flapsBefore, failoversBefore, worstBefore)
	}
	last := ivs[len(ivs)-1]
	if last.ConnErrorRate > 0.01 || last.CapacityFraction < 0.99 {
		t.Fatalf("at %v, 2 hours after failover was turned off: error rate %.3f, capacity %.3f: not restored", last.T, last.ConnErrorRate, last.CapacityFraction)
	}
}

// With failover off for the whole run nothing ever flaps.
func TestNoFailoverNothingFlaps(t *testing.T) {
	c, sp := testConfig()
	c.FailoverOffAt, c.FailoverOnAt, c.NoFailover = 0, 0, true
	m, _, _ := run(t, c, sp, 1, model.Hooks{}, 3*sim.Time(time.Hour))
	if tot := m.Totals(); tot.Flaps != 0 || tot.Failovers != 0 || tot.Removed != 0 {
		t.Fatalf("failover off throughout: %+v", tot)
	}
}

// untilOff is the preset's run up to the operators' disabling of failover.
const untilOff = sim.Time(4*time.Hour + 8*time.Minute)

// The velocity control reduces the connection errors, the capacity lost and
// the flapping while failover is on, on two seeds (a cap of 2% per 5 min),
// and a cap below one AZ's capacity (10%) stops AZ failover altogether.
func TestVelocityReducesLoss(t *testing.T) {
	c, sp := testConfig()
	for seed := uint64(1); seed <= 2; seed++ {
		a, _, _ := run(t, c, sp, seed, model.Hooks{}, untilOff)
		b, _, _ := run(t, c, sp, seed, velocity(c.Targets()/50, 5*time.Minute), untilOff)
		ta, tb := a.Totals(), b.Totals()
		if !(tb.ConnErrorShare < ta.ConnErrorShare && tb.CapacityLostH < ta.CapacityLostH && tb.Flaps < ta.Flaps) {
			t.Fatalf("seed %d: velocity 2%% per 5 min %+v does not beat none %+v", seed, tb, ta)
		}
		if seed > 1 {
			continue
		}
		capped, _, _ := run(t, c, sp, seed, velocity(c.Targets()/10, 5*time.Minute), untilOff)
		if ta.Failovers == 0 || capped.Totals().Failovers != 0 {
			t.Fatalf("AZ failovers: %d without a cap, %d with a cap of 10%% per 5 min (an AZ is over 10%%)", ta.Failovers, capped.Totals().Failovers)
		}
	}
}

// Same seed, same run.
func TestDeterministic(t *testing.T) {
	c, sp := testConfig()
	a, ra, _ := run(t, c, sp, 3, velocity(30, 5*time.Minute), 2*sim.Time(time.Hour))
	b, rb, _ := run(t, c, sp, 3, velocity(30, 5*time.Minute), 2*sim.Time(time.Hour))
	ra.Sojourn, rb.Sojourn = [4]float64{}, [4]float64{}
	if a.Totals() != b.Totals() || ra != rb || len(a.Removals) != len(b.Removals) {
		t.Fatalf("same seed, different runs: %+v / %+v", a.Totals(), b.Totals())
	}
}

// Checks and ticks of a steady fleet allocate nothing.
func TestSteadyStateAllocatesNothing(t *testing.T) {
	c, sp := testConfig()
	c.Launches, c.LaunchWeights = 0, nil
	m, err := New(c, sp, 1, time.Unix(0, 0), model.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	m.eng.RunUntil(sim.Time(10 * time.Minute))
	n := testing.AllocsPerRun(20, func() { m.eng.RunUntil(m.eng.Now() + sim.Time(time.Minute)) })
	if n != 0 {
		t.Fatalf("%v allocations per simulated minute", n)
	}
}

func TestConfigErrors(t *testing.T) {
	for name, f := range map[string]func(*Config){
		"no zones":       func(c *Config) { c.Zones = 0 },
		"weights":        func(c *Config) { c.LaunchWeights = []float64{1} },
		"no propagation": func(c *Config) { c.Propagation = model.Dist{} },
		"reach":          func(c *Config) { c.ReachBefore = 1.5 },
		"passive":        func(c *Config) { c.PassiveCatch = -0.1 },
		"load":           func(c *Config) { c.Load = 0 },
		"min healthy":    func(c *Config) { c.MinHealthy = 101 },
		"window":         func(c *Config) { c.FailoverOnAt = c.FailoverOffAt },
		"both":           func(c *Config) { c.NoFailover = true },
		"timeout":        func(c *Config) { c.Timeout = model.Duration(time.Minute) },
	} {
		c, _ := testConfig()
		f(&c)
		if err := c.Validate(); err == nil || !strings.HasPrefix(err.Error(), "nlb: ") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The operators' switch as a policy (failover-off) and the scenario's
// failover window are the same control: the same run either way.
func TestFailoverInterventionMatchesTheWindow(t *testing.T) {
	c, sp := testConfig()
	off, on := c.FailoverOffAt, c.FailoverOnAt
	a, ra, _ := run(t, c, sp, 1, model.Hooks{}, untilOff+sim.Time(time.Hour))
	c.FailoverOffAt, c.FailoverOnAt = 0, 0
	h := model.Hooks{Interventions: []model.Intervention{
		{At: sim.Time(off), Failover: model.FailoverOff}, {At: sim.Time(on), Failover: model.FailoverOn}}}
	b, rb, _ := run(t, c, sp, 1, h, untilOff+sim.Time(time.Hour))
	ra.Sojourn, rb.Sojourn = [4]float64{}, [4]float64{}
	ra.Events, rb.Events = 0, 0 // the intervention's own events
	if a.Totals() != b.Totals() || ra != rb {
		t.Fatalf("window %+v\n%+v\nintervention %+v\n%+v", a.Totals(), ra, b.Totals(), rb)
	}
	if a.Totals().Failovers == 0 {
		t.Fatal("no failover before the switch: the comparison is empty")
	}
}
