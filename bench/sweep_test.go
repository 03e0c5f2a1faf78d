package bench

import (
	"sync/atomic"
	"testing"

	"github.com/aftershock/aftershock/bench/scenario"
)

// TestSweepFuncStartsNothingAfterStop: once stop says so, no further run is
// built or started, and only the runs that executed reach done.
func TestSweepFuncStartsNothingAfterStop(t *testing.T) {
	sc, err := scenario.Load("metastable")
	if err != nil {
		t.Fatal(err)
	}
	var built, finished atomic.Int32
	err = SweepFunc(1000, 1, func(i int) Run {
		built.Add(1)
		return Run{Scenario: sc, Policy: "none", Seed: uint64(i + 1)}
	}, func() bool { return finished.Load() >= 3 }, func(i int, o Outcome) {
		if !o.Summary.Complete || o.Summary.Seed != uint64(i+1) {
			t.Errorf("run %d: complete=%v seed %d", i, o.Summary.Complete, o.Summary.Seed)
		}
		finished.Add(1)
	})
	if err != nil {
		t.Fatal(err)
	}
	if built.Load() != 3 || finished.Load() != 3 {
		t.Fatalf("built %d, finished %d runs of 1000 after stop at 3; want 3 and 3", built.Load(), finished.Load())
	}
}

// TestSweepFuncStopsAfterAnError: a failing run stops the sweep from
// starting more, and its error is returned.
func TestSweepFuncStopsAfterAnError(t *testing.T) {
	sc, err := scenario.Load("metastable")
	if err != nil {
		t.Fatal(err)
	}
	var built atomic.Int32
	err = SweepFunc(1000, 1, func(i int) Run {
		built.Add(1)
		if i == 1 {
			return Run{Scenario: sc, Policy: "no-such-policy"}
		}
		return Run{Scenario: sc, Policy: "none", Seed: 1}
	}, nil, nil)
	if err == nil || built.Load() != 2 {
		t.Fatalf("err %v after %d runs; want the policy error after 2", err, built.Load())
	}
}
