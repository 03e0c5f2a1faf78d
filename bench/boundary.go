package bench

import (
	"errors"
	"fmt"

	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/results"
)

// Boundary is a search for the value of one scenario key (Param) at which
// the system stops recovering by itself: for each seed 1 … Seeds, the
// outcome (recovered within the horizon or not) at Param.Lo and Param.Hi,
// then bisection between them until the values where it recovers and where
// it does not are at most Tol apart. The outcome is assumed to change once
// in the range for a seed (the bisection finds one change if there are
// several). Seeds run in parallel, Parallel at a time; the runs of one seed
// run one after another.
type Boundary struct {
	Scenario *scenario.Scenario
	Policy   string
	Droplets int
	Param    Param
	Tol      float64
	Seeds    int
	Parallel int
	Limits   Limits
	Stop     func() bool // as Run.Stop: true interrupts the search
	// Start, when Lo ≤ Start[0] < Start[1] ≤ Hi, is a bracket to try first
	// (a predicted edge: package predict's Start). Each seed runs at its
	// two ends; if the outcomes differ it bisects inside it. If not, it runs
	// at Lo: an outcome there unlike the bracket's puts the change in
	// [Lo, Start[0]], else it is in [Start[1], Hi] and Hi is run (a seed
	// whose outcome is the same at Lo and Hi is reported as without Start).
	// The zero value: run at Lo and Hi first.
	Start [2]float64
}

// Bracket is one seed's result. When Bracketed, the run recovers at
// Recovers and not at Collapses, |Recovers−Collapses| ≤ Tol (or the grain
// of a Whole). Otherwise the outcome is the same at both ends of the range:
// RecoversAtLo (= at Hi) says which.
type Bracket struct {
	Seed                uint64
	Bracketed           bool
	Recovers, Collapses float64
	RecoversAtLo        bool
	Runs                []results.Summary // every run of the seed, in the order run; Vary is "KEY=value"
}

// Mid is the bracket's midpoint: the seed's boundary estimate.
func (b Bracket) Mid() float64 { return (b.Recovers + b.Collapses) / 2 }

// ErrStopped ends a search that Stop interrupted.
var ErrStopped = errors.New("bench: boundary: stopped")

// Search runs the search and returns one Bracket per seed, in seed order.
// done, if not nil, is called after each run (under a lock). The first
// error (a run that failed, a run whose recovery is not defined, ErrStopped)
// ends it.
func (bd Boundary) Search(done func(seed uint64, s results.Summary)) ([]Bracket, error) {
	if bd.Seeds < 1 {
		return nil, fmt.Errorf("bench: boundary: %d seeds, want at least 1", bd.Seeds)
	}
	if bd.Tol <= 0 || (bd.Param.Kind == Whole && bd.Tol < 1) {
		return nil, fmt.Errorf("bench: boundary: tolerance %v too small", bd.Tol)
	}
	out := make([]Bracket, bd.Seeds)
	var p pool
	err := p.run(bd.Seeds, min(bd.Parallel, bd.Seeds), nil, func(k int) error {
		var err error
		out[k], err = bd.seed(uint64(k+1), p.failed, func(s results.Summary) {
			if done != nil {
				p.locked(func() { done(uint64(k+1), s) })
			}
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// bracket runs at Start's ends, and at Lo and Hi when the change is not
// inside it, and returns the narrowest bracket known with its outcomes.
func (bd Boundary) bracket(recovers func(float64) (bool, error)) (lo, hi float64, atLo, atHi bool, err error) {
	a, c := bd.Start[0], bd.Start[1]
	ra, err := recovers(a)
	if err != nil {
		return
	}
	rc, err := recovers(c)
	if err != nil || ra != rc {
		return a, c, ra, rc, err
	}
	if a > bd.Param.Lo {
		r, err := recovers(bd.Param.Lo)
		if err != nil || r != ra {
			return bd.Param.Lo, a, r, ra, err
		}
	}
	if c < bd.Param.Hi {
		r, err := recovers(bd.Param.Hi)
		return c, bd.Param.Hi, rc, r, err
	}
	return c, bd.Param.Hi, rc, rc, nil
}

// seed bisects for one seed.
func (bd Boundary) seed(seed uint64, failed func() bool, done func(results.Summary)) (Bracket, error) {
	b := Bracket{Seed: seed}
	recovers := func(x float64) (bool, error) {
		if failed() || (bd.Stop != nil && bd.Stop()) {
			return false, ErrStopped
		}
		val := bd.Param.Value(x)
		sc, err := With(bd.Scenario, bd.Param.Key, val)
		if err != nil {
			return false, err
		}
		o, err := Run{Scenario: sc, Policy: bd.Policy, Seed: seed, Droplets: bd.Droplets, Stop: bd.Stop, Limits: bd.Limits}.Execute()
		if err != nil {
			return false, err
		}
		s := o.Summary
		s.Vary = bd.Param.Key + "=" + val
		if !s.Complete {
			return false, ErrStopped
		}
		b.Runs = append(b.Runs, s)
		done(s)
		if s.Undefined {
			return false, fmt.Errorf("bench: boundary: %s seed %d: recovery not defined (no trigger)", s.Vary, seed)
		}
		if s.Undetermined {
			return false, fmt.Errorf("bench: boundary: %s seed %d: recovery undetermined (too few requests after the last unhealthy window to judge)", s.Vary, seed)
		}
		return s.Recovered, nil
	}
	lo, hi := bd.Param.Lo, bd.Param.Hi
	var atLo, atHi bool
	var err error
	if s := bd.Start; bd.Param.Lo <= s[0] && s[0] < s[1] && s[1] <= bd.Param.Hi {
		lo, hi, atLo, atHi, err = bd.bracket(recovers)
	} else {
		if atLo, err = recovers(lo); err == nil {
			atHi, err = recovers(hi)
		}
	}
	if err != nil {
		return b, err
	}
	b.RecoversAtLo = atLo
	if atLo == atHi {
		return b, nil
	}
	grain := bd.Tol
	if bd.Param.Kind == Whole {
		grain = max(grain, 1)
	}
	for hi-lo > grain {
		m := bd.Param.mid(lo, hi, grain)
		if m <= lo || m >= hi { // no representable value between them
			break
		}
		r, err := recovers(m)
		if err != nil {
			return b, err
		}
		if r == atLo {
			lo = m
		} else {
			hi = m
		}
	}
	b.Bracketed = true
	b.Recovers, b.Collapses = lo, hi
	if !atLo {
		b.Recovers, b.Collapses = hi, lo
	}
	return b, nil
}
