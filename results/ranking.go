package results

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// RankedRow is the runs of one policy at one point (the same scenario, vary
// values and droplets) over its seeds, as `loadgen compare` ranks them and
// Groups summarises them for sweep's table.
//
// Every measure is taken from the values as summary.csv writes them
// (recovery_s and ideal_s to the millisecond, fractions to four decimals),
// so a sweep's table and `loadgen compare` on the file it wrote see the same
// numbers and print the same ranks.
type RankedRow struct {
	Scenario, Policy, Vary string
	Droplets               int // -1: none
	// Runs, and how many recovered: a run that was undetermined (too little
	// evidence) counts as not recovered. Undefined counts the runs whose
	// recovery is not defined (no trigger).
	Runs, Recovered int
	Undefined       int
	Undetermined    int // runs whose recovery was undetermined (among those not recovered)
	// Recovery is recovery_s's mean with its 95% interval, computable (N >
	// 0) only when every run recovered; Median is recovery_s's median with
	// a run that never recovered counted as +Inf (so +Inf when at most half
	// recovered), NaN when recovery is not defined.
	Recovery Interval
	Median   float64
	Ratio    Interval // recovery_ratio, when every run recovered and has one (ideal_s > 0)
	// Means over the runs that have a value (NaN when none has: an attack
	// measures no wasted fraction, a run with no request has no
	// amplification), and the largest peak queue (-1 when no run reported
	// one: an attack on a target that does not say).
	Wasted, Amplification float64
	PeakQueue             int
	// Rank and TiedWith place the row among those of its point by the one
	// rule (Versus, rule.go): Rank 1 is the best, the largest share of runs
	// recovered first, then the least mean recovery_s of those that
	// recovered; rows equal on both share a rank (competition ranking). A
	// row with a smaller share of runs recovered (fewer runs recovered, over
	// the same seeds) never ranks above one with more; one that never
	// recovered never ranks above one that did. 0 when recovery is not
	// defined. TiedWith is the rank of the
	// best-ranked row that Versus cannot tell this one from (outcome tie),
	// set on that row too when it has no better tie of its own; 0 when none.
	Rank, TiedWith int
	// Change is the comparison with the baseline policy at the same point;
	// nil without a baseline.
	Change *Change

	recs     []float64 // recovery_s of the runs that recovered
	runs     []outcome // every run, by seed
	refusals [4]int    // per role summed over the runs; -1 while no run had a control in that role
}

// outcome is what the rule knows of one run.
type outcome struct {
	seed      uint64
	recovered bool
	recovery  float64 // recovery_s as written; NaN unless recovered
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
	rows, policies := gather(ss)
	if baseline != "" && !slices.Contains(policies, baseline) {
		return Ranking{}, fmt.Errorf("results: baseline policy %q ran in none of the files (policies: %s)", baseline, strings.Join(policies, ", "))
	}
	order := place(rows)
	if baseline != "" {
		compareWith(rows, baseline)
	}
	out := make([]RankedRow, 0, len(rows))
	for _, i := range order {
		out = append(out, rows[i])
	}
	return Ranking{Baseline: baseline, Rows: out}, nil
}

// gather groups runs by (scenario, policy, vary, droplets) into rows, in the
// order each first appears, with every measure but the rank; and lists the
// policies in the order they first appear.
func gather(ss []Summary) ([]RankedRow, []string) {
	type gk struct {
		scenario, policy, vary string
		droplets               int
	}
	idx := map[gk]int{}
	var (
		rows     []RankedRow
		ratios   [][]float64
		allRatio []bool
		wasted   []mean
		amp      []mean
		policies []string
	)
	for _, s := range ss {
		s = s.asWritten()
		k := gk{s.Scenario, s.Policy, s.Vary, s.Droplets}
		i, ok := idx[k]
		if !ok {
			i = len(rows)
			idx[k] = i
			rows = append(rows, RankedRow{Scenario: s.Scenario, Policy: s.Policy, Vary: s.Vary, Droplets: s.Droplets,
				PeakQueue: -1, refusals: [4]int{-1, -1, -1, -1}})
			ratios, allRatio, wasted, amp = append(ratios, nil), append(allRatio, true), append(wasted, mean{}), append(amp, mean{})
			if !slices.Contains(policies, s.Policy) {
				policies = append(policies, s.Policy)
			}
		}
		r := &rows[i]
		r.Runs++
		wasted[i].add(s.WastedFraction)
		amp[i].add(s.Amplification)
		r.PeakQueue = max(r.PeakQueue, s.PeakQueue)
		for role, n := range s.refusals() {
			if n >= 0 {
				r.refusals[role] = max(r.refusals[role], 0) + n
			}
		}
		recovered := s.Recovered && !s.Undetermined && !s.Undefined
		o := outcome{seed: s.Seed, recovered: recovered, recovery: math.NaN()}
		if s.Undefined {
			r.Undefined++
		}
		if s.Undetermined {
			r.Undetermined++
		}
		if recovered {
			r.Recovered++
			r.recs = append(r.recs, s.RecoveryS)
			o.recovery = s.RecoveryS
		}
		r.runs = append(r.runs, o)
		if x := s.Ratio(); recovered && !math.IsNaN(x) {
			ratios[i] = append(ratios[i], x)
		} else {
			allRatio[i] = false
		}
	}
	for i := range rows {
		r := &rows[i]
		r.Wasted, r.Amplification = wasted[i].value(), amp[i].value()
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
		slices.SortStableFunc(r.runs, func(a, b outcome) int { return cmp.Compare(a.seed, b.seed) })
	}
	return rows, policies
}

// mean is a mean that leaves NaN values out.
type mean struct {
	sum float64
	n   int
}

func (m *mean) add(v float64) {
	if !math.IsNaN(v) {
		m.sum, m.n = m.sum+v, m.n+1
	}
}

// value is the mean, NaN when no value was added.
func (m mean) value() float64 {
	if m.n == 0 {
		return math.NaN()
	}
	return m.sum / float64(m.n)
}

// asWritten is s with the values the ranking reads rounded as summary.csv
// writes them, so that ranking the summaries a sweep holds and ranking the
// file it wrote give the same result.
func (s Summary) asWritten() Summary {
	s.RecoveryS, s.IdealS = written(s.RecoveryS, 3), written(s.IdealS, 3)
	s.WastedFraction, s.Amplification = written(s.WastedFraction, 4), written(s.Amplification, 4)
	return s
}

// written is v as fmtFloat writes it with decimals and ParseFloat reads it
// back; NaN stays NaN.
func written(v float64, decimals int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	w, _ := strconv.ParseFloat(FormatFloat(v, decimals), 64)
	return w
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

// compareWith sets every row's Change against the baseline policy's row at
// the same point.
func compareWith(rows []RankedRow, baseline string) {
	type pk struct {
		scenario, vary string
		droplets       int
	}
	base := map[pk]int{}
	for i, r := range rows {
		if r.Policy == baseline {
			base[pk{r.Scenario, r.Vary, r.Droplets}] = i
		}
	}
	for i := range rows {
		r := &rows[i]
		c := Change{Outcome: OutcomeNoBaseline, P: math.NaN(), Diff: Difference{Diff: math.NaN(), Half: math.NaN(), DF: math.NaN()}}
		c.Percent = c.Diff
		switch b, ok := base[pk{r.Scenario, r.Vary, r.Droplets}]; {
		case ok && b == i:
			c.Outcome = OutcomeBaseline
		case ok:
			c = Versus(&rows[b], r)
		}
		r.Change = &c
	}
}
