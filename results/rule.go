package results

import (
	"cmp"
	"math"
	"slices"
)

// Test names the significance test that decided a Change; its value is
// what the ranking's test column holds.
type Test string

// Tests Versus uses.
const (
	TestPaired Test = "paired-t" // seeds in common, recovered alike on each: paired t on recovery_s (PairedT)
	TestSign   Test = "sign"     // seeds in common, some recovered on one side only: exact sign test on which recovered first (SignTest)
	TestWelch  Test = "welch"    // no seeds in common, every run recovered: Welch's t on recovery_s
	TestFisher Test = "fisher"   // no seeds in common, some run did not recover: Fisher's exact test on runs recovered
)

// Outcomes of a Change.
const (
	OutcomeBaseline   = "baseline"    // this row is the baseline
	OutcomeBetter     = "better"      // significantly better at 95%
	OutcomeWorse      = "worse"       // significantly worse at 95%
	OutcomeTie        = "tie"         // the test cannot tell them apart
	OutcomeNoTest     = "no test"     // too few runs for a test: under two seeds in common, and one run on a side
	OutcomeNoBaseline = "no baseline" // the baseline did not run at this point
	OutcomeUndefined  = "undefined"   // recovery is not defined (no trigger)
)

// Change compares a row with another of the same point, the baseline, by
// Versus's rule: Outcome says whether the row is better, worse, or cannot
// be told from it (tie), and Test which test said so.
type Change struct {
	Outcome string
	Test    Test // one of the Test constants; "" when no test could be made
	// Pairs is the number of seeds both rows ran, which the paired tests
	// compare; 0 for an unpaired test.
	Pairs int
	// Diff is recovery_s, row − baseline, in seconds, with its 95%
	// interval: the mean of the per-seed differences (TestPaired) or the
	// difference of the means (TestWelch, and untested with one run a side
	// when both recovered); NaN for TestSign and TestFisher. Percent is Diff
	// in percent of the baseline's mean recovery_s over the same runs (NaN
	// when that mean is 0).
	Diff, Percent Difference
	P             float64 // TestSign's or TestFisher's p-value; NaN otherwise
	// The baseline's runs recovered of runs.
	BaseRecovered, BaseRuns int
}

// Versus compares row r with row base of the same point: the one rule that
// ranks (ties in `loadgen compare` and sweep's table) and that --baseline
// reports. The measure is recovery: whether each run recovered, and
// recovery_s. Significance is at 5%, two-sided.
//
// Paired, when the rows ran at least two seeds in common (each seed once a
// row): a seed fixes every droplet's phase, lease and work for every
// policy (common random numbers), so the runs of one seed are compared with
// each other and runs of other seeds left out. When every seed in common
// recovered alike (on both sides or on neither), the paired t interval on
// the per-seed differences of recovery_s over the seeds both recovered
// (TestPaired). When some seed recovered on one side only, recovery_s has
// no difference there, and the exact sign test decides (TestSign): each
// seed counts for the side that recovered first, a run that never
// recovered coming last; a seed where neither recovered, or both at the
// same time, counts for neither. Where the seeds that both recovered are
// equal in time this is McNemar's exact test on the discordant seeds;
// counting the rest too keeps a policy that recovers on 6 seeds of 8, each
// 10 times slower, from being a tie with one that recovered on all 8 fast
// (McNemar alone: 2 discordant seeds, p 0.5). With no seed recovered on
// one side only and fewer than two on both, the sign test decides too: at
// most one seed to count, p 1, a tie.
//
// Unpaired, otherwise (the rows' seeds differ, or share one): Welch's t on
// recovery_s when every run of both recovered (TestWelch), else Fisher's
// exact test on runs recovered (TestFisher); each needs two runs a side.
//
// With fewer runs than that there is no test (OutcomeNoTest), and a ranking
// marks no tie: its order is then the order of the means alone.
//
// Better and worse are the test's direction: with many seeds, a row that
// recovered on fewer of them may still recover first on most, be better by
// the sign test, and rank below all the same (the order puts the share
// recovered first).
func Versus(base, r *RankedRow) Change {
	c := Change{P: math.NaN(), Diff: Difference{Diff: math.NaN(), Half: math.NaN(), DF: math.NaN()}, BaseRecovered: base.Recovered, BaseRuns: base.Runs}
	c.Percent = c.Diff
	if !base.defined() || !r.defined() {
		c.Outcome = OutcomeUndefined
		return c
	}
	var (
		sig      bool
		sign     int     // < 0: r is the better
		baseMean float64 // the baseline's mean recovery_s over the runs of Diff
	)
	if a, b := paired(base.runs, r.runs); len(a) >= 2 {
		c.Pairs = len(a)
		var discordant bool
		var baseFirst, rFirst int // seeds where the baseline, r recovered first
		var diffs, bases []float64
		for i := range a {
			switch {
			case a[i].recovered && b[i].recovered:
				diffs, bases = append(diffs, b[i].recovery-a[i].recovery), append(bases, a[i].recovery)
				switch {
				case a[i].recovery < b[i].recovery:
					baseFirst++
				case b[i].recovery < a[i].recovery:
					rFirst++
				}
			case a[i].recovered:
				discordant, baseFirst = true, baseFirst+1
			case b[i].recovered:
				discordant, rFirst = true, rFirst+1
			}
		}
		if !discordant && len(diffs) >= 2 {
			c.Test, c.Diff, baseMean = TestPaired, PairedT(diffs), MeanCI(bases).Mean
			sig, sign = c.Diff.Significant, sgn(c.Diff.Diff)
		} else {
			c.Test, c.P = TestSign, SignTest(baseFirst, rFirst)
			sig, sign = c.P < 0.05, baseFirst-rFirst
		}
	} else {
		all := base.Recovered == base.Runs && r.Recovered == r.Runs
		if all {
			c.Diff, baseMean = Welch(base.Recovery, r.Recovery), base.Recovery.Mean
		}
		switch {
		case base.Runs < 2 || r.Runs < 2:
		case all:
			c.Test, sig, sign = TestWelch, c.Diff.Significant, sgn(c.Diff.Diff)
		default:
			c.Test, c.P = TestFisher, FisherExact(r.Recovered, r.Runs, base.Recovered, base.Runs)
			sig, sign = c.P < 0.05, cmp.Compare(float64(base.Recovered)/float64(base.Runs), float64(r.Recovered)/float64(r.Runs))
		}
	}
	if baseMean > 0 {
		d := c.Diff
		c.Percent = Difference{Diff: 100 * d.Diff / baseMean, Half: 100 * d.Half / baseMean, DF: d.DF, Tested: d.Tested, Significant: d.Significant}
	}
	switch {
	case c.Test == "":
		c.Outcome = OutcomeNoTest
	case !sig:
		c.Outcome = OutcomeTie
	case sign < 0:
		c.Outcome = OutcomeBetter
	default:
		c.Outcome = OutcomeWorse
	}
	return c
}

func sgn(v float64) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}

// paired returns the runs of a and b (each sorted by seed) that share a
// seed, aligned; none when a seed repeats within a or b, which then cannot
// be paired.
func paired(a, b []outcome) (pa, pb []outcome) {
	for _, rs := range [][]outcome{a, b} {
		for i := 1; i < len(rs); i++ {
			if rs[i].seed == rs[i-1].seed {
				return nil, nil
			}
		}
	}
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].seed < b[j].seed:
			i++
		case a[i].seed > b[j].seed:
			j++
		default:
			pa, pb = append(pa, a[i]), append(pb, b[j])
			i, j = i+1, j+1
		}
	}
	return pa, pb
}

// before reports whether r ranks before o: a larger share of runs
// recovered, then the lower mean recovery_s of those that recovered. The
// share, not the count: a row missing from a file (4 runs of 4 against 5 of
// 5) must not demote a policy; when the rows ran the same seeds, as a sweep's
// do, it orders as the count does.
func (r *RankedRow) before(o *RankedRow) bool {
	// r.Recovered/r.Runs > o.Recovered/o.Runs, in integers.
	if a, b := r.Recovered*o.Runs, o.Recovered*r.Runs; a != b {
		return a > b
	}
	return meanOf(r.recs) < meanOf(o.recs)
}

func meanOf(xs []float64) float64 {
	if len(xs) == 0 {
		return math.Inf(1)
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// place sets Rank and TiedWith on every row, point by point (scenario,
// vary, droplets), and returns the rows' indices in print order: points in
// the order they first appear, each point's ranked rows by rank, then its
// unranked rows (recovery not defined) as they appeared.
//
// Ties are Versus's: a row is tied with the best-ranked row before it that
// Versus cannot tell it from (OutcomeTie; no test is no tie), and its
// TiedWith is that row's rank, not that row's own TiedWith (ties do not
// chain: a row the test separates from rank 1 is never marked 1=).
func place(rows []RankedRow) []int {
	type pk struct {
		scenario, vary string
		droplets       int
	}
	points := map[pk][]int{}
	var order []pk
	for i, r := range rows {
		k := pk{r.Scenario, r.Vary, r.Droplets}
		if _, ok := points[k]; !ok {
			order = append(order, k)
		}
		points[k] = append(points[k], i)
	}
	out := make([]int, 0, len(rows))
	for _, k := range order {
		var ranked, unranked []int
		for _, i := range points[k] {
			if rows[i].defined() {
				ranked = append(ranked, i)
			} else {
				unranked = append(unranked, i)
			}
		}
		slices.SortStableFunc(ranked, func(a, b int) int {
			switch {
			case rows[a].before(&rows[b]):
				return -1
			case rows[b].before(&rows[a]):
				return 1
			}
			return 0
		})
		for j, i := range ranked {
			r := &rows[i]
			r.Rank = j + 1
			if prev := &rows[ranked[max(j-1, 0)]]; j > 0 && !prev.before(r) {
				r.Rank = prev.Rank
			}
			for _, e := range ranked[:j] {
				if earlier := &rows[e]; Versus(earlier, r).Outcome == OutcomeTie {
					if earlier.TiedWith == 0 {
						earlier.TiedWith = earlier.Rank
					}
					r.TiedWith = earlier.Rank
					break
				}
			}
		}
		out = append(append(out, ranked...), unranked...)
	}
	return out
}
