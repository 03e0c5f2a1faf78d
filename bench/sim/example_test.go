package sim_test

import (
	"fmt"

	"github.com/aftershock/aftershock/bench/sim"
)

// A handler reschedules itself: the engine fires events in time order, equal
// times in the order they were scheduled, and never reads a clock.
func ExampleEngine() {
	e := sim.New()
	var tick sim.Kind
	tick = e.Register(sim.HandlerFunc(func(now sim.Time, n uint64) {
		fmt.Println(now, "tick", n)
		if n < 3 {
			e.After(1e9, tick, n+1) // one virtual second later
		}
	}))
	e.At(0, tick, 1)
	e.RunUntil(sim.Never - 1)
	fmt.Println("events:", e.Fired())
	// Output:
	// 0s tick 1
	// 1s tick 2
	// 2s tick 3
	// events: 3
}
