package model

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/aftershock/aftershock/bench/sim"
)

// TestSojournMeanIsExactAndOrderFree: the mean sojourn of many long sojourns
// (a sum far past 2⁵³ ns) is the exact sum's, rounded once, and the same
// whatever order the attempts are recorded in.
func TestSojournMeanIsExactAndOrderFree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := make([]sim.Time, 200_000)
	exact := new(big.Int)
	for i := range xs {
		xs[i] = sim.Time(rng.Int64N(int64(12 * 3600 * 1e9))) // up to 12 h
		exact.Add(exact, big.NewInt(int64(xs[i])))
	}
	fwd, rev := NewMeter(), NewMeter()
	for i := range xs {
		fwd.Served(xs[i], 0)
		rev.Served(xs[len(xs)-1-i], 0)
	}
	a, _, _, _ := fwd.Sojourn()
	b, _, _, _ := rev.Sojourn()
	if a != b {
		t.Errorf("mean %v recorded forwards, %v backwards", a, b)
	}
	sum, _ := new(big.Float).SetInt(exact).Float64()
	if want := sum / float64(len(xs)) / 1e9; a != want {
		t.Errorf("mean %v, want %v", a, want)
	}
}

func TestSum128(t *testing.T) {
	var s sum128
	for _, x := range []int64{1<<63 - 1, 1<<63 - 1, 5, -(1 << 62), -7} {
		s.add(x)
	}
	want := 2*(1<<63-1) + 5 - (1 << 62) - 7.0
	if got := s.float(); got != want {
		t.Errorf("sum %v, want %v", got, want)
	}
	var n sum128
	n.add(-3)
	n.add(-4)
	if got := n.float(); got != -7 {
		t.Errorf("sum %v, want -7", got)
	}
}
