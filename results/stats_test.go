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

// TestGroupsRankAndTie: per vary point, the lowest mean ratio ranks 1; a
// policy whose interval overlaps the best one's is tied with it (both "1="),
// one clear of it is not; a policy with a run that never recovered has no
// ratio, only k/n.
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
	a, b, c, d, a2, c2 := gs[0], gs[1], gs[2], gs[3], gs[4], gs[5]
	if a.Rank != 1 || !a.Tied || b.Rank != 2 || !b.Tied || c.Rank != 3 || c.Tied {
		t.Errorf("ranks a %d%v b %d%v c %d%v, want 1 tied, 2 tied, 3 not tied", a.Rank, a.Tied, b.Rank, b.Tied, c.Rank, c.Tied)
	}
	if d.Ratio.N != 0 || d.Recovered != 2 || d.Runs != 3 || d.Rank != 0 {
		t.Errorf("d: %+v, want no ratio, 2 of 3 recovered, no rank", d)
	}
	if c2.Rank != 1 || a2.Rank != 2 || a2.Tied || c2.Tied {
		t.Errorf("point k=2: c rank %d tied %v, a rank %d tied %v, want 1 and 2, no ties (one seed: a point)", c2.Rank, c2.Tied, a2.Rank, a2.Tied)
	}
	if a.PeakQueue != 3 || a.Wasted != 0.5 {
		t.Errorf("a: peak %d wasted %v", a.PeakQueue, a.Wasted)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, ss); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| policy | vary | recovered |",
		"| `a` | — | 3/3 | 1m50s | 1.100 [0.852, 1.348] | 1= |",
		"| `c` | — | 3/3 | 3m21s | 2.010 [1.985, 2.035] | 3 |",
		"| `d` | — | 2/3 | — | — | — |",
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

// TestTiesBelowTheBest: policies that overlap each other but not the best
// are tied among themselves ("2=" for both), and one clear of every
// interval above it has a plain rank.
func TestTiesBelowTheBest(t *testing.T) {
	var ss []Summary
	for i, r := range [][3]float64{
		{100, 101, 102}, // a: 1.01 ± 0.025, clear of the rest
		{120, 125, 130}, // b: 1.25 ± 0.124
		{128, 130, 132}, // c: 1.30 ± 0.050, overlaps b
		{200, 201, 202}, // d: clear of all
	} {
		for seed := range 3 {
			ss = append(ss, run(string(rune('a'+i)), "", uint64(seed+1), r[seed]))
		}
	}
	var got []string
	for _, g := range Groups(ss) {
		got = append(got, fmt.Sprintf("%s%d/%d", g.Policy, g.Rank, g.TiedWith))
	}
	if want := "a1/0 b2/2 c3/2 d4/0"; strings.Join(got, " ") != want {
		t.Errorf("rank/tied-with %s, want %s", strings.Join(got, " "), want)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, ss); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| 1.300 [1.250, 1.350] | 2= |") {
		t.Errorf("c's row lacks its tie with b:\n%s", md.String())
	}
}
