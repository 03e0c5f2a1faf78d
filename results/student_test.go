package results

import (
	"math"
	"testing"
)

// nistT975 is the 0.975 column of the NIST/SEMATECH e-Handbook's table of
// Student's t (section 1.3.6.7.2, eda3672), as published: three decimals,
// df 1 … 30, 40, 60, 100.
var nistT975 = map[float64]float64{
	1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
	11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086,
	21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042,
	40: 2.021, 60: 2.000, 100: 1.984,
}

// TestT95: exact to the published table's three decimals at every df it
// lists; to 1e-9 of the closed forms at df 1 (tan(0.475π)), df 2
// (√(2/(α(2−α)) − 2), α = 0.05) and df 4 (q = cos(⅓ arccos √α')/√α', α' =
// 4p(1−p), t = 2√(q−1)); 1.960 at df 10⁹; decreasing in df, fractional df
// between its neighbours; continuous where tQuantile switches to the
// normal's expansion.
func TestT95(t *testing.T) {
	for df, want := range nistT975 {
		if got := T95(df); math.Abs(got-want) > 0.0005 {
			t.Errorf("T95(%v) = %.6f, the table says %.3f", df, got, want)
		}
	}
	p := 0.975
	a4 := 4 * p * (1 - p)
	for df, want := range map[float64]float64{
		1: math.Tan(0.475 * math.Pi),
		2: math.Sqrt(2/(0.05*1.95) - 2),
		4: 2 * math.Sqrt(math.Cos(math.Acos(math.Sqrt(a4))/3)/math.Sqrt(a4)-1),
	} {
		if got := T95(df); math.Abs(got-want) > 1e-9 {
			t.Errorf("T95(%v) = %.12f, closed form %.12f", df, got, want)
		}
	}
	// The worst case of the old table: 1.96 against df 31's 2.0395.
	if got := T95(31); math.Abs(got-2.0395) > 0.00005 {
		t.Errorf("T95(31) = %.6f, want 2.0395", got)
	}
	if got := T95(1e9); math.Abs(got-1.959964) > 5e-7 {
		t.Errorf("T95(1e9) = %.7f, want the normal's 1.959964", got)
	}
	prev := math.Inf(1)
	for _, df := range []float64{1, 1.5, 2, 3, 4, 4.9592, 5, 10, 30, 31, 100, 1000, 99999, 1e5, 1e5 + 1, 1e6, 1e9} {
		got := T95(df)
		if !(got < prev) || got <= 1.959963 {
			t.Errorf("T95(%v) = %.10f, not below T95 of the df before (%.10f) and above 1.96", df, got, prev)
		}
		prev = got
	}
	if d := T95(1e5) - T95(1e5*(1+1e-12)); math.Abs(d) > 1e-9 {
		t.Errorf("T95 jumps by %g at df 1e5, where it switches to the normal's expansion", d)
	}
	for _, df := range []float64{0, 0.5, -1, math.NaN()} {
		if !math.IsNaN(T95(df)) {
			t.Errorf("T95(%v) = %v, want NaN", df, T95(df))
		}
	}
}

// TestTCDFAgainstQuadrature checks tCDF, by the incomplete beta function,
// against Simpson's rule on Student's density Γ((ν+1)/2)/(√(νπ) Γ(ν/2)) ·
// (1 + x²/ν)^(−(ν+1)/2), a computation that shares none of its code, at
// integer and fractional df.
func TestTCDFAgainstQuadrature(t *testing.T) {
	for _, df := range []float64{1, 2.5, 4.9592, 7, 30.3, 200} {
		lg1, _ := math.Lgamma((df + 1) / 2)
		lg2, _ := math.Lgamma(df / 2)
		c := math.Exp(lg1-lg2) / math.Sqrt(df*math.Pi)
		density := func(x float64) float64 { return c * math.Pow(1+x*x/df, -(df+1)/2) }
		for _, x := range []float64{0.3, 1, 2.2, 4.3} {
			const n = 20000 // even
			h := x / n
			sum := density(0) + density(x)
			for i := 1; i < n; i++ {
				w := 2.0
				if i%2 == 1 {
					w = 4
				}
				sum += w * density(float64(i)*h)
			}
			want := 0.5 + sum*h/3
			if got := tCDF(x, df); math.Abs(got-want) > 1e-10 {
				t.Errorf("tCDF(%v, %v) = %.12f, quadrature %.12f", x, df, got, want)
			}
		}
	}
}
