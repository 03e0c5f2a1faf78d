package model

import (
	"fmt"
	"math"
)

// Violation is an invariant a run broke. It is a bug in aftershock, never a
// result: the runner marks the run incomplete and the command exits 1 with
// the violation's one line.
type Violation struct {
	Invariant string // what must hold, in the words of the measure's doc
	Detail    string // the numbers that broke it
}

func (v *Violation) Error() string {
	return fmt.Sprintf("invariant %q broken: %s", v.Invariant, v.Detail)
}

func violated(invariant, format string, args ...any) *Violation {
	return &Violation{Invariant: invariant, Detail: fmt.Sprintf(format, args...)}
}

// Invariants every Result must satisfy, whatever the model; Check tests them
// at the end of every run. A model's own (the DWFM lease condition, a
// recovery that holds to the horizon) are checked inside the model, at event
// resolution, and reported the same way.
const (
	InvariantRatio        = "recovery_s >= ideal_s"
	InvariantVerdict      = "one verdict: recovered, not recovered, undetermined or undefined"
	InvariantAmplify      = "amplification >= 1 or empty"
	InvariantConserved    = "attempts = rejected + completed + dropped + in flight at the end"
	InvariantJudged       = "good + wasted <= completed"
	InvariantTimedOut     = "timed out <= attempts"
	InvariantWasted       = "0 <= wasted_fraction <= 1"
	InvariantRecoveryTime = "recovery within the run"
	InvariantSample       = "a sample's counts are never negative"
)

// Check tests the model-independent invariants of a finished run: a
// recovery never beats the ideal bound; at most one verdict holds; attempts
// per request is at least 1 (NaN when there was no request); every attempt
// ended rejected, completed or dropped, or is still in flight (queued, in
// service, or travelling) at the end; only completed attempts are judged
// good or wasted; a client times out only attempts it sent; the wasted share
// is a fraction; a recovery lies between the trigger's end and the end of
// the run. It returns the first Violation, nil when all hold.
func (r Result) Check() error {
	if r.Recovered && r.Ideal >= 0 && r.Recovery < r.Ideal {
		return violated(InvariantRatio, "recovery %v, ideal %v (ratio %.4f)", r.Recovery, r.Ideal, float64(r.Recovery)/float64(r.Ideal))
	}
	if n := b2i(r.Recovered) + b2i(r.Undetermined) + b2i(r.Undefined); n > 1 {
		return violated(InvariantVerdict, "recovered %t, undetermined %t, undefined %t", r.Recovered, r.Undetermined, r.Undefined)
	}
	if r.Recovered && (r.Recovery < 0 || r.TriggerEnd+r.Recovery > r.End) {
		return violated(InvariantRecoveryTime, "recovered %v after the trigger's end at %v, the run ended at %v", r.Recovery, r.TriggerEnd, r.End)
	}
	if a := r.Amplification; !math.IsNaN(a) && !(a >= 1) {
		return violated(InvariantAmplify, "amplification %g (%d attempts)", a, r.Totals.Attempts)
	}
	c := r.Totals
	if ended := c.Rejected + c.Completed + c.Dropped + r.InFlight; ended != c.Attempts {
		return violated(InvariantConserved, "attempts %d, rejected %d + completed %d + dropped %d + in flight %d = %d",
			c.Attempts, c.Rejected, c.Completed, c.Dropped, r.InFlight, ended)
	}
	if c.Good+c.Wasted > c.Completed {
		return violated(InvariantJudged, "good %d + wasted %d > completed %d", c.Good, c.Wasted, c.Completed)
	}
	if c.TimedOut > c.Attempts {
		return violated(InvariantTimedOut, "timed out %d > attempts %d", c.TimedOut, c.Attempts)
	}
	if w := r.WastedFraction; !(w >= 0 && w <= 1) {
		return violated(InvariantWasted, "wasted fraction %g", w)
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Check tests a sample of the time series: its queue, leases and expiries
// are never negative (leases and expiries are both -1 in a model without
// leases), nor are arrivals or attempts in service unless -1 (not said).
func (s Sample) Check() error {
	if s.Queue < 0 || s.Arrivals < -1 || s.InService < -1 || s.Leased < -1 || s.Expired < -1 || (s.Leased < 0) != (s.Expired < 0) {
		return violated(InvariantSample, "at %v: queue %d, arrivals %d, in service %d, leased %d, expired %d", s.T, s.Queue, s.Arrivals, s.InService, s.Leased, s.Expired)
	}
	return nil
}
