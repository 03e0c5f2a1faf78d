package predict

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench"
)

// BenchmarkBoundaryStart runs bench.Boundary on three scenarios twice, plain
// and from the predicted bracket (Start, margin ±2% of the edge), and fails
// unless every seed's edge is the same within the tolerance and the
// predicted start takes at least 2× fewer simulator runs.
//
//	go test ./bench/predict -run XXX -bench BoundaryStart -benchtime 1x -v
func BenchmarkBoundaryStart(b *testing.B) {
	for range b.N {
		boundaryStart(b)
	}
}

func boundaryStart(b *testing.B) {
	const seeds, margin = 5, 0.02
	var md strings.Builder
	fmt.Fprintf(&md, "| scenario | key, range, tol | predicted bracket | plain: runs, edge | from the prediction: runs, edge | fewer runs |\n|---|---|---|---|---|---|\n")
	for _, c := range []struct {
		label, name, spec, key, lo, hi, tol string
		kv                                  []string
		droplets                            int
	}{
		{"us-east-1, 10⁴ droplets", "us-east-1", "none", "trigger.1.duration", "20m", "2h37m", "1m", nil, 10000},
		{"us-east-1, 10⁴ droplets", "us-east-1", "none", "dwfm.establish_timeout", "5m", "3h", "1m", nil, 10000},
		{"us-east-1, 5 workers a host, 10⁴ droplets", "us-east-1", "none", "trigger.1.duration", "20m", "2h37m", "1m", []string{"service.workers", "5"}, 10000},
		{"metastable (1 s spike)", "metastable", "none", "clients.rate", "300", "1500", "5", nil, 0},
	} {
		sc := load(b, c.name, c.kv...)
		p, err := bench.ParseParam(sc, c.key, c.lo, c.hi)
		if err != nil {
			b.Fatal(err)
		}
		tol, err := p.ParseTol(c.tol)
		if err != nil {
			b.Fatal(err)
		}
		lo, hi, ok, err := Start(Query{Scenario: sc, Spec: c.spec, Options: Options{Droplets: c.droplets}, Param: p, Tol: tol}, margin)
		if err != nil || !ok {
			b.Fatalf("%s %s: no predicted bracket (%v)", c.name, c.key, err)
		}
		bd := bench.Boundary{Scenario: sc, Policy: c.spec, Droplets: c.droplets, Param: p, Tol: tol, Seeds: seeds, Parallel: 1}
		plain, err := bd.Search(nil)
		if err != nil {
			b.Fatal(err)
		}
		bd.Start = [2]float64{lo, hi}
		started, err := bd.Search(nil)
		if err != nil {
			b.Fatal(err)
		}
		var nPlain, nStart int
		var mPlain, mStart float64
		for i := range plain {
			nPlain += len(plain[i].Runs)
			nStart += len(started[i].Runs)
			mPlain += plain[i].Mid() / seeds
			mStart += started[i].Mid() / seeds
			if !plain[i].Bracketed || !started[i].Bracketed || math.Abs(plain[i].Mid()-started[i].Mid()) > tol {
				b.Errorf("%s %s seed %d: plain %+v, from the prediction %+v: not the same edge within %v", c.name, c.key, i+1, plain[i], started[i], tol)
			}
		}
		ratio := float64(nPlain) / float64(nStart)
		fmt.Fprintf(&md, "| %s | %s %s…%s, %s | %s…%s | %d, %s | %d, %s | %.2f× |\n", c.label, c.key, c.lo, c.hi, c.tol,
			p.Value(lo), p.Value(hi), nPlain, p.Value(p.Round(mPlain, tol)), nStart, p.Value(p.Round(mStart, tol)), ratio)
		if c.name == "us-east-1" && ratio < 2 {
			b.Errorf("%s %s: %d runs plain, %d from the prediction: %.2f×, want at least 2×", c.label, c.key, nPlain, nStart, ratio)
		}
	}
	b.Log("\n" + md.String())
}
