package model

import (
	"errors"
	"math"
	"testing"
)

// sound is a result every invariant accepts: 10 attempts, each ended once
// or still in flight, recovered 2 s after the trigger against an ideal of
// 1 s.
func sound() Result {
	return Result{
		TriggerEnd: 5e9, Recovered: true, Recovery: 2e9, Ideal: 1e9, End: 60e9,
		Amplification: 1.25, WastedFraction: 0.5, InFlight: 2,
		Totals: Counts{Attempts: 10, Rejected: 3, Completed: 4, Dropped: 1, Good: 2, Wasted: 2, TimedOut: 5},
	}
}

// Each case breaks one invariant of a sound result by the least step, so a
// check that is off by one (a < for a <=) or missing fails here.
func TestCheckNamesTheBrokenInvariant(t *testing.T) {
	if err := sound().Check(); err != nil {
		t.Fatalf("a sound result: %v", err)
	}
	for _, c := range []struct {
		want    string
		breakIt func(*Result)
	}{
		{InvariantRatio, func(r *Result) { r.Recovery = r.Ideal - 1 }},
		{InvariantVerdict, func(r *Result) { r.Undetermined = true }},
		{InvariantVerdict, func(r *Result) { r.Recovered, r.Undetermined, r.Undefined = false, true, true }},
		{InvariantRecoveryTime, func(r *Result) { r.Recovery = r.End - r.TriggerEnd + 1 }},
		{InvariantRecoveryTime, func(r *Result) { r.Recovery, r.Ideal = -1, -1 }},
		{InvariantAmplify, func(r *Result) { r.Amplification = 0.999 }},
		{InvariantAmplify, func(r *Result) { r.Amplification = 0 }},
		{InvariantConserved, func(r *Result) { r.InFlight-- }},
		{InvariantConserved, func(r *Result) { r.Totals.Rejected++ }},
		{InvariantConserved, func(r *Result) { r.Totals.Attempts++ }},
		{InvariantJudged, func(r *Result) { r.Totals.Good++ }},
		{InvariantTimedOut, func(r *Result) { r.Totals.TimedOut = r.Totals.Attempts + 1 }},
		{InvariantWasted, func(r *Result) { r.WastedFraction = 1.0001 }},
		{InvariantWasted, func(r *Result) { r.WastedFraction = math.NaN() }},
	} {
		r := sound()
		c.breakIt(&r)
		var v *Violation
		if err := r.Check(); !errors.As(err, &v) || v.Invariant != c.want {
			t.Errorf("broken %q: Check says %v", c.want, err)
		}
	}
	// What the invariants allow at their edges.
	for _, edge := range []func(*Result){
		func(r *Result) { r.Recovery = r.Ideal },                      // ratio exactly 1
		func(r *Result) { r.Amplification = 1 },                       // one attempt a request
		func(r *Result) { r.Amplification = math.NaN() },              // no request
		func(r *Result) { r.Recovery = r.End - r.TriggerEnd },         // recovered at the last instant
		func(r *Result) { r.Ideal = -1; r.Recovery = 0 },              // no bound
		func(r *Result) { r.Recovered, r.Undetermined = false, true }, // one verdict
	} {
		r := sound()
		edge(&r)
		if err := r.Check(); err != nil {
			t.Errorf("an edge the invariants allow: %v", err)
		}
	}
}
