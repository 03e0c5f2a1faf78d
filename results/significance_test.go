package results

import (
	"math"
	"testing"
)

// TestPairedTByHand: per-seed differences d = −62, −58, −60, −60, −59, −61:
// mean −60, deviations −2, 2, 0, 0, 1, −1, Σ² = 10, sd = √(10/5) = √2 =
// 1.414214, se = √2/√6 = 0.577350, t(5) = 2.570582 (tables: 2.571), half =
// 2.570582 · 0.577350 = 1.484126: [−61.484126, −58.515874], clear of 0.
func TestPairedTByHand(t *testing.T) {
	d := PairedT([]float64{-62, -58, -60, -60, -59, -61})
	if d.Diff != -60 || d.DF != 5 || math.Abs(d.Half-1.484126) > 5e-7 || !d.Tested || !d.Significant {
		t.Fatalf("PairedT = %+v, want −60 ± 1.484126, df 5, significant", d)
	}
	if math.Abs(d.Lo()+61.484126) > 5e-7 || math.Abs(d.Hi()+58.515874) > 5e-7 {
		t.Errorf("interval [%.6f, %.6f], want [−61.484126, −58.515874]", d.Lo(), d.Hi())
	}
	// Zero variance: a nonzero constant difference is significant, all-zero
	// differences are not; one pair is no test.
	for _, c := range []struct {
		d                 []float64
		tested, sig       bool
		diff, half, wantD float64
	}{
		{[]float64{3, 3, 3}, true, true, 3, 0, 2},
		{[]float64{-0.001, -0.001}, true, true, -0.001, 0, 1},
		{[]float64{0, 0, 0, 0}, true, false, 0, 0, 3},
		{[]float64{5}, false, false, 5, math.NaN(), math.NaN()},
		{nil, false, false, math.NaN(), math.NaN(), math.NaN()},
	} {
		got := PairedT(c.d)
		same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
		if got.Tested != c.tested || got.Significant != c.sig || !same(got.Diff, c.diff) || !same(got.Half, c.half) || !same(got.DF, c.wantD) {
			t.Errorf("PairedT(%v) = %+v", c.d, got)
		}
	}
}

// TestSignTestByHand: the two-sided exact p is 2 · P(X <= min(b, c)), X ~
// Binomial(b+c, ½), at most 1 (McNemar's exact test when b and c are the
// discordant pairs).
func TestSignTestByHand(t *testing.T) {
	for _, c := range []struct {
		b, c int
		want float64
	}{
		{0, 0, 1},               // no discordant pair
		{1, 0, 1},               // 2 · ½
		{5, 0, 2.0 / 32},        // 0.0625: five seeds one way cannot reach 5%
		{0, 6, 2.0 / 64},        // 0.03125: six can
		{2, 8, 2 * 56.0 / 1024}, // P(X <= 2) = (1 + 10 + 45)/2¹⁰
		{9, 1, 2 * 11.0 / 1024}, // (1 + 10)/2¹⁰
		{3, 3, 1},               // 2 · 42/64 > 1
	} {
		if got := SignTest(c.b, c.c); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("SignTest(%d, %d) = %v, want %v", c.b, c.c, got, c.want)
		}
	}
	// 600 against 400: z = 200/√1000 = 6.32, two-sided normal p ≈ 2.6e-10.
	if p := SignTest(600, 400); !(p > 1e-10 && p < 1e-9) {
		t.Errorf("SignTest(600, 400) = %v, want about 2.6e-10", p)
	}
}
