package results

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// RankedRow is the runs of one policy at one point (the same scenario, vary
// values and droplets) over its seeds, as `loadgen compare` ranks them.
type RankedRow struct {
	Scenario, Policy, Vary string
	Droplets               int // -1: none
	Runs, Recovered        int
	Undefined              int // runs whose recovery is not defined (no trigger)
	// Recovery is recovery_s's mean with its 95% interval, computable (N >
	// 0) only when every run recovered; Median is recovery_s's median with
	// a run that never recovered counted as +Inf (so +Inf when at most half
	// recovered), NaN when recovery is not defined.
	Recovery Interval
	Median   float64
	Ratio    Interval // recovery_ratio, when every run has one
	// Means over the runs, and the largest peak queue (-1 when no run
	// reported one: an attack on a target that does not say).
	Wasted, Amplification float64
	PeakQueue             int
	// Rank orders the rows of one point, 1 the best: most runs recovered,
	// then the least mean recovery time of those that recovered
	// (competition ranking: equal keys share a rank). 0 when recovery is not
	// defined. TiedWith is the rank of the best-ranked row this one is not
	// significantly different from (Versus's test), set on both; 0 when none.
	Rank, TiedWith int
	// Change is the comparison with the baseline policy at the same point;
	// nil without a baseline.
	Change *Change
	recs   []float64 // recovery_s of the runs that recovered
}

// Tests a Change can use.
const (
	TestWelch  = "welch"  // every run of both recovered: Welch's t on recovery_s
	TestFisher = "fisher" // some run did not recover: Fisher's exact test on runs recovered
)

// Outcomes of a Change.
const (
	OutcomeBaseline   = "baseline"    // this row is the baseline
	OutcomeBetter     = "better"      // significantly better at 95%
	OutcomeWorse      = "worse"       // significantly worse at 95%
	OutcomeTie        = "tie"         // the difference is inside the noise
	OutcomeNoTest     = "no test"     // one run on a side: no variance to judge by
	OutcomeNoBaseline = "no baseline" // the baseline did not run at this point
	OutcomeUndefined  = "undefined"   // recovery is not defined (no trigger)
)

// Change compares a row with the baseline policy's row at the same point.
//
// When every run of both recovered, the measure is recovery_s: Diff is the
// difference of the means (row − baseline) with its 95% Welch interval, and
// Percent the same in percent of the baseline's mean. Otherwise the measure
// is how many runs recovered: P is Fisher's exact two-sided p-value, and
// significant means P < 0.05. A difference that is not significant is a tie.
type Change struct {
	Outcome string
	Test    string     // TestWelch, TestFisher or "" (no test possible)
	Diff    Difference // seconds, TestWelch (Diff also when untested)
	Percent Difference // Diff in percent of the baseline's mean recovery
	P       float64    // TestFisher's p-value; NaN otherwise
	// The baseline's runs recovered of runs, for a Fisher comparison.
	BaseRecovered, BaseRuns int
}

// Ranking is the rows of Rank in print order: points in the order they
// first appear, each point's rows by rank (unranked rows last, as they
// appeared).
type Ranking struct {
	Baseline string // the baseline policy, "" for none
	Rows     []RankedRow
}

// Rank groups runs by (scenario, policy, vary, droplets), ranks each point's
// rows and, with a baseline policy, compares every row with it. A baseline
// that is no run's policy is an error naming the policies there are.
func Rank(ss []Summary, baseline string) (Ranking, error) {
	type gk struct {
		scenario, policy, vary string
		droplets               int
	}
	idx := map[gk]int{}
	var rows []RankedRow
	var ratios [][]float64
	allRatio := []bool{}
	policies := []string{}
	for _, s := range ss {
		k := gk{s.Scenario, s.Policy, s.Vary, s.Droplets}
		i, ok := idx[k]
		if !ok {
			i = len(rows)
			idx[k] = i
			rows = append(rows, RankedRow{Scenario: s.Scenario, Policy: s.Policy, Vary: s.Vary, Droplets: s.Droplets, PeakQueue: -1})
			ratios, allRatio = append(ratios, nil), append(allRatio, true)
			if !slices.Contains(policies, s.Policy) {
				policies = append(policies, s.Policy)
			}
		}
		r := &rows[i]
		r.Runs++
		r.Wasted += s.WastedFraction
		r.Amplification += s.Amplification
		r.PeakQueue = max(r.PeakQueue, s.PeakQueue)
		if s.Undefined {
			r.Undefined++
		}
		if s.Recovered {
			r.Recovered++
			r.recs = append(r.recs, s.RecoveryS)
		}
		if x := s.Ratio(); math.IsNaN(x) {
			allRatio[i] = false
		} else {
			ratios[i] = append(ratios[i], x)
		}
	}
	if baseline != "" && !slices.Contains(policies, baseline) {
		return Ranking{}, fmt.Errorf("results: baseline policy %q ran in none of the files (policies: %s)", baseline, strings.Join(policies, ", "))
	}
	for i := range rows {
		r := &rows[i]
		r.Wasted /= float64(r.Runs)
		r.Amplification /= float64(r.Runs)
		r.Recovery, r.Ratio, r.Median = MeanCI(nil), MeanCI(nil), median(r.recs, r.Runs)
		if r.Undefined > 0 {
			r.Median = math.NaN()
		}
		if r.Recovered == r.Runs {
			r.Recovery = MeanCI(r.recs)
			if allRatio[i] {
				r.Ratio = MeanCI(ratios[i])
			}
		}
	}
	return Ranking{Baseline: baseline, Rows: rankPoints(rows, baseline)}, nil
}

// median of the recovery times of n runs, of which those not in recs never
// recovered (+Inf).
func median(recs []float64, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	xs := slices.Clone(recs)
	for len(xs) < n {
		xs = append(xs, math.Inf(1))
	}
	slices.Sort(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	a, b := xs[n/2-1], xs[n/2]
	if math.IsInf(b, 1) {
		return b
	}
	return (a + b) / 2
}

// defined reports whether recovery is defined for every run of r.
func (r *RankedRow) defined() bool { return r.Undefined == 0 && r.Runs > 0 }

// better reports whether r ranks before o: more runs recovered (as a
// fraction), then the lower mean recovery of those that recovered.
func (r *RankedRow) better(o *RankedRow) bool {
	fr, fo := float64(r.Recovered)/float64(r.Runs), float64(o.Recovered)/float64(o.Runs)
	if fr != fo {
		return fr > fo
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

// rankPoints orders rows by point and rank, sets Rank and TiedWith, and the
// Change against baseline.
func rankPoints(rows []RankedRow, baseline string) []RankedRow {
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
	out := make([]RankedRow, 0, len(rows))
	for _, k := range order {
		idx := points[k]
		var ranked, unranked []int
		for _, i := range idx {
			if rows[i].defined() {
				ranked = append(ranked, i)
			} else {
				unranked = append(unranked, i)
			}
		}
		sort.SliceStable(ranked, func(a, b int) bool { return rows[ranked[a]].better(&rows[ranked[b]]) })
		for j, i := range ranked {
			r := &rows[i]
			r.Rank = j + 1
			if prev := &rows[ranked[max(j-1, 0)]]; j > 0 && !prev.better(r) {
				r.Rank = prev.Rank
			}
			for _, e := range ranked[:j] { // the best-ranked row it cannot be told from
				if earlier := &rows[e]; Versus(earlier, r).Outcome == OutcomeTie {
					if earlier.TiedWith == 0 {
						earlier.TiedWith = earlier.Rank
					}
					r.TiedWith = earlier.TiedWith
					break
				}
			}
		}
		if baseline != "" {
			base := -1
			for _, i := range idx {
				if rows[i].Policy == baseline {
					base = i
				}
			}
			for _, i := range idx {
				c := Change{Outcome: OutcomeNoBaseline, P: math.NaN(), Diff: Difference{Diff: math.NaN(), Half: math.NaN()}}
				c.Percent = c.Diff
				switch {
				case i == base:
					c.Outcome = OutcomeBaseline
				case base >= 0:
					c = Versus(&rows[base], &rows[i])
				}
				rows[i].Change = &c
			}
		}
		for _, i := range append(ranked, unranked...) {
			out = append(out, rows[i])
		}
	}
	return out
}

// Versus compares row r with base (see Change).
func Versus(base, r *RankedRow) Change {
	c := Change{P: math.NaN(), Diff: Difference{Diff: math.NaN(), Half: math.NaN()}, BaseRecovered: base.Recovered, BaseRuns: base.Runs}
	c.Percent = c.Diff
	switch {
	case !base.defined() || !r.defined():
		c.Outcome = OutcomeUndefined
	case base.Recovered < base.Runs || r.Recovered < r.Runs:
		c.Test, c.P = TestFisher, FisherExact(r.Recovered, r.Runs, base.Recovered, base.Runs)
		fr, fb := float64(r.Recovered)/float64(r.Runs), float64(base.Recovered)/float64(base.Runs)
		switch {
		case c.P >= 0.05:
			c.Outcome = OutcomeTie
		case fr > fb:
			c.Outcome = OutcomeBetter
		default:
			c.Outcome = OutcomeWorse
		}
	default:
		c.Diff = Welch(base.Recovery, r.Recovery)
		if m := base.Recovery.Mean; m > 0 {
			c.Percent = Difference{Diff: 100 * c.Diff.Diff / m, Half: 100 * c.Diff.Half / m, DF: c.Diff.DF, Tested: c.Diff.Tested, Significant: c.Diff.Significant}
		}
		switch {
		case !c.Diff.Tested:
			c.Outcome = OutcomeNoTest
		case !c.Diff.Significant:
			c.Test, c.Outcome = TestWelch, OutcomeTie
		case c.Diff.Diff < 0:
			c.Test, c.Outcome = TestWelch, OutcomeBetter
		default:
			c.Test, c.Outcome = TestWelch, OutcomeWorse
		}
	}
	return c
}
