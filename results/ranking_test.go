package results

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// TestWelchByHand: a = {10, 12, 14, 16} (mean 13, s² 20/3), b = {20, 22, 24}
// (mean 22, s² 4). a's own interval: t(3) = 3.182446 (tables: 3.182), 13 ±
// 3.182446 · 2.581989/2 = 13 ± 4.108521. se² = 20/3/4 + 4/3 = 3; df = 9 ÷
// ((5/3)²/3 + (4/3)²/2) = 4.9592, not rounded: t(4.9592) lies between the
// tables' t(5) = 2.571 and t(4) = 2.776 (2.576956; TestTCDFAgainstQuadrature
// checks the distribution at that df), so the half-width is 2.576956 · √3 =
// 4.463419: the difference 9 lies in [4.5366, 13.4634], clear of 0.
func TestWelchByHand(t *testing.T) {
	a, b := MeanCI([]float64{10, 12, 14, 16}), MeanCI([]float64{20, 22, 24})
	if math.Abs(a.Half-4.108521) > 5e-6 {
		t.Fatalf("a's interval: %+v, want 13 ± 4.108521 (3.182446 · 2.581989 / 2)", a)
	}
	d := Welch(a, b)
	if d.Diff != 9 || math.Abs(d.DF-4.9592) > 5e-5 || math.Abs(d.Half-4.463419) > 5e-6 || !d.Tested || !d.Significant {
		t.Fatalf("Welch = %+v, want 9 ± 4.463419, df 4.9592, significant", d)
	}
	if t4, t5 := T95(4), T95(5); !(T95(d.DF) < t4 && T95(d.DF) > t5) {
		t.Errorf("t(%.4f) = %.6f, not between t(5) = %.6f and t(4) = %.6f", d.DF, T95(d.DF), t5, t4)
	}
	if math.Abs(d.Lo()-4.5366) > 5e-5 || math.Abs(d.Hi()-13.4634) > 5e-5 {
		t.Errorf("interval [%.4f, %.4f], want [4.5366, 13.4634]", d.Lo(), d.Hi())
	}
	if r := Welch(b, a); r.Diff != -9 || r.Half != d.Half || !r.Significant {
		t.Errorf("reversed: %+v", r)
	}
	// {10, 12, 14, 16} against {11, 13, 15}: difference 0, not significant.
	if d := Welch(a, MeanCI([]float64{11, 13, 15})); d.Significant || d.Diff != 0 {
		t.Errorf("equal means: %+v, want a tie", d)
	}
	if d := Welch(a, MeanCI([]float64{20})); d.Tested || !math.IsNaN(d.Half) {
		t.Errorf("one value: %+v, want untested", d)
	}
	same := MeanCI([]float64{5, 5})
	if d := Welch(same, MeanCI([]float64{6, 6})); !d.Significant || d.Half != 0 {
		t.Errorf("no variance, different: %+v, want significant", d)
	}
	if d := Welch(same, same); d.Significant {
		t.Errorf("no variance, equal: %+v", d)
	}
}

// TestFisherByHand: 5 of 5 against 0 of 5: the two extreme tables each have
// probability 1/C(10,5) = 1/252, so p = 2/252 = 0.0079; 3 of 3 against 0 of 3
// gives 2/20 = 0.1; 4 of 4 against 0 of 4 gives 2/70 = 0.0286.
func TestFisherByHand(t *testing.T) {
	for _, c := range []struct {
		k1, n1, k2, n2 int
		want           float64
	}{
		{5, 5, 0, 5, 2.0 / 252},
		{0, 5, 5, 5, 2.0 / 252},
		{3, 3, 0, 3, 0.1},
		{4, 4, 0, 4, 2.0 / 70},
		{3, 5, 3, 5, 1},
		{5, 5, 5, 5, 1},
		{0, 0, 3, 3, 1},
		// 1 of 4 against 4 of 4: tables x = 0..1 of 5 successes in n1 = 4; P(1) = C(5,1)C(3,3)/C(8,4) = 5/70,
		// P(0) impossible (needs 5 successes in 4), P(4): C(5,4)C(3,0)/70 = 5/70; P(2) = 30/70, P(3) = 30/70.
		{1, 4, 4, 4, 10.0 / 70},
	} {
		if got := FisherExact(c.k1, c.n1, c.k2, c.n2); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("FisherExact(%d/%d, %d/%d) = %.6f, want %.6f", c.k1, c.n1, c.k2, c.n2, got, c.want)
		}
	}
}

// rankRuns are four policies at one point over seeds 1-5: a and b recover
// every seed (b − a per seed: 0, 2, 4, 6, 8, mean 4 ± 2.776 · 3.162/√5 =
// 3.93, so b is significantly slower although its interval overlaps a's), c
// far slower, d never recovers.
func rankRuns() []Summary {
	nan := math.NaN()
	var ss []Summary
	for i, r := range [][5]float64{
		{100, 101, 102, 103, 104}, // a
		{100, 103, 106, 109, 112}, // b: mean 106, overlaps a
		{200, 202, 204, 206, 208}, // c
		{nan, nan, nan, nan, nan}, // d
	} {
		for seed := range 5 {
			ss = append(ss, run(string(rune('a'+i)), "", uint64(seed+1), r[seed]))
		}
	}
	return ss
}

// TestRank: ranks, marks and the change against c. d never recovers, so it
// ranks last, but the exact sign test (McNemar's) cannot tell 0/5 from 5/5
// on five paired seeds (p = 2/2⁵ = 0.0625): d is a tie with c and 1= with a.
func TestRank(t *testing.T) {
	ss := append(rankRuns(), run("c", "k=2", 1, 300), run("a", "k=2", 1, 500))
	undefined := run("a", "", 1, math.NaN())
	undefined.Scenario, undefined.Undefined, undefined.IdealS = "mm1", true, math.NaN()
	undefinedC := undefined
	undefinedC.Policy = "c"
	ss = append(ss, undefined, undefinedC)
	rk, err := Rank(ss, "c")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rk.Rows {
		got = append(got, r.Policy+r.Vary+":"+itoa(r.Rank)+"/"+itoa(r.TiedWith)+":"+r.Change.Outcome)
	}
	want := "a:1/1:better b:2/0:better c:3/0:baseline d:4/1:tie ck=2:1/0:baseline ak=2:2/0:no test a:0/0:undefined c:0/0:baseline"
	if strings.Join(got, " ") != want {
		t.Errorf("rows (policy, rank/tied with, against c)\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	a, d := rk.Rows[0], rk.Rows[3]
	t4 := 2.7764451052 // the closed form at df 4 (TestT95)
	if a.Recovery.N != 5 || a.Recovery.Mean != 102 || math.Abs(a.Recovery.Half-t4*math.Sqrt(2.5)/math.Sqrt(5)) > 1e-9 || a.Median != 102 {
		t.Errorf("a: %+v, want mean 102 ± t(4)·√2.5/√5, median 102", a.Recovery)
	}
	// a − c per seed: −100 … −104, mean −102, sd √2.5: −102 ± t(4)·√2.5/√5.
	if c := a.Change; c.Test != TestPaired || c.Pairs != 5 || c.Diff.Diff != -102 || math.Abs(c.Diff.Half-t4*math.Sqrt(2.5)/math.Sqrt(5)) > 1e-9 ||
		c.Diff.DF != 4 || math.Abs(c.Percent.Diff+50) > 1e-9 {
		t.Errorf("a against c: %+v, want paired t on 5 seeds, −102 s, −50%%", c)
	}
	if c := d.Change; c.Test != TestSign || c.P != 0.0625 || c.Pairs != 5 || !math.IsInf(d.Median, 1) || d.Recovery.N != 0 {
		t.Errorf("d: %+v median %v, want the sign test's p 1/16 on 5 seeds, median never, no mean", c, d.Median)
	}
	if _, err := Rank(ss, "e"); err == nil || !strings.Contains(err.Error(), `baseline policy "e"`) || !strings.Contains(err.Error(), "policies: a, b, c, d") {
		t.Errorf("unknown baseline: %v", err)
	}
	// Without a baseline: no change column, ranks only.
	rk, _ = Rank(rankRuns(), "")
	var b bytes.Buffer
	if err := WriteRanking(&b, rk, "text"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "vs ") || !strings.Contains(b.String(), "1m42s [1m40s, 1m44s]") || rk.Rows[0].Change != nil {
		t.Errorf("no baseline:\n%s", b.String())
	}
	if err := WriteRanking(&b, rk, "yaml"); err == nil || !strings.Contains(err.Error(), "text, markdown, csv, json") {
		t.Errorf("bad format: %v", err)
	}
}

// TestMedian: a run that never recovered counts as never (+Inf).
func TestMedian(t *testing.T) {
	for _, c := range []struct {
		recs []float64
		n    int
		want float64
	}{
		{[]float64{3, 1, 2}, 3, 2},
		{[]float64{4, 1, 2, 3}, 4, 2.5},
		{[]float64{1, 2}, 3, 2},
		{[]float64{1, 2}, 4, math.Inf(1)},
		{[]float64{1}, 3, math.Inf(1)},
		{nil, 2, math.Inf(1)},
	} {
		if got := median(c.recs, c.n); got != c.want {
			t.Errorf("median(%v of %d) = %v, want %v", c.recs, c.n, got, c.want)
		}
	}
	if !math.IsNaN(median(nil, 0)) {
		t.Error("no runs: want NaN")
	}
}

func TestSignedPct(t *testing.T) {
	for v, want := range map[float64]string{-3.24: "−3.2%", 2: "+2.0%", 0: "0.0%", 0.01: "0.0%", -0.01: "−0.0%"} {
		if got := signedPct(v); got != want {
			t.Errorf("signedPct(%v) = %q, want %q", v, got, want)
		}
	}
}

func itoa(n int) string { return strings.TrimSpace(fmtInt(n)) }

// A row says how many of its runs that did not recover were undetermined,
// so "0/3" never hides three runs that gave no evidence either way.
func TestRecoveredCellCountsUndetermined(t *testing.T) {
	for _, c := range []struct {
		r    RankedRow
		want string
	}{
		{RankedRow{Runs: 3, Recovered: 1}, "1/3"},
		{RankedRow{Runs: 3, Undetermined: 3}, "0/3 (3 undetermined)"},
		{RankedRow{Runs: 2, Undefined: 2}, "—"},
		{RankedRow{Runs: 2, Undefined: 1, Recovered: 1}, "1/2"},
	} {
		if got := recoveredCell(c.r); got != c.want {
			t.Errorf("%+v: %q, want %q", c.r, got, c.want)
		}
	}
}
