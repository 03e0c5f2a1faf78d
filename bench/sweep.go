package bench

import "github.com/aftershock/aftershock/bench/policy"

// AllPolicies is what `loadgen sweep --policies all` and BenchmarkScenario
// run: every registered policy alone with its defaults (fifo is none by
// another name and is left out), then the tuned variants and compositions of
// policy.Variants.
func AllPolicies() []string {
	var ps []string
	for _, n := range policy.Names() {
		if n != "fifo" {
			ps = append(ps, n)
		}
	}
	return append(ps, policy.Variants...)
}

// Sweep executes runs with up to parallel at a time and returns their
// outcomes in the order of runs, whatever order they finish in. done, if not
// nil, is called after each run (from the goroutine that ran it, under a lock).
// After an error no further run starts; the first error is returned.
func Sweep(runs []Run, parallel int, done func(i int, o Outcome)) ([]Outcome, error) {
	out := make([]Outcome, len(runs))
	err := SweepFunc(len(runs), parallel, func(i int) Run { return runs[i] }, nil, func(i int, o Outcome) {
		out[i] = o
		if done != nil {
			done(i, o)
		}
	})
	return out, err
}

// SweepFunc executes runs 0 … n−1, run(i) giving each when it starts, with up
// to parallel at a time, so a sweep of a million runs holds only the runs
// under way. Once stop (if not nil) returns true, or a run has failed, no
// further run starts; runs under way end through their own Run.Stop. done is
// called after each run that executed, complete or interrupted (check
// Summary.Complete), or that broke an invariant (Outcome.Violation set, the
// run incomplete), from the goroutine that ran it, one call at a time. The
// first error is returned.
func SweepFunc(n, parallel int, run func(i int) Run, stop func() bool, done func(i int, o Outcome)) error {
	var p pool
	return p.run(n, parallel, stop, func(i int) error {
		o, err := run(i).Execute()
		if (err == nil || o.Violation != nil) && done != nil {
			p.locked(func() { done(i, o) })
		}
		return err
	})
}
