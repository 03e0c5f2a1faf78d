package bench

import (
	"testing"

	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/results"
)

// spiky is the metastable preset at 40% of its size: four workers at 70%
// load, clients that time out after 100 ms and retry at once (3 attempts), a
// 2× spike at 10 s; 20 s of virtual time. A spike of about 0.1–0.5 s (by seed)
// leaves it collapsed.
const spiky = `
name = "spiky"
horizon = "20s"
interval = "1s"

[clients]
rate = 280
timeout = "100ms"
max_attempts = 3

[service]
workers = 4
service_time = "exp(10ms)"

[[trigger]]
kind = "load-spike"
at = "10s"
duration = "1s"
factor = 2
`

// TestBoundaryFindsWhatASweepConfirms: on the generic model (spiky) bisection
// over the spike's length finds, for each of 4 seeds, a length it recovers
// from and one it does not, within the tolerance. A direct sweep confirms it:
// at the least length any seed recovered from and the greatest any did not,
// at least 3 of the 4 seeds recover and collapse; at half and twice the
// seeds' mean boundary, at least 6 of 8 seeds (4 of them not searched).
func TestBoundaryFindsWhatASweepConfirms(t *testing.T) {
	sc, err := scenario.Parse("spiky", []byte(spiky))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseParam(sc, "trigger.1.duration", "10ms", "5s")
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != Span || p.Lo != 0.01 || p.Hi != 5 {
		t.Fatalf("param %+v, want a Span from 0.01 to 5 s", p)
	}
	tol, err := p.ParseTol("40ms")
	if err != nil {
		t.Fatal(err)
	}
	runs := 0
	bs, err := Boundary{Scenario: sc, Policy: "none", Param: p, Tol: tol, Seeds: 4, Parallel: 2}.Search(func(uint64, results.Summary) { runs++ })
	if err != nil {
		t.Fatal(err)
	}
	below, above, mean, total := p.Hi, p.Lo, 0.0, 0
	for _, b := range bs {
		if !b.Bracketed || !b.RecoversAtLo || b.Collapses-b.Recovers > tol+1e-9 || b.Collapses <= b.Recovers {
			t.Fatalf("seed %d: %+v; want recovers at the lower end, bracket within %v", b.Seed, b, tol)
		}
		below, above = min(below, b.Recovers), max(above, b.Collapses)
		mean += b.Mid() / float64(len(bs))
		total += len(b.Runs)
		t.Logf("seed %d: recovers at %s, not at %s (%d runs)", b.Seed, p.Value(b.Recovers), p.Value(b.Collapses), len(b.Runs))
	}
	if runs != total {
		t.Errorf("done called %d times for %d runs", runs, total)
	}
	cells := []struct {
		x        float64
		seeds    int
		recovers bool
	}{{below, 4, true}, {above, 4, false}, {mean / 2, 8, true}, {mean * 2, 8, false}}
	for _, c := range cells {
		pts, err := Grid(sc, []Vary{{Key: p.Key, Values: []string{p.Value(c.x)}}})
		if err != nil {
			t.Fatal(err)
		}
		var rs []Run
		for s := 1; s <= c.seeds; s++ {
			rs = append(rs, Run{Scenario: pts[0].Scenario, Policy: "none", Seed: uint64(s)})
		}
		outs, err := Sweep(rs, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		agree := 0
		for _, o := range outs {
			if o.Summary.Recovered == c.recovers {
				agree++
			}
		}
		if agree < c.seeds*3/4 {
			t.Errorf("direct sweep at %s: %d of %d seeds recovered=%v, want at least %d", pts[0].Label, agree, c.seeds, c.recovers, c.seeds*3/4)
		}
	}
}

// TestBoundaryNotBracketed: a range on one side of the boundary brackets
// nothing and says which side it is on, after two runs.
func TestBoundaryNotBracketed(t *testing.T) {
	sc, err := scenario.Parse("spiky", []byte(spiky))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseParam(sc, "trigger.1.duration", "1ms", "10ms")
	if err != nil {
		t.Fatal(err)
	}
	bs, err := Boundary{Scenario: sc, Param: p, Tol: p.DefaultTol(), Seeds: 1, Parallel: 1}.Search(nil)
	if err != nil {
		t.Fatal(err)
	}
	if b := bs[0]; b.Bracketed || !b.RecoversAtLo || len(b.Runs) != 2 {
		t.Fatalf("%+v: want not bracketed, recovering at both ends, 2 runs", b)
	}
}
