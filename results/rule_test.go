package results

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// pairedRuns are the runs of the golden test's paired point
// (cmd/loadgen/testdata/compare/paired.csv, vary case=paired): base
// recovers in 3600 … 4200 s over seeds 1-6, fast in 60 s less give or take
// 2 (the differences of TestPairedTByHand), same in exactly base's times,
// shifted in exactly 30 s more.
func pairedRuns() []Summary {
	base := []float64{3600, 3720, 3840, 3960, 4080, 4200}
	d := []float64{-62, -58, -60, -60, -59, -61}
	var ss []Summary
	for i := range base {
		seed := uint64(i + 1)
		ss = append(ss, run("base", "", seed, base[i]), run("fast", "", seed, base[i]+d[i]),
			run("same", "", seed, base[i]), run("shifted", "", seed, base[i]+30))
	}
	return ss
}

func rowOf(t *testing.T, rk Ranking, policy, vary string) RankedRow {
	t.Helper()
	for _, r := range rk.Rows {
		if r.Policy == policy && r.Vary == vary {
			return r
		}
	}
	t.Fatalf("no row for %s %s", policy, vary)
	return RankedRow{}
}

// TestPairedSeparatesWhereUnpairedCannot: fast's and base's intervals
// overlap widely and Welch's test cannot tell them apart, but per seed fast
// is 60 ± 1.48 s faster: the rule pairs them and ranks fast first, alone.
// A rule that fell back to the unpaired test would tie them. same has
// base's times exactly (differences all 0: a tie, the same rank); shifted
// is exactly 30 s slower on every seed (zero variance, nonzero: different).
func TestPairedSeparatesWhereUnpairedCannot(t *testing.T) {
	rk, err := Rank(pairedRuns(), "base")
	if err != nil {
		t.Fatal(err)
	}
	base, fast := rowOf(t, rk, "base", ""), rowOf(t, rk, "fast", "")
	if !(base.Recovery.Lo() < fast.Recovery.Hi() && fast.Recovery.Lo() < base.Recovery.Hi()) || Welch(base.Recovery, fast.Recovery).Significant {
		t.Fatalf("the data should overlap unpaired: base %+v, fast %+v", base.Recovery, fast.Recovery)
	}
	c := fast.Change
	if c.Test != TestPaired || c.Pairs != 6 || c.Outcome != OutcomeBetter || c.Diff.Diff != -60 || math.Abs(c.Diff.Half-1.484126) > 5e-7 {
		t.Errorf("fast against base: %+v, want paired t on 6 seeds, −60 ± 1.484126 s, better", c)
	}
	// In percent of base's mean 3900 s: −1.538% ± 0.038%.
	if math.Abs(c.Percent.Diff+100*60.0/3900) > 1e-9 || math.Abs(c.Percent.Half-100*1.484126/3900) > 1e-6 {
		t.Errorf("percent: %+v", c.Percent)
	}
	var got []string
	for _, r := range rk.Rows {
		got = append(got, fmt.Sprintf("%s:%s/%s:%s", r.Policy, itoa(r.Rank), itoa(r.TiedWith), r.Change.Outcome))
	}
	if want := "fast:1/0:better base:2/2:baseline same:2/2:tie shifted:4/0:worse"; strings.Join(got, " ") != want {
		t.Errorf("ranks %s, want %s", strings.Join(got, " "), want)
	}
	if c := rowOf(t, rk, "shifted", "").Change; c.Test != TestPaired || c.Diff.Half != 0 || c.Diff.Diff != 30 {
		t.Errorf("shifted: %+v, want a paired difference of exactly 30 s", c)
	}
}

// TestVersusPairing: which test the rule picks as the seeds of two rows
// overlap, and what it says.
func TestVersusPairing(t *testing.T) {
	nan := math.NaN()
	row := func(policy string, seeds []uint64, recs []float64) []Summary {
		var ss []Summary
		for i, s := range seeds {
			ss = append(ss, run(policy, "", s, recs[i]))
		}
		return ss
	}
	versus := func(a, b []Summary) Change {
		rows, _ := gather(append(slices.Clone(a), b...))
		return Versus(&rows[0], &rows[1])
	}
	for _, c := range []struct {
		name        string
		a, b        []Summary
		test        Test
		pairs       int
		outcome     string
		p, diff     float64
		wantP, want bool
	}{
		{"same seeds, all recovered: paired t", row("a", []uint64{1, 2, 3}, []float64{100, 110, 120}), row("b", []uint64{1, 2, 3}, []float64{101, 111, 121.5}),
			TestPaired, 3, OutcomeWorse, nan, 3.5 / 3, false, true},
		{"two seeds in common of four: paired on those two", row("a", []uint64{1, 2, 3, 4}, []float64{100, 110, 500, 900}), row("b", []uint64{3, 4, 5, 6}, []float64{510, 910, 1, 2}),
			TestPaired, 2, OutcomeWorse, nan, 10, false, true},
		{"one seed in common: unpaired, Welch", row("a", []uint64{1, 2, 3}, []float64{100, 110, 120}), row("b", []uint64{3, 4, 5}, []float64{121, 131, 141}),
			TestWelch, 0, OutcomeTie, nan, 21, false, true},
		{"other seeds, one never recovered: Fisher", row("a", []uint64{1, 2, 3, 4, 5}, []float64{1, 2, 3, 4, 5}), row("b", []uint64{6, 7, 8, 9, 10}, []float64{nan, nan, nan, nan, nan}),
			TestFisher, 0, OutcomeWorse, 2.0 / 252, nan, true, false},
		{"same seeds, one never recovered: sign test (McNemar's)", row("a", []uint64{1, 2, 3, 4, 5, 6}, []float64{1, 2, 3, 4, 5, 6}), row("b", []uint64{1, 2, 3, 4, 5, 6}, []float64{nan, nan, nan, nan, nan, nan}),
			TestSign, 6, OutcomeWorse, 2.0 / 64, nan, true, false},
		{"same seeds, 5/5 against 0/5: the sign test cannot tell", row("a", []uint64{1, 2, 3, 4, 5}, []float64{1, 2, 3, 4, 5}), row("b", []uint64{1, 2, 3, 4, 5}, []float64{nan, nan, nan, nan, nan}),
			TestSign, 5, OutcomeTie, 2.0 / 32, nan, true, false},
		// 6/8 recovered, each 10 times slower, against 8/8: b is last on all
		// 8 seeds, p = 2/2⁸. McNemar on the 2 discordant seeds alone: p 0.5.
		{"6 of 8, slower on each: sign test counts every seed", row("a", []uint64{1, 2, 3, 4, 5, 6, 7, 8}, []float64{100, 101, 102, 103, 104, 105, 106, 107}),
			row("b", []uint64{1, 2, 3, 4, 5, 6, 7, 8}, []float64{1000, 1010, 1020, 1030, 1040, 1050, nan, nan}),
			TestSign, 8, OutcomeWorse, 2.0 / 256, nan, true, false},
		// b recovers first on seeds 1-3 and never on 4: 3 seeds for b, 1 for
		// a, seed 5 (neither) for none: p = 2 · (1 + 4)/2⁴ = 0.625.
		{"first on three seeds, never on one: a tie", row("a", []uint64{1, 2, 3, 4, 5}, []float64{100, 100, 100, 100, nan}), row("b", []uint64{1, 2, 3, 4, 5}, []float64{90, 90, 90, nan, nan}),
			TestSign, 5, OutcomeTie, 0.625, nan, true, false},
		{"both fail seed 3 alone: paired t on the other four", row("a", []uint64{1, 2, 3, 4, 5}, []float64{100, 200, nan, 400, 500}), row("b", []uint64{1, 2, 3, 4, 5}, []float64{50, 150, nan, 350, 450}),
			TestPaired, 5, OutcomeBetter, nan, -50, false, true},
		{"both never recovered: sign test p 1", row("a", []uint64{1, 2}, []float64{nan, nan}), row("b", []uint64{1, 2}, []float64{nan, nan}),
			TestSign, 2, OutcomeTie, 1, nan, true, false},
		{"one seed both recovered, one neither: sign test p 1", row("a", []uint64{1, 2}, []float64{100, nan}), row("b", []uint64{1, 2}, []float64{200, nan}),
			TestSign, 2, OutcomeTie, 1, nan, true, false},
		{"one run a side: no test", row("a", []uint64{1}, []float64{100}), row("b", []uint64{1}, []float64{nan}),
			"", 0, OutcomeNoTest, nan, nan, false, false},
		{"one run against five, other seeds: no test", row("a", []uint64{1}, []float64{100}), row("b", []uint64{2, 3, 4, 5, 6}, []float64{1, 2, 3, 4, 5}),
			"", 0, OutcomeNoTest, nan, -97, false, true},
	} {
		got := versus(c.a, c.b)
		bad := got.Test != c.test || got.Pairs != c.pairs || got.Outcome != c.outcome
		if c.wantP {
			bad = bad || math.Abs(got.P-c.p) > 1e-12
		} else {
			bad = bad || !math.IsNaN(got.P)
		}
		if c.want {
			bad = bad || math.Abs(got.Diff.Diff-c.diff) > 1e-9
		} else {
			bad = bad || !math.IsNaN(got.Diff.Diff)
		}
		if bad {
			t.Errorf("%s: %+v\nwant test %q, %d pairs, %s, p %v, diff %v", c.name, got, c.test, c.pairs, c.outcome, c.p, c.diff)
		}
	}
	// A seed twice in one row (a Go caller's summaries; files refuse it):
	// no pairing, the unpaired test.
	dup := row("a", []uint64{1, 1, 2}, []float64{100, 101, 102})
	if c := versus(dup, row("b", []uint64{1, 2, 3}, []float64{200, 201, 202})); c.Test != TestWelch || c.Pairs != 0 {
		t.Errorf("repeated seed: %+v, want Welch", c)
	}
}

// TestFewerRecoveredNeverRanksAbove: the case first. One seed:
// a recovered in 100 s, b in 200 s, c never, u undetermined; no test is
// possible with one run a side, so no row is marked, and c and u (which
// count as not recovered) rank below both, sharing rank 3. Then random
// sweeps, rows missing from some: at every point, a row with a larger share
// of runs recovered ranks strictly before one with a smaller share (so,
// over the same seeds, more runs before fewer), whatever the tests say.
func TestFewerRecoveredNeverRanksAbove(t *testing.T) {
	u := run("u", "", 1, math.NaN())
	u.Undetermined = true
	rk, _ := Rank([]Summary{run("c", "", 1, math.NaN()), u, run("b", "", 1, 200), run("a", "", 1, 100)}, "")
	var got []string
	for _, r := range rk.Rows {
		got = append(got, fmt.Sprintf("%s:%s/%s", r.Policy, itoa(r.Rank), itoa(r.TiedWith)))
	}
	if want := "a:1/0 b:2/0 c:3/0 u:3/0"; strings.Join(got, " ") != want {
		t.Errorf("one seed: %s, want %s", strings.Join(got, " "), want)
	}
	rng := rand.New(rand.NewPCG(15, 2025))
	for trial := range 300 {
		ss := randomSweep(rng)
		rk, _ := Rank(ss, "")
		for i, r := range rk.Rows {
			for _, o := range rk.Rows[i+1:] {
				if r.Scenario != o.Scenario || r.Vary != o.Vary || o.Rank == 0 {
					continue
				}
				more, less := o.Recovered*r.Runs > r.Recovered*o.Runs, o.Recovered*r.Runs < r.Recovered*o.Runs
				if more || less && !(r.Rank < o.Rank) || r.Runs == o.Runs && o.Recovered > r.Recovered {
					t.Fatalf("trial %d: %s (%d/%d, rank %d) printed before %s (%d/%d, rank %d)", trial,
						r.Policy, r.Recovered, r.Runs, r.Rank, o.Policy, o.Recovered, o.Runs, o.Rank)
				}
			}
		}
	}
}

// TestMissingRowDoesNotDemote: a sweep.csv fed back with a row missing.
// fast ran seeds 1-6 of 7 (its seed 7 row lost) and recovered on all; slow
// recovered on all 7, about 50 s later on each seed. fast still ranks first,
// and the paired test on the 6 seeds in common separates them; never (0/7)
// ranks last, and the sign test separates it from fast on 6 seeds (p
// 0.031): fast is unmarked.
func TestMissingRowDoesNotDemote(t *testing.T) {
	var ss []Summary
	for seed := range uint64(7) {
		base := 1000 + 10*float64(seed*seed)
		if seed < 6 {
			ss = append(ss, run("fast", "", seed+1, base))
		}
		ss = append(ss, run("slow", "", seed+1, base+50+float64(seed)), run("never", "", seed+1, math.NaN()))
	}
	rk, _ := Rank(ss, "slow")
	var got []string
	for _, r := range rk.Rows {
		got = append(got, fmt.Sprintf("%s:%d/%d:%d", r.Policy, r.Recovered, r.Runs, r.Rank))
	}
	if want := "fast:6/6:1 slow:7/7:2 never:0/7:3"; strings.Join(got, " ") != want {
		t.Errorf("ranks %s, want %s", strings.Join(got, " "), want)
	}
	if c := rk.Rows[0].Change; c.Test != TestPaired || c.Pairs != 6 || c.Outcome != OutcomeBetter || rk.Rows[0].TiedWith != 0 {
		t.Errorf("fast against slow: %+v, tied with %d; want paired t on 6 seeds, better, no mark", c, rk.Rows[0].TiedWith)
	}
}

// randomSweep is a sweep of 2-6 policies at 1-2 vary points over 1-7 seeds,
// some seeds missing for some policies, each run recovering with a
// policy-dependent chance, times drawn around a policy-dependent mean.
func randomSweep(rng *rand.Rand) []Summary {
	var ss []Summary
	points, policies, seeds := 1+rng.IntN(2), 2+rng.IntN(5), 1+rng.IntN(7)
	for pt := range points {
		vary := fmt.Sprintf("k=%d", pt)
		for p := range policies {
			chance := []float64{1, 1, 0.8, 0.5, 0}[rng.IntN(5)]
			mean := 1000 + 50*float64(rng.IntN(4))
			for s := range seeds {
				if rng.IntN(8) == 0 {
					continue // a row missing from the file
				}
				rec := math.NaN()
				if rng.Float64() < chance {
					rec = math.Round(mean + 30*rng.NormFloat64())
				}
				r := run(fmt.Sprintf("p%d", p), vary, uint64(s+1), rec)
				if rng.IntN(10) == 0 {
					r.Amplification = math.NaN()
				}
				ss = append(ss, r)
			}
		}
	}
	return ss
}

// TestGroupsAndRankAgree: sweep's table (Groups) and compare (Rank) give
// every row the same rank and mark, on random sweeps, by construction (one
// function ranks both) and so that it stays so.
func TestGroupsAndRankAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 15))
	for trial := range 300 {
		ss := randomSweep(rng)
		rk, _ := Rank(ss, "")
		want := map[string]string{}
		for _, r := range rk.Rows {
			want[r.Policy+" "+r.Vary] = rankCell(r.Rank, r.TiedWith)
		}
		for _, g := range Groups(ss) {
			if got := rankCell(g.Rank, g.TiedWith); got != want[g.Policy+" "+g.Vary] {
				t.Fatalf("trial %d: %s %s: table %s, compare %s", trial, g.Policy, g.Vary, got, want[g.Policy+" "+g.Vary])
			}
		}
	}
}

// TestMeansSkipMissingValues: a run with no amplification (no request) is
// left out of the mean, not counted as 0 or turning it NaN; a group where
// no run has one prints "—".
func TestMeansSkipMissingValues(t *testing.T) {
	a1, a2, b1, b2 := run("a", "", 1, 100), run("a", "", 2, 110), run("b", "", 1, 100), run("b", "", 2, 110)
	a1.Amplification, a2.Amplification = math.NaN(), 4
	b1.Amplification, b2.Amplification = math.NaN(), math.NaN()
	b1.WastedFraction, b2.WastedFraction = math.NaN(), math.NaN()
	gs := Groups([]Summary{a1, a2, b1, b2})
	if gs[0].Amplification != 4 || !math.IsNaN(gs[1].Amplification) || !math.IsNaN(gs[1].Wasted) {
		t.Fatalf("amplification a %v b %v, wasted b %v; want 4, NaN, NaN", gs[0].Amplification, gs[1].Amplification, gs[1].Wasted)
	}
	var b strings.Builder
	if err := WriteMarkdown(&b, []Summary{b1, b2}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "| 1 | — | — | 2 |") || strings.Contains(b.String(), "NaN") {
		t.Errorf("b's row: want — for wasted and amplification:\n%s", b.String())
	}
	rk, _ := Rank([]Summary{a1, a2, b1, b2}, "")
	if rowOf(t, rk, "a", "").Amplification != 4 || !math.IsNaN(rowOf(t, rk, "b", "").Amplification) {
		t.Errorf("Rank's means differ from Groups'")
	}
}

// TestRankReadsValuesAsWritten: a sweep ranks its summaries in memory,
// compare the file it wrote, rounded to the millisecond. Two policies whose
// times differ by less than that on every seed are the same policy to both.
func TestRankReadsValuesAsWritten(t *testing.T) {
	var ss []Summary
	for seed := range uint64(3) {
		base := 3600.1 + 10*float64(seed)
		ss = append(ss, run("a", "", seed+1, base), run("b", "", seed+1, base+1e-5))
	}
	rk, _ := Rank(ss, "a")
	if b := rowOf(t, rk, "b", ""); b.Change.Outcome != OutcomeTie || b.Rank != 1 || b.TiedWith != 1 {
		t.Errorf("b: rank %d/%d %+v, want the same as a once written", b.Rank, b.TiedWith, b.Change)
	}
}

// TestNothingToRecover: a baseline that recovered in 0 s on every seed
// (ideal 0: nothing to recover) has no percent to scale by, so the change
// is written in seconds; the ratios are empty, the ranks are not.
func TestNothingToRecover(t *testing.T) {
	var ss []Summary
	for seed := range uint64(3) {
		a, b := run("a", "", seed+1, 0), run("b", "", seed+1, 2+float64(seed)/10)
		a.IdealS, b.IdealS = 0, 0
		ss = append(ss, a, b)
	}
	rk, _ := Rank(ss, "a")
	b := rowOf(t, rk, "b", "")
	if b.Ratio.N != 0 || b.Rank != 2 || b.Change.Outcome != OutcomeWorse || !math.IsNaN(b.Change.Percent.Diff) {
		t.Fatalf("b: ratio %+v rank %d change %+v", b.Ratio, b.Rank, b.Change)
	}
	// b − a: 2, 2.1, 2.2: 2.1 ± 4.302653 · 0.1/√3 = 0.248414.
	if got, want := changeCell(b, *b.Change), "+2.1s [+1.852s, +2.348s]: worse (paired t, 3 seeds)"; got != want {
		t.Errorf("change %q, want %q", got, want)
	}
}
