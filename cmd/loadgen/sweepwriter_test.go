package main

import (
	"testing"

	"github.com/aftershock/aftershock/results"
)

// The sweep keeps rows in run order; an interrupted run is left out, and a
// run that broke an invariant is written, marked incomplete, so the file
// shows which run it was.
func TestSweepWriterKeepsAViolatedRunAndDropsAnInterruptedOne(t *testing.T) {
	w := newSweepWriter(nil)
	row := func(seed uint64, complete bool) results.Summary {
		return results.Summary{Scenario: "s", Policy: "p", Seed: seed, Complete: complete}
	}
	w.done(2, row(3, true), false)
	w.done(1, row(2, false), true)  // broke an invariant
	w.done(0, row(1, false), false) // interrupted
	w.done(3, row(4, true), false)
	w.close()
	var got []uint64
	for _, r := range w.rows {
		got = append(got, r.Seed)
	}
	if len(got) != 3 || got[0] != 2 || got[1] != 3 || got[2] != 4 || w.rows[0].Complete {
		t.Fatalf("rows %v (first complete=%t), want seeds 2 (incomplete), 3, 4", got, w.rows[0].Complete)
	}
}
