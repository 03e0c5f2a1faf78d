package verdict_test

import (
	"fmt"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/results"
	"github.com/aftershock/aftershock/results/verdict"
)

// A Go test of your own can run a scenario and hold its summary to the same
// assertions as `loadgen sim --assert`. In a test, verdict.Require(t, rows,
// "recovered", ...) reports each failure with t.Errorf.
func Example() {
	sc, err := scenario.Load("us-east-1")
	if err != nil {
		panic(err)
	}
	var rows []results.Summary
	for _, policy := range []string{"none", "queue-size"} {
		o, err := bench.Run{Scenario: sc, Policy: policy, Seed: 1, Droplets: 2000}.Execute()
		if err != nil {
			panic(err)
		}
		rows = append(rows, o.Summary)
	}
	as, err := verdict.ParseAll([]string{"recovered", "recovery_ratio<=1.2", "wasted_fraction<0.5"})
	if err != nil {
		panic(err)
	}
	for _, f := range verdict.Check(rows, as...) {
		fmt.Println(f)
	}
	// Output:
	// verdict: recovered failed in 1 of 2 runs, first: recovered is false (scenario us-east-1, policy none, seed 1, 2000 droplets)
	// verdict: recovery_ratio<=1.2 failed in 1 of 2 runs, first: recovery_ratio is empty (never recovered) (scenario us-east-1, policy none, seed 1, 2000 droplets)
	// verdict: wasted_fraction<0.5 failed in 1 of 2 runs, first: wasted_fraction is 0.9576 (scenario us-east-1, policy none, seed 1, 2000 droplets)
}
