package results

import "math"

// T95 is the two-sided 95% critical value of Student's t with df degrees of
// freedom (the 0.975 quantile), for any real df >= 1, so that Welch's
// fractional degrees of freedom need no rounding: 12.706 at df 1, 2.776 at
// 4, 2.040 at 31, 1.984 at 100, tending to the normal's 1.960. NaN for df < 1
// or NaN.
//
// It is computed, not looked up: the quantile solves tCDF(t, df) = 0.975 by
// bisection, and tCDF is the regularized incomplete beta function (incBeta).
// The table it replaces (df 1 … 30, then 1.96) made every interval from 32
// or more runs too narrow, by up to 3.9% at df 31 (2.0395 against 1.96); a
// longer table would still not serve Welch's fractional df. TestT95 holds
// it to the NIST table's three decimals at every df that table lists, and to
// the closed forms at df 1, 2 and 4 within 1e-9.
func T95(df float64) float64 {
	if !(df >= 1) {
		return math.NaN()
	}
	return tQuantile(0.975, df)
}

// tQuantile is the p quantile of Student's t with df > 0 degrees of
// freedom, for 0.5 <= p < 1: the t >= 0 with tCDF(t, df) = p, within 1e-9.
// Beyond df 1e5 it is the normal's quantile with the first Cornish–Fisher
// term, z + (z³ + z)/(4 df), whose error is below 3e-10 there (the next term
// is (5z⁵ + 16z³ + 3z)/(96 df²)), and where incBeta's log-gamma front factor
// starts losing digits.
func tQuantile(p, df float64) float64 {
	if df > 1e5 {
		z := normalQuantile(p)
		return z + (z*z*z+z)/(4*df)
	}
	lo, hi := 0.0, 2.0
	for tCDF(hi, df) < p {
		lo, hi = hi, 2*hi
	}
	for range 200 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi || hi-lo <= 1e-14*hi {
			break
		}
		if tCDF(mid, df) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// tCDF is P(T <= t) for Student's t with df degrees of freedom, t >= 0:
// 1 − ½·I_x(df/2, ½) with x = df/(df + t²) (Abramowitz & Stegun 26.5.27;
// DLMF 8.17.2 relates it to the incomplete beta function).
func tCDF(t, df float64) float64 {
	return 1 - incBeta(df/(df+t*t), df/2, 0.5)/2
}

// normalQuantile is the standard normal's p quantile, 0.5 <= p < 1, by
// bisection on math.Erfc: P(Z <= z) = 1 − ½·erfc(z/√2).
func normalQuantile(p float64) float64 {
	lo, hi := 0.0, 40.0
	for range 200 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if 1-math.Erfc(mid/math.Sqrt2)/2 < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// incBeta is the regularized incomplete beta function I_x(a, b), a, b > 0,
// 0 <= x <= 1: its continued fraction (DLMF 8.17.22) evaluated by Lentz's
// method (Numerical Recipes, 3rd ed., §6.4), on the side of the symmetry
// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges fast (x <
// (a+1)/(a+b+2)), each term to a relative 1e-15. It needs about √max(a, b)
// terms, so the cap of 10⁵ terms is far above what tQuantile needs (df at
// most 1e5).
func incBeta(x, a, b float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	case x > (a+1)/(a+b+2):
		return 1 - incBeta(1-x, b, a)
	}
	lab, _ := math.Lgamma(a + b)
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	front := math.Exp(lab-la-lb+a*math.Log(x)+b*math.Log1p(-x)) / a
	const tiny = 1e-300
	f, c, d := 1.0, 1.0, 0.0
	for i := 0; i <= 100000; i++ {
		m := float64(i / 2)
		var num float64
		switch {
		case i == 0:
			num = 1
		case i%2 == 0:
			num = m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
		default:
			num = -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
		}
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		d = 1 / d
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		cd := c * d
		f *= cd
		if math.Abs(1-cd) < 1e-15 {
			break
		}
	}
	return front * (f - 1)
}
