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
	c := Section{}.withDefaults()
	if c.Interval != model.Duration(30*time.Second) || c.Timeout != model.Duration(10*time.Second) ||
		c.UnhealthyThreshold != 2 || c.HealthyThreshold != 5 || c.MinHealthy != 1 || c.TTL != model.Duration(time.Minute) {
		t.Fatalf("defaults %+v are not NLB's documented ones", c)
	}
}

// clock is the preset's clock time hh:mm as an offset from its 05:28 start.
func clock(hh, mm int) sim.Time {
	return sim.Time(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute - (5*time.Hour + 28*time.Minute))
}

// errorsEnd is the end of the last interval whose connection error rate is
// above RestoredErrors, among those ending by until (0 if none), and whether
// any interval in the 10 min before at was above it.
func errorsEnd(ivs []Interval, at, until sim.Time) (end sim.Time, before bool) {
	for _, iv := range ivs {
		if iv.T > until {
			break
		}
		if iv.ConnErrorRate > RestoredErrors {
			end = iv.T
			if iv.T <= at && iv.T > at-sim.Time(10*time.Minute) {
				before = true
			}
		}
	}
	return end, before
}

// Turning failover off ends the increased connection errors through the
// mechanism: at 07:30, 08:30 or 09:36 on the preset's clock (seeds 1 and 2),
// the errors were above 1% in the 10 min before the switch and end within
// 20 min after it, and stay ended while failover is off. They end because
// the errors are capacity the NLB removed (passive checks turn connections
// away from the paths of unpropagated targets) and turning failover off
// routes every target again (reach_before 0.7 per unpropagated target beats
// the load's 0.6 per registered one). The same test with the passive checks
// turning nothing away (passive_catch 0) fails: errors on unpropagated
// targets then last until they propagate, whatever the switch.
func TestFailoverOffEndsTheErrors(t *testing.T) {
	for _, catch := range []float64{1, 0} {
		for seed := uint64(1); seed <= 2; seed++ {
			for _, at := range []sim.Time{clock(7, 30), clock(8, 30), clock(9, 36)} {
				c, sp := testConfig()
				c.PassiveCatch = catch
				c.FailoverOffAt = model.Duration(at)
				_, _, ivs := run(t, c, sp, seed, model.Hooks{}, sim.Time(c.FailoverOnAt))
				end, before := errorsEnd(ivs, at, sim.Time(c.FailoverOnAt))
				ok := before && end <= at+sim.Time(20*time.Minute)
				t.Logf("passive_catch %g, seed %d, failover off at %v: errors above 1%% before %v, last above at %v (+%v)",
					catch, seed, at.Duration(), before, end.Duration(), (end - at).Duration())
				if catch == 1 && !ok {
					t.Errorf("seed %d, failover off at %v: errors above 1%% in the 10 min before: %v; last interval above 1%% ends %v: not within 20 min after the switch",
						seed, at.Duration(), before, end.Duration())
				}
				if catch == 0 && at < clock(9, 36) && ok {
					t.Errorf("passive_catch 0, seed %d, failover off at %v: errors ended by %v: the unpropagated targets' errors should outlast the switch", seed, at.Duration(), end.Duration())
				}
			}
		}
	}
}

// While failover is off the checker is quiet: flaps counted from the target
// table between ticks agree with the model's count over the whole run, none
// happen while failover is off, and from 10 min after the switch the jobs
// offered are the checks alone (one per target per interval), not the flap
// and failover work that overloads the checker while failover is on.
func TestFailoverOffQuietsTheChecker(t *testing.T) {
	c, sp := testConfig()
	m, err := New(Config{NLB: c, Service: sp}, model.Env{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	was := make([]bool, len(m.ts))
	served := make([]bool, len(m.ts))
	var flaps, offFlaps int
	m.onTick = func(now sim.Time, off bool) {
		for i, tg := range m.ts {
			if tg.inService != was[i] {
				if served[i] {
					flaps++
					if off && now > sim.Time(c.FailoverOffAt) {
						offFlaps++
					}
				}
				served[i] = true
				was[i] = tg.inService
			}
		}
	}
	var ivs []Interval
	m.OnInterval = func(iv Interval) { ivs = append(ivs, iv) }
	if _, err := m.Run(model.Options{Horizon: testHorizon, Interval: sim.Time(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if flaps != m.Totals().Flaps || offFlaps != 0 || flaps == 0 {
		t.Fatalf("flaps from the target table %d (%d while failover was off), the model's count %d", flaps, offFlaps, m.Totals().Flaps)
	}
	checks := float64(c.Targets()) / time.Duration(DefaultInterval).Seconds()
	var worstBefore float64
	for _, iv := range ivs {
		if iv.T <= sim.Time(c.FailoverOffAt) {
			worstBefore = max(worstBefore, iv.HCLoad)
		}
		if iv.T > sim.Time(c.FailoverOffAt)+sim.Time(10*time.Minute) && iv.T <= sim.Time(c.FailoverOnAt) && iv.HCLoad > 1.1*checks {
			t.Fatalf("at %v, failover off: %.1f jobs/s offered, the checks alone are %.1f", iv.T.Duration(), iv.HCLoad, checks)
		}
	}
	if worstBefore < 2*checks {
		t.Fatalf("at most %.1f jobs/s before the switch, checks %.1f: the checker was never overloaded", worstBefore, checks)
	}
}

// untilOff is the preset's run up to the operators' disabling of failover.
const untilOff = sim.Time(4*time.Hour + 8*time.Minute)

// The velocity control reduces the connection errors and the capacity lost
// while failover is on (a cap of 2% per 5 min, seeds 1 and 2), and AZ
// failover still happens under it; a cap that never binds (100%) is no
// control: the same run.
func TestVelocityReducesLoss(t *testing.T) {
	c, sp := testConfig()
	for seed := uint64(1); seed <= 2; seed++ {
		a, ra, _ := run(t, c, sp, seed, model.Hooks{}, untilOff)
		b, _, _ := run(t, c, sp, seed, velocity(0.02, 5*time.Minute), untilOff)
		ta, tb := a.Totals(), b.Totals()
		if !(tb.ConnErrorShare < ta.ConnErrorShare && tb.CapacityLostTargetH < ta.CapacityLostTargetH && tb.CapacityErrorShare < ta.CapacityErrorShare) {
			t.Fatalf("seed %d: velocity 2%% per 5 min %+v does not beat none %+v", seed, tb, ta)
		}
		if ta.Failovers == 0 || tb.Failovers == 0 || tb.KeptInDNS == 0 {
			t.Fatalf("seed %d: AZ failovers begun %d without a cap, %d under 2%% per 5 min (kept %.0f target-h): want some under both", seed, ta.Failovers, tb.Failovers, tb.KeptInDNS)
		}
		free, rf, _ := run(t, c, sp, seed, velocity(1, 5*time.Minute), untilOff)
		tf := free.Totals()
		ra.Refusals, rf.Refusals = model.Refusals{}, model.Refusals{}
		ra.Sojourn, rf.Sojourn = [4]float64{}, [4]float64{}
		if tf != ta || ra != rf {
			t.Fatalf("seed %d: a cap of 100%% changed the run:\n%+v\n%+v", seed, tf, ta)
		}
	}
}

// Same seed, same run.
func TestDeterministic(t *testing.T) {
	c, sp := testConfig()
	a, ra, _ := run(t, c, sp, 3, velocity(0.1, 5*time.Minute), 2*sim.Time(time.Hour))
	b, rb, _ := run(t, c, sp, 3, velocity(0.1, 5*time.Minute), 2*sim.Time(time.Hour))
	ra.Sojourn, rb.Sojourn = [4]float64{}, [4]float64{}
	if a.Totals() != b.Totals() || ra != rb {
		t.Fatalf("same seed, different runs: %+v / %+v", a.Totals(), b.Totals())
	}
}

// Checks and ticks of a steady fleet allocate nothing.
func TestSteadyStateAllocatesNothing(t *testing.T) {
	c, sp := testConfig()
	c.Launches, c.LaunchWeights = 0, nil
	m, err := New(Config{NLB: c, Service: sp}, model.Env{Seed: 1})
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
	for name, f := range map[string]func(*Section){
		"no zones":       func(c *Section) { c.Zones = 0 },
		"weights":        func(c *Section) { c.LaunchWeights = []float64{1} },
		"no propagation": func(c *Section) { c.Propagation = model.Dist{} },
		"reach":          func(c *Section) { c.ReachBefore = 1.5 },
		"passive":        func(c *Section) { c.PassiveCatch = -0.1 },
		"load":           func(c *Section) { c.Load = 0 },
		"min healthy":    func(c *Section) { c.MinHealthy = 101 },
		"window":         func(c *Section) { c.FailoverOnAt = c.FailoverOffAt },
		"both":           func(c *Section) { c.NoFailover = true },
		"timeout":        func(c *Section) { c.Timeout = model.Duration(time.Minute) },
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
