package results

import (
	"math"
	"testing"
)

// TestGroupsIdleAndCounts: a role is idle when its control ran in the
// group and refused nothing in any run: not when no run had a control
// there, nor when one run refused and a later one did not. A group whose
// runs report no peak queue has none; undefined and undetermined runs are
// counted.
func TestGroupsIdleAndCounts(t *testing.T) {
	refusing := func(seed uint64, admit, client, retry, queue int) Summary {
		s := run("p", "", seed, 100)
		s.AdmitRefusals, s.ClientRefusals, s.RetryRefusals, s.QueueDrops = admit, client, retry, queue
		return s
	}
	quiet := run("p", "quiet", 1, 100)
	quiet.PeakQueue = -1
	var ss []Summary
	ss = append(ss, refusing(1, -1, 0, 5, 0), refusing(2, -1, 0, 0, 3), quiet)
	for seed := range uint64(3) {
		u, d := run("p", "undefined", seed, math.NaN()), run("p", "undetermined", seed, math.NaN())
		u.Undefined, d.Undetermined = true, true
		ss = append(ss, u, d)
	}
	gs := Groups(ss)
	if len(gs) != 4 {
		t.Fatalf("%d groups, want 4", len(gs))
	}
	if g := gs[0]; g.Idle != "client" || g.PeakQueue != 2 {
		t.Errorf("admit never controlled, client 0+0, retry 5+0, queue 0+3: idle %q, peak queue %d; want \"client\", 2", g.Idle, g.PeakQueue)
	}
	if g := gs[1]; g.PeakQueue != -1 || g.Idle != "admit+client+retry+queue" {
		t.Errorf("a run with a control in every role that refused nothing and reported no queue: idle %q, peak %d; want every role, -1", g.Idle, g.PeakQueue)
	}
	if g := gs[2]; g.Undefined != 3 || g.Runs != 3 || g.Rank != 0 || !math.IsNaN(g.Median) {
		t.Errorf("3 runs without a trigger: undefined %d of %d, rank %d, median %v; want 3 of 3, unranked, NaN", g.Undefined, g.Runs, g.Rank, g.Median)
	}
	if g := gs[3]; g.Undetermined != 3 || g.Recovered != 0 || g.Rank != 1 {
		t.Errorf("3 undetermined runs: undetermined %d, recovered %d, rank %d; want 3, 0, 1", g.Undetermined, g.Recovered, g.Rank)
	}
}

// versus ranks the runs of base and r (recovery_s per seed, NaN: never
// recovered) with base as the baseline and returns r's Change.
func versus(t *testing.T, base, r map[uint64]float64) Change {
	t.Helper()
	var ss []Summary
	for seed, rec := range base {
		ss = append(ss, run("base", "", seed, rec))
	}
	for seed, rec := range r {
		ss = append(ss, run("r", "", seed, rec))
	}
	rk, err := Rank(ss, "base")
	if err != nil {
		t.Fatal(err)
	}
	return *rowOf(t, rk, "r", "").Change
}

// TestSignTestCounting: on seeds in common, a seed where only one side
// recovered counts for it; a seed where both recovered at the same time
// counts for neither, however many there are.
func TestSignTestCounting(t *testing.T) {
	nan := math.NaN()
	base, r := map[uint64]float64{1: 100}, map[uint64]float64{1: nan}
	for seed := uint64(2); seed <= 11; seed++ {
		base[seed], r[seed] = 200, 200
	}
	if c := versus(t, base, r); c.Test != TestSign || c.Pairs != 11 || c.P != 1 || c.Outcome != OutcomeTie {
		t.Errorf("one seed for base, ten at the same time: %+v; want the sign test on 1 seed, p 1, a tie", c)
	}
	alone, never := map[uint64]float64{}, map[uint64]float64{}
	for seed := uint64(1); seed <= 6; seed++ {
		alone[seed], never[seed] = 300, nan
	}
	// Six seeds all one way: p = 2/2⁶.
	if c := versus(t, never, alone); c.Test != TestSign || math.Abs(c.P-2.0/64) > 1e-12 || c.Outcome != OutcomeBetter {
		t.Errorf("r alone recovered on 6 seeds: %+v; want the sign test, p 1/32, better", c)
	}
	if c := versus(t, alone, never); c.Test != TestSign || math.Abs(c.P-2.0/64) > 1e-12 || c.Outcome != OutcomeWorse {
		t.Errorf("base alone recovered on 6 seeds: %+v; want the sign test, p 1/32, worse", c)
	}
}

// TestFisherDirection: unpaired rows (no seed in common) that did not all
// recover: the row with the larger share recovered is the better.
func TestFisherDirection(t *testing.T) {
	nan := math.NaN()
	one, all := map[uint64]float64{1: 100}, map[uint64]float64{}
	for seed := uint64(2); seed <= 8; seed++ {
		one[seed] = nan
	}
	for seed := uint64(11); seed <= 18; seed++ {
		all[seed] = 100
	}
	p := FisherExact(8, 8, 1, 8)
	if c := versus(t, one, all); c.Test != TestFisher || c.P != p || c.Outcome != OutcomeBetter {
		t.Errorf("r 8 of 8 against base 1 of 8: %+v; want Fisher's test, p %v, better", c, p)
	}
	if c := versus(t, all, one); c.Test != TestFisher || c.P != p || c.Outcome != OutcomeWorse {
		t.Errorf("r 1 of 8 against base 8 of 8: %+v; want Fisher's test, p %v, worse", c, p)
	}
}

// TestEqualShareRanksByMean: two rows that recovered on every run, one
// over 4 seeds and one over 5: the lower mean ranks first, whatever the
// number of runs.
func TestEqualShareRanksByMean(t *testing.T) {
	var ss []Summary
	for seed := uint64(1); seed <= 5; seed++ {
		if seed <= 4 {
			ss = append(ss, run("few", "", seed, 100))
		}
		ss = append(ss, run("many", "", seed, 90))
	}
	rk, err := Rank(ss, "")
	if err != nil {
		t.Fatal(err)
	}
	if rk.Rows[0].Policy != "many" || rk.Rows[0].Rank != 1 || rk.Rows[1].Rank != 2 {
		t.Errorf("many (5 runs, mean 90) against few (4 runs, mean 100): %s rank %d first, then rank %d; want many 1, few 2",
			rk.Rows[0].Policy, rk.Rows[0].Rank, rk.Rows[1].Rank)
	}
}

// TestWelchIntervalTouchingZero: an interval whose end is exactly 0 does
// not exclude 0: not significant; one ulp further, it is.
func TestWelchIntervalTouchingZero(t *testing.T) {
	a, b := Interval{N: 5, Mean: 0, SD: 1}, Interval{N: 7, SD: 2}
	h := Welch(a, b).Half
	for _, sign := range []float64{1, -1} {
		b.Mean = sign * h
		d := Welch(a, b)
		if end := min(math.Abs(d.Lo()), math.Abs(d.Hi())); end != 0 || d.Significant {
			t.Errorf("difference %v ± %v: an end at %v, significant %v; want an end at 0, not significant", d.Diff, d.Half, end, d.Significant)
		}
		b.Mean = math.Nextafter(sign*h, sign*math.Inf(1))
		if d := Welch(a, b); !d.Significant {
			t.Errorf("difference %v ± %v: not significant, want significant", d.Diff, d.Half)
		}
	}
}

// TestMeanCIShiftInvariant: the spread of values far from 0 is that of the
// same values near 0 (a large common offset cancels before squaring).
func TestMeanCIShiftInvariant(t *testing.T) {
	near, far := MeanCI([]float64{1, 2, 4}), MeanCI([]float64{1e6 + 1, 1e6 + 2, 1e6 + 4})
	if math.Abs(far.SD-near.SD) > 1e-9*near.SD || math.Abs(far.Half-near.Half) > 1e-9*near.Half {
		t.Errorf("sd %v, half %v for values near 1e6; %v, %v near 0", far.SD, far.Half, near.SD, near.Half)
	}
}

// TestTwoRunsASideAreEnough: unpaired rows of exactly two runs each, all
// recovered, are compared by Welch's t; one run a side is no test.
func TestTwoRunsASideAreEnough(t *testing.T) {
	if c := versus(t, map[uint64]float64{1: 100, 2: 110}, map[uint64]float64{3: 200, 4: 230}); c.Test != TestWelch || !c.Diff.Tested || c.Diff.Diff != 110 {
		t.Errorf("two runs a side: %+v; want Welch's t on a difference of 110 s", c)
	}
	if c := versus(t, map[uint64]float64{1: 100, 2: 110}, map[uint64]float64{3: 200}); c.Test != "" || c.Outcome != OutcomeNoTest {
		t.Errorf("one run against two: %+v; want no test", c)
	}
}
