package results

import "math"

// Difference is a difference of means, b − a, with its 95% confidence
// interval Diff ± Half (Student's t with DF degrees of freedom): by Welch's
// t for two independent samples (DF the Welch–Satterthwaite value, not
// rounded), by PairedT for paired ones (DF n − 1). Significant when the
// interval excludes 0 (Lo > 0 or Hi < 0). Tested is false when there are
// too few values to judge by (fewer than two a side, or two pairs); Half and
// DF are NaN then, and Significant false.
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
// DF is at least min(na, nb) − 1. When neither side varies (se 0) the
// interval is the difference itself, and any difference is significant.
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

// PairedT is the mean of the per-pair differences d (b − a of each pair)
// with its 95% interval: Diff = mean d, Half = t(n−1) · sd(d)/√n, DF = n − 1
// (Student's paired t; NIST/SEMATECH e-Handbook 7.3.1). Pairing removes
// what the two runs of a pair share (here the seed's droplets, phases and
// work), so it can tell apart means whose separate intervals overlap. When
// every difference is the same (sd 0) the interval is that difference: any
// nonzero constant difference is significant, all-zero differences are
// not. Untested for fewer than two pairs.
func PairedT(d []float64) Difference {
	iv := MeanCI(d)
	out := Difference{Diff: iv.Mean, Half: math.NaN(), DF: math.NaN()}
	if iv.N < 2 {
		return out
	}
	out.Tested, out.Half, out.DF = true, iv.Half, float64(iv.N-1)
	out.Significant = out.Lo() > 0 || out.Hi() < 0
	return out
}

// SignTest is the two-sided p-value of the exact sign test on paired
// outcomes: b pairs favour the first side, c the second (pairs that favour
// neither do not enter); under the null that each pair is as likely to
// favour either side, b is Binomial(b+c, ½), and p = min(1, 2 · P(X <=
// min(b, c))). On yes/no outcomes, with b and c the discordant pairs, it is
// McNemar's exact test (Fagerland, Lydersen & Laake, BMC Med. Res. Methodol.
// 13:91, 2013). 1 when no pair favours either side. With n pairs that do, p
// is at least 2/2ⁿ: five pairs all one way give p = 0.0625, so fewer than
// six can never be significant at 5%.
func SignTest(b, c int) float64 {
	n, k := b+c, min(b, c)
	if n == 0 {
		return 1
	}
	lgn, _ := math.Lgamma(float64(n + 1))
	var p float64
	for i := 0; i <= k; i++ {
		li, _ := math.Lgamma(float64(i + 1))
		lr, _ := math.Lgamma(float64(n - i + 1))
		p += math.Exp(lgn - li - lr - float64(n)*math.Ln2)
	}
	return min(1, 2*p)
}
