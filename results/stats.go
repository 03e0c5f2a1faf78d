package results

import (
	"math"
	"sort"
	"strings"
)

// Interval is the mean of N values with its 95% confidence interval, Mean ±
// Half (Student's t, N−1 degrees of freedom, sample standard deviation SD).
// With N = 1 the interval is the one value (Half 0, SD NaN); with N = 0 every
// field but N is NaN.
type Interval struct {
	N              int
	Mean, SD, Half float64
}

// MeanCI is the mean of xs with its 95% confidence interval.
func MeanCI(xs []float64) Interval {
	n := len(xs)
	iv := Interval{N: n, Mean: math.NaN(), SD: math.NaN(), Half: math.NaN()}
	if n == 0 {
		return iv
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	iv.Mean = sum / float64(n)
	if n == 1 {
		iv.Half = 0
		return iv
	}
	var ss float64
	for _, x := range xs {
		ss += (x - iv.Mean) * (x - iv.Mean)
	}
	iv.SD = math.Sqrt(ss / float64(n-1))
	iv.Half = T95(float64(n-1)) * iv.SD / math.Sqrt(float64(n))
	return iv
}

// Lo and Hi are the interval's ends.
func (i Interval) Lo() float64 { return i.Mean - i.Half }

// Hi is the interval's upper end.
func (i Interval) Hi() float64 { return i.Mean + i.Half }

// Overlaps reports whether two intervals share a point; an empty interval
// (N = 0) overlaps nothing.
func (i Interval) Overlaps(j Interval) bool {
	if i.N == 0 || j.N == 0 {
		return false
	}
	return i.Lo() <= j.Hi() && j.Lo() <= i.Hi()
}

// Group is the runs of one policy at one point of a sweep (the same
// scenario, vary values and droplets) over its seeds.
type Group struct {
	Scenario, Policy, Vary string
	Droplets               int
	Runs, Recovered        int
	Undefined              int // runs whose recovery is not defined (no trigger)
	// Ratio and Recovery (seconds) over the seeds: computable (N > 0) only
	// when every run recovered with a ratio, since a run that never recovered
	// has no recovery time to average; Recovered of Runs says how many did.
	Ratio, Recovery Interval
	Wasted          float64 // mean wasted_fraction
	Amplification   float64 // mean amplification
	PeakQueue       int     // the largest peak_queue of the runs
	// Rank orders the groups of one point by mean ratio, 1 the best
	// (competition ranking); 0 when the ratio is not computable. TiedWith
	// marks groups these seeds cannot tell apart: the rank of the
	// best-ranked group whose interval overlaps this one's (the group itself
	// when a later one overlaps it and no earlier one does), 0 when no
	// interval overlaps it. Tied is TiedWith > 0.
	Rank     int
	TiedWith int
	Tied     bool
	// Idle names the roles whose control never acted in any run of the
	// group ("retry", or "admit+queue"): a policy part that refused and
	// dropped nothing, so the group's numbers are those without it.
	Idle string
	// refusals per role summed over the runs; -1 while no run had a control
	// in that role.
	refusals [4]int
}

// Groups gathers runs by (scenario, policy, vary, droplets), in the order
// each group first appears, and ranks each point's groups by mean ratio.
func Groups(ss []Summary) []Group {
	type gk struct {
		scenario, policy, vary string
		droplets               int
	}
	idx := map[gk]int{}
	var (
		gs      []Group
		ratios  [][]float64
		recs    [][]float64
		allRate []bool
	)
	for _, s := range ss {
		k := gk{s.Scenario, s.Policy, s.Vary, s.Droplets}
		i, ok := idx[k]
		if !ok {
			i = len(gs)
			idx[k] = i
			gs = append(gs, Group{Scenario: s.Scenario, Policy: s.Policy, Vary: s.Vary, Droplets: s.Droplets})
			ratios, recs, allRate = append(ratios, nil), append(recs, nil), append(allRate, true)
		}
		g := &gs[i]
		g.Runs++
		g.Wasted += s.WastedFraction
		g.Amplification += s.Amplification
		g.PeakQueue = max(g.PeakQueue, s.PeakQueue)
		if !ok {
			g.refusals = [4]int{-1, -1, -1, -1}
		}
		for r, n := range s.refusals() {
			if n >= 0 {
				g.refusals[r] = max(g.refusals[r], 0) + n
			}
		}
		if s.Undefined {
			g.Undefined++
		}
		if s.Recovered {
			g.Recovered++
			recs[i] = append(recs[i], s.RecoveryS)
		}
		if r := s.Ratio(); !math.IsNaN(r) {
			ratios[i] = append(ratios[i], r)
		} else {
			allRate[i] = false
		}
	}
	for i := range gs {
		g := &gs[i]
		var idle []string
		for r, n := range g.refusals {
			if n == 0 {
				idle = append(idle, refusalRoles[r])
			}
		}
		g.Idle = strings.Join(idle, "+")
		g.Wasted /= float64(g.Runs)
		g.Amplification /= float64(g.Runs)
		g.Ratio, g.Recovery = MeanCI(nil), MeanCI(nil)
		if g.Recovered == g.Runs {
			g.Recovery = MeanCI(recs[i])
			if allRate[i] {
				g.Ratio = MeanCI(ratios[i])
			}
		}
	}
	rank(gs)
	return gs
}

// rank sets Rank and Tied within each point (scenario, vary, droplets).
func rank(gs []Group) {
	type pk struct {
		scenario, vary string
		droplets       int
	}
	points := map[pk][]int{}
	var order []pk
	for i, g := range gs {
		k := pk{g.Scenario, g.Vary, g.Droplets}
		if g.Ratio.N == 0 {
			continue
		}
		if _, ok := points[k]; !ok {
			order = append(order, k)
		}
		points[k] = append(points[k], i)
	}
	for _, k := range order {
		idx := points[k]
		sort.SliceStable(idx, func(a, b int) bool { return gs[idx[a]].Ratio.Mean < gs[idx[b]].Ratio.Mean })
		for j, i := range idx {
			g := &gs[i]
			g.Rank = j + 1
			if j > 0 && g.Ratio.Mean == gs[idx[j-1]].Ratio.Mean {
				g.Rank = gs[idx[j-1]].Rank
			}
			for _, e := range idx[:j] { // the best-ranked group it overlaps
				if earlier := &gs[e]; g.Ratio.Overlaps(earlier.Ratio) {
					if earlier.TiedWith == 0 {
						earlier.TiedWith, earlier.Tied = earlier.Rank, true
					}
					g.TiedWith, g.Tied = earlier.TiedWith, true
					break
				}
			}
		}
	}
}
