package backlog_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aftershock/aftershock/backlog"
)

// CoDel in Facebook's queue form: once the queue has stood for the interval,
// work queued longer than the target is dropped at dequeue.
func ExampleCoDel() {
	q, _ := backlog.New[backlog.Stamp](backlog.Config{Kind: backlog.KindCoDel, Target: 5 * time.Millisecond, Interval: 100 * time.Millisecond},
		func(s backlog.Stamp) { fmt.Println("dropped the item queued at", time.Duration(s)) })
	for _, at := range []time.Duration{0, 150 * time.Millisecond, 198 * time.Millisecond} {
		q.Push(at, backlog.Stamp(at))
	}
	v, _ := q.Pop(200 * time.Millisecond)
	fmt.Println("served the item queued at", time.Duration(v))
	// Output:
	// dropped the item queued at 0s
	// dropped the item queued at 150ms
	// served the item queued at 198ms
}

// Exponential backoff without jitter, capped.
func ExampleBackoff() {
	b := backlog.Backoff{Base: time.Second, Cap: 10 * time.Second, Multiplier: 2}
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 5; n++ {
		fmt.Print(b.Delay(n, 0, r), " ")
	}
	fmt.Println()
	// Output: 1s 2s 4s 8s 10s
}
