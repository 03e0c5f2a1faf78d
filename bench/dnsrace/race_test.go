package dnsrace_test

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/dnsrace"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

var _ dnsrace.Law = model.Dist{}

// script is a dnsrace.Law that hands out delays in call order: at[i] for the i-th
// draw (from 1), 1 s otherwise.
type script struct {
	at map[int]time.Duration
	n  int
}

func (s *script) Sample(*rand.Rand) sim.Time {
	s.n++
	if d, ok := s.at[s.n]; ok {
		return sim.Time(d)
	}
	return sim.Time(time.Second)
}

func (s *script) String() string { return "script" }

func config(delay dnsrace.Law, v dnsrace.Variant) dnsrace.Config {
	return dnsrace.Config{Delay: delay, PlanInterval: dnsrace.DefaultPlanInterval, Cleanup: dnsrace.DefaultCleanup, Repair: dnsrace.DefaultRepair, Variant: v}
}

// TestRaceMechanism replays the published sequence with scripted delays
// (plan interval 10 s, clean-up keeps 2 generations). Draws are numbered in
// the order they happen; ties go Planner first, then Enactors 0, 1, 2.
//
//	10s  gen 1; Enactors 0, 1, 2 check and start (draws 1-3); Enactor 0 is
//	     delayed 35 s (draw 1), the others take 1 s
//	11s  Enactors 1 and 2 write gen 1; clean-up at 12s deletes nothing
//	20s, 30s  gen 2, gen 3 applied by Enactors 1 and 2 (clean-up at 32s deletes gen 0)
//	41s  Enactors 1 and 2 write gen 4; their clean-ups take 10 s (draws 16, 17)
//	45s  Enactor 0 writes gen 1 over gen 4: its check was at 10s
//	46s  Enactor 0's clean-up deletes nothing; it starts gen 4, taking 10 s (draw 19)
//	51s  Enactor 1's clean-up deletes below gen 2: gen 1, the applied plan.
//	     The record is empty from 51s for the repair time.
func TestRaceMechanism(t *testing.T) {
	draws := map[int]time.Duration{1: 35 * time.Second, 16: 10 * time.Second, 17: 10 * time.Second, 19: 10 * time.Second}
	c := config(&script{at: draws}, dnsrace.Racy)
	c.Cleanup = 2
	out, st, err := dnsrace.Race(c, 1, 0, sim.Time(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	want := []dnsrace.Outage{{Start: sim.Time(51 * time.Second), End: sim.Time(51*time.Second + dnsrace.DefaultRepair)}}
	if !reflect.DeepEqual(out, want) {
		t.Fatalf("racy outages %v, want %v", out, want)
	}
	if st.Stale != 1 || st.Empties != 1 || st.Refused != 0 {
		t.Errorf("racy stats %+v, want 1 stale write, 1 empty, 0 refused", st)
	}

	c = config(&script{at: draws}, dnsrace.Fixed)
	c.Cleanup = 2
	out, st, err = dnsrace.Race(c, 1, 0, sim.Time(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 0 || st.Stale != 0 || st.Refused != 1 || st.Empties != 0 {
		t.Errorf("fixed: outages %v, stats %+v; want none, the stale write refused", out, st)
	}
}

// TestRaceSeededTrace pins one seeded race that empties the record: the
// delays come from the Enactors' streams, nothing is scripted.
func TestRaceSeededTrace(t *testing.T) {
	c := config(model.MustParseDist("lognormal(10s,1.5)"), dnsrace.Racy)
	from := sim.Time(5 * time.Minute)
	out, st, err := dnsrace.Race(c, 2, from, from+sim.Time(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	start := from + sim.Time(45*time.Minute+2*time.Second+870065486)
	want := []dnsrace.Outage{{Start: start, End: start + sim.Time(dnsrace.DefaultRepair)}}
	if !reflect.DeepEqual(out, want) {
		t.Fatalf("outages %v, want %v", out, want)
	}
	if st.Empties != 1 || st.Stale == 0 {
		t.Errorf("stats %+v: want one empty after at least one stale write", st)
	}
	// Repair is what the outage lasts, nothing else.
	c.Repair = time.Hour
	out2, _, _ := dnsrace.Race(c, 2, from, from+sim.Time(time.Hour))
	if len(out2) != 1 || out2[0].Start != start || out2[0].End != start+sim.Time(time.Hour) {
		t.Errorf("with repair 1h: %v, want [%v, %v)", out2, start, start+sim.Time(time.Hour))
	}
}

// TestFixedNeverEmpties: over 1,000 seeds and delays from far below the
// plan interval to far above it, the fixed variant never empties the record,
// while the racy one, on the same draws, does.
func TestFixedNeverEmpties(t *testing.T) {
	seeds := uint64(1000)
	if testing.Short() {
		seeds = 100
	}
	racy := 0
	for _, d := range []string{"lognormal(1s,1.5)", "lognormal(10s,1.5)", "lognormal(30s,2)", "exp(20s)"} {
		for s := uint64(1); s <= seeds; s++ {
			out, st, err := dnsrace.Race(config(model.MustParseDist(d), dnsrace.Fixed), s, 0, sim.Time(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if len(out) != 0 || st.Empties != 0 || st.Stale != 0 {
				t.Fatalf("fixed, delay %s, seed %d: outages %v, stats %+v", d, s, out, st)
			}
			out, _, _ = dnsrace.Race(config(model.MustParseDist(d), dnsrace.Racy), s, 0, sim.Time(time.Hour))
			racy += len(out)
		}
	}
	if racy == 0 {
		t.Error("the racy variant never emptied the record on the same seeds: the property proves nothing")
	}
}

// TestRaceDeterministic: the same seed gives the same outages and counts;
// another seed gives other ones.
func TestRaceDeterministic(t *testing.T) {
	c := config(model.MustParseDist("lognormal(20s,1.5)"), dnsrace.Racy)
	span := sim.Time(6 * time.Hour)
	a, sa, _ := dnsrace.Race(c, 7, 0, span)
	b, sb, _ := dnsrace.Race(c, 7, 0, span)
	if !reflect.DeepEqual(a, b) || sa != sb {
		t.Fatalf("seed 7 twice: %v %+v, then %v %+v", a, sa, b, sb)
	}
	if len(a) == 0 {
		t.Fatalf("seed 7 over 6h: no outage; pick a seed that has one")
	}
	o, so, _ := dnsrace.Race(c, 8, 0, span)
	if reflect.DeepEqual(a, o) && sa == so {
		t.Errorf("seeds 7 and 8 gave the same race: %v %+v", a, sa)
	}
	for i, w := range a {
		if w.End-w.Start != sim.Time(c.Repair) || (i > 0 && w.Start < a[i-1].End) {
			t.Errorf("outage %d %v: want repair-long and after the one before", i, w)
		}
	}
}

// TestRaceAllocs: the race allocates a constant amount (its streams and the
// outages), not per plan or apply.
func TestRaceAllocs(t *testing.T) {
	c := config(model.MustParseDist("lognormal(2s,1.5)"), dnsrace.Fixed)
	short := testing.AllocsPerRun(5, func() { _, _, _ = dnsrace.Race(c, 1, 0, sim.Time(time.Hour)) })
	long := testing.AllocsPerRun(5, func() { _, _, _ = dnsrace.Race(c, 1, 0, sim.Time(24*time.Hour)) })
	if long != short {
		t.Errorf("allocs: %v over 1h, %v over 24h; want the same", short, long)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := config(model.MustParseDist("exp(1s)"), dnsrace.Racy)
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		edit func(*dnsrace.Config)
		want string
	}{
		{"no delay", func(c *dnsrace.Config) { c.Delay = nil }, "enactor_delay missing"},
		{"interval 0", func(c *dnsrace.Config) { c.PlanInterval = 0 }, "plan_interval 0s outside"},
		{"interval 2d", func(c *dnsrace.Config) { c.PlanInterval = 48 * time.Hour }, "plan_interval 48h0m0s outside"},
		{"cleanup 0", func(c *dnsrace.Config) { c.Cleanup = 0 }, "cleanup_generations 0 outside 1..1000"},
		{"cleanup 1001", func(c *dnsrace.Config) { c.Cleanup = 1001 }, "cleanup_generations 1001 outside"},
		{"repair 1s", func(c *dnsrace.Config) { c.Repair = time.Second }, "repair 1s outside"},
		{"repair 31d", func(c *dnsrace.Config) { c.Repair = 31 * 24 * time.Hour }, "repair 744h0m0s outside"},
		{"variant", func(c *dnsrace.Config) { c.Variant = "safe" }, `variant "safe" unknown`},
	} {
		bad := ok
		c.edit(&bad)
		err := bad.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), "dnsrace: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want dnsrace: ...%s", c.name, err, c.want)
		}
	}
	if _, _, err := dnsrace.Race(ok, 1, 10, 5); err == nil {
		t.Error("until before from: no error")
	}
	ok.PlanInterval = time.Millisecond
	if _, _, err := dnsrace.Race(ok, 1, 0, sim.Time(dnsrace.MaxPlans+1)*sim.Time(time.Millisecond)); err == nil || !strings.Contains(err.Error(), "above the limit") {
		t.Errorf("too many plans: error %v", err)
	}
}
