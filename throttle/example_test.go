package throttle_test

import (
	"fmt"
	"time"

	"github.com/aftershock/aftershock/throttle"
)

// A queue-size control in front of a service: the admitted rate falls as the
// queue grows, and nothing is admitted once the limit waits. Time is an
// argument, so the same control runs in a simulation or behind a live server
// (pass time.Now()).
func ExampleQueueSize() {
	q, err := throttle.NewQueueSize(throttle.QueueSizeConfig{Rate: 100, Limit: 50, Burst: 1}) // 100/s when idle, none at 50 queued
	if err != nil {
		panic(err)
	}
	t0 := time.Date(2025, 10, 20, 2, 25, 0, 0, time.UTC)
	for _, queued := range []int{0, 25, 50} {
		admitted := 0
		for ms := 0; ms < 1000; ms++ {
			if q.Admit(t0.Add(time.Duration(ms)*time.Millisecond), queued) {
				admitted++
			}
		}
		t0 = t0.Add(time.Second)
		fmt.Printf("queue %2d: %.0f/s, admitted %d in a second\n", queued, q.Rate(queued), admitted)
	}
	// Output:
	// queue  0: 100/s, admitted 100 in a second
	// queue 25: 50/s, admitted 50 in a second
	// queue 50: 0/s, admitted 0 in a second
}

// A concurrency limit learns from outcomes: Admit, then Done exactly once.
func ExampleAIMD() {
	l, _ := throttle.NewAIMD(throttle.AIMDConfig{Initial: 2, Min: 1, Max: 10, Backoff: 0.5, Timeout: time.Second})
	now := time.Date(2025, 10, 20, 2, 25, 0, 0, time.UTC)
	fmt.Println(l.Admit(now, 0), l.Admit(now, 0), l.Admit(now, 0)) // the limit is 2
	l.Done(now, 2*time.Second, true)                               // slower than Timeout: a drop
	fmt.Println("limit after a drop:", l.Limit())
	// Output:
	// true true false
	// limit after a drop: 1
}
