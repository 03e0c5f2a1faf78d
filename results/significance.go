package results

import "math"

// Difference is the difference of two means, b − a, with its 95%
// confidence interval by Welch's t (unequal variances): Diff ± Half, DF the
// Welch–Satterthwaite degrees of freedom (not rounded: T95 takes a real df).
// Significant when the interval excludes 0.
// Tested is false when either side has fewer than two values (no variance
// to judge by).
type Difference struct {
	Diff, Half, DF float64
	Tested         bool
	Significant    bool
}

// Lo is the interval's lower end.
func (d Difference) Lo() float64 { return d.Diff - d.Half }

// Hi is the interval's upper end.
func (d Difference) Hi() float64 { return d.Diff + d.Half }

// Welch compares the means of a and b (Intervals from MeanCI): b.Mean −
// a.Mean with a 95% interval, se = √(sa²/na + sb²/nb), df = se⁴ ÷
// ((sa²/na)²/(na−1) + (sb²/nb)²/(nb−1)) (B. L. Welch, 1947; NIST/SEMATECH
// e-Handbook 7.3.1, https://www.itl.nist.gov/div898/handbook/prc/section3/prc31.htm).
// When neither side varies (se 0) the interval is the difference itself, and
// any difference is significant.
func Welch(a, b Interval) Difference {
	d := Difference{Diff: b.Mean - a.Mean, Half: math.NaN(), DF: math.NaN()}
	if a.N < 2 || b.N < 2 {
		return d
	}
	d.Tested = true
	va, vb := a.SD*a.SD/float64(a.N), b.SD*b.SD/float64(b.N)
	se2 := va + vb
	if se2 == 0 {
		d.Half, d.Significant = 0, d.Diff != 0
		return d
	}
	d.DF = se2 * se2 / (va*va/float64(a.N-1) + vb*vb/float64(b.N-1))
	d.Half = T95(d.DF) * math.Sqrt(se2)
	d.Significant = d.Lo() > 0 || d.Hi() < 0
	return d
}

// FisherExact is the two-sided p-value of Fisher's exact test that k1 of n1
// and k2 of n2 come from one proportion: the probability, with the margins
// fixed, of every table no more likely than the one observed
// (https://en.wikipedia.org/wiki/Fisher%27s_exact_test). 1 when there is
// nothing to tell apart (no run, or every run alike).
func FisherExact(k1, n1, k2, n2 int) float64 {
	n, k := n1+n2, k1+k2
	if n1 == 0 || n2 == 0 || k == 0 || k == n {
		return 1
	}
	lchoose := func(n, k int) float64 {
		a, _ := math.Lgamma(float64(n + 1))
		b, _ := math.Lgamma(float64(k + 1))
		c, _ := math.Lgamma(float64(n - k + 1))
		return a - b - c
	}
	prob := func(x int) float64 { return math.Exp(lchoose(k, x) + lchoose(n-k, n1-x) - lchoose(n, n1)) }
	obs := prob(k1)
	var p float64
	for x := max(0, n1-(n-k)); x <= min(k, n1); x++ {
		if px := prob(x); px <= obs*(1+1e-9) {
			p += px
		}
	}
	return min(p, 1)
}
