package bench

import (
	"sync"

	"github.com/aftershock/aftershock/bench/policy"
)

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
// The first error stops nothing already started but is returned.
func Sweep(runs []Run, parallel int, done func(i int, o Outcome)) ([]Outcome, error) {
	out := make([]Outcome, len(runs))
	errs := make([]error, len(runs))
	sem := make(chan struct{}, max(parallel, 1))
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := range runs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			o, err := runs[i].Execute()
			out[i], errs[i] = o, err
			if done != nil && err == nil {
				mu.Lock()
				done(i, o)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
