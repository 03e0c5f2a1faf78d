package results

import (
	"math"
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

// Group is the runs of one policy at one point of a sweep (the same
// scenario, vary values and droplets) over its seeds: the RankedRow that
// `loadgen compare` would print for them, ranked by the same rule (Versus),
// with the roles that never acted.
type Group struct {
	RankedRow
	// Idle names the roles whose control never acted in any run of the
	// group ("retry", or "admit+queue"): a policy part that refused and
	// dropped nothing, so the group's numbers are those without it.
	Idle string
}

// Groups gathers runs by (scenario, policy, vary, droplets), in the order
// each group first appears, and ranks each point's groups as Rank does (with
// no baseline: Change is nil).
func Groups(ss []Summary) []Group {
	rows, _ := gather(ss)
	place(rows)
	gs := make([]Group, len(rows))
	for i, r := range rows {
		var idle []string
		for role, n := range r.refusals {
			if n == 0 {
				idle = append(idle, refusalRoles[role])
			}
		}
		gs[i] = Group{RankedRow: r, Idle: strings.Join(idle, "+")}
	}
	return gs
}
