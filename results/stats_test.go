package results

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestMeanCIByHand: {1.0, 1.1, 1.2} has mean 1.1 and sample sd 0.1; with
// t(2) = √(2/(0.05·1.95) − 2) = 4.302653 the half-width is 4.302653 · 0.1 /
// √3 = 0.248414.
func TestMeanCIByHand(t *testing.T) {
	iv := MeanCI([]float64{1.0, 1.1, 1.2})
	if iv.N != 3 || math.Abs(iv.Mean-1.1) > 1e-12 || math.Abs(iv.SD-0.1) > 1e-12 || math.Abs(iv.Half-0.248414) > 5e-7 {
		t.Fatalf("MeanCI = %+v, want n 3, mean 1.1, sd 0.1, half 0.248414", iv)
	}
	if one := MeanCI([]float64{2}); one.Mean != 2 || one.Half != 0 || !math.IsNaN(one.SD) {
		t.Fatalf("one value: %+v, want mean 2, half 0, sd NaN", one)
	}
	if none := MeanCI(nil); none.N != 0 || !math.IsNaN(none.Mean) {
		t.Fatalf("no values: %+v, want NaN", none)
	}
}

func run(policy, vary string, seed uint64, recovery float64) Summary {
	s := Summary{Scenario: "us-east-1", Policy: policy, Vary: vary, Seed: seed, Droplets: 1000, Recovered: !math.IsNaN(recovery),
		RecoveryS: recovery, IdealS: 100, WastedFraction: 0.5, Amplification: 2, PeakQueue: int(seed), Complete: true}
	return s
}

// TestGroupsRankAndTie: per vary point, Groups ranks as Rank does (Versus):
// a and b recover on every seed and the paired t separates them although
// their intervals overlap (b − a per seed: 25, 20, 15; mean 20 ± 4.303 · 5/√3
// = 12.42); d recovered on two seeds of three, so it ranks below every
// policy that recovered on three, but McNemar's test on its one discordant
// seed (p 1) cannot tell it from a: both are marked 1=. One seed a point
// allows no test: ranks without marks.
func TestGroupsRankAndTie(t *testing.T) {
	nan := math.NaN()
	var ss []Summary
	for i, r := range [][3]float64{ // per policy: recovery of seeds 1..3 (ratio = recovery/100)
		{100, 110, 120}, // a: 1.1 ± 0.248
		{125, 130, 135}, // b: 1.3 ± 0.124, overlaps a's [0.852, 1.348]
		{200, 201, 202}, // c: clear of a
		{100, nan, 100}, // d: 2/3 recovered
	} {
		for seed := range 3 {
			ss = append(ss, run(string(rune('a'+i)), "", uint64(seed+1), r[seed]))
		}
	}
	ss = append(ss, run("a", "k=2", 1, 300), run("c", "k=2", 1, 200)) // another point: c is best there
	gs := Groups(ss)
	if len(gs) != 6 {
		t.Fatalf("%d groups, want 6: %+v", len(gs), gs)
	}
	var got []string
	for _, g := range gs {
		got = append(got, fmt.Sprintf("%s%s:%d/%d", g.Policy, g.Vary, g.Rank, g.TiedWith))
	}
	if want := "a:1/1 b:2/0 c:3/0 d:4/1 ak=2:2/0 ck=2:1/0"; strings.Join(got, " ") != want {
		t.Errorf("rank/tied with %s, want %s", strings.Join(got, " "), want)
	}
	if d := gs[3]; d.Ratio.N != 0 || d.Recovered != 2 || d.Runs != 3 {
		t.Errorf("d: %+v, want no ratio, 2 of 3 recovered", d)
	}
	if a := gs[0]; a.PeakQueue != 3 || a.Wasted != 0.5 || a.Change != nil {
		t.Errorf("a: peak %d wasted %v change %v", a.PeakQueue, a.Wasted, a.Change)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, ss); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| policy | vary | recovered |",
		"| `a` | — | 3/3 | 1m50s | 1.100 [0.852, 1.348] | 1= |",
		"| `b` | — | 3/3 | 2m10s | 1.300 [1.176, 1.424] | 2 |",
		"| `c` | — | 3/3 | 3m21s | 2.010 [1.985, 2.035] | 3 |",
		"| `d` | — | 2/3 | — | — | 4 (1=) |",
		"| `a` | `k=2` | 1/1 | 5m0s | 3.000 | 2 |",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	var txt bytes.Buffer
	WriteText(&txt, ss[:3])
	if strings.Contains(txt.String(), "vary") || !strings.Contains(txt.String(), "1.100 [0.852, 1.348]") || strings.Contains(txt.String(), "`") {
		t.Errorf("text table:\n%s", txt.String())
	}
}

// TestTiesDoNotChain: k= names the best-ranked row the test cannot tell
// this one from, not that row's own mark. Per seed, b − a = 0, 20, 10 (mean
// 10 ± 4.303 · 10/√3 = 24.8: a tie), c − b = 20, 0, 10 (likewise a tie), but
// c − a = 20 on every seed: a constant difference, significant. So a and b
// are 1=, and c is 2= (tied with b), never 1=; d is clear of all.
func TestTiesDoNotChain(t *testing.T) {
	var ss []Summary
	for i, r := range [][3]float64{
		{100, 110, 120}, // a
		{100, 130, 130}, // b
		{120, 130, 140}, // c
		{300, 310, 320}, // d
	} {
		for seed := range 3 {
			ss = append(ss, run(string(rune('a'+i)), "", uint64(seed+1), r[seed]))
		}
	}
	var got []string
	for _, g := range Groups(ss) {
		got = append(got, fmt.Sprintf("%s%d/%d", g.Policy, g.Rank, g.TiedWith))
	}
	if want := "a1/1 b2/1 c3/2 d4/0"; strings.Join(got, " ") != want {
		t.Errorf("rank/tied-with %s, want %s", strings.Join(got, " "), want)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, ss); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| `c` | 3/3 | 2m10s | 1.300 [1.052, 1.548] | 3 (2=) |") {
		t.Errorf("c's row lacks its tie with b:\n%s", md.String())
	}
}
