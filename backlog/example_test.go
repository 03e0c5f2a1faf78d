package backlog_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aftershock/aftershock/backlog"
)

// CoDel in Facebook's queue form: once the queue has stood for the interval,
// work queued longer than the target is dropped at dequeue.
func ExampleFBCoDel() {
	q, _ := backlog.New[backlog.Stamp](backlog.Config{Kind: backlog.KindFBCoDel, Target: 5 * time.Millisecond, Interval: 100 * time.Millisecond},
		func(s backlog.Stamp) {
			fmt.Println("dropped the item queued at", s.QueuedAt().UTC().Format("15:04:05.000"))
		})
	t0 := time.Date(2025, 10, 20, 2, 25, 0, 0, time.UTC) // any clock; CoDel compares differences
	for _, at := range []time.Duration{0, 150 * time.Millisecond, 198 * time.Millisecond} {
		q.Push(t0.Add(at), backlog.Stamp(at)+backlog.Stamp(t0.UnixNano()))
	}
	v, _ := q.Pop(t0.Add(200 * time.Millisecond))
	fmt.Println("served the item queued at", v.QueuedAt().UTC().Format("15:04:05.000"))
	// Output:
	// dropped the item queued at 02:25:00.000
	// dropped the item queued at 02:25:00.150
	// served the item queued at 02:25:00.198
}

// CoDel after RFC 8289: a standing queue is left alone for one interval
// above target, then dropped from at interval/√count: drops fall due 100 ms,
// 70.7 ms, 57.7 ms and 50 ms apart, each taken at the first dequeue after.
func ExampleCoDel() {
	t0 := time.Date(2025, 10, 20, 2, 25, 0, 0, time.UTC)
	var now time.Time
	q, _ := backlog.New[backlog.Stamp](backlog.Config{Kind: backlog.KindCoDel, Target: 5 * time.Millisecond, Interval: 100 * time.Millisecond},
		func(backlog.Stamp) { fmt.Println("drop at", now.Sub(t0)) })
	for i := 0; i < 1000; i++ {
		q.Push(t0, backlog.Stamp(t0.UnixNano())) // a backlog queued at t0
	}
	for ms := 10; ms <= 400; ms += 10 { // a worker takes one every 10 ms
		now = t0.Add(time.Duration(ms) * time.Millisecond)
		q.Pop(now)
	}
	// Output:
	// drop at 110ms
	// drop at 210ms
	// drop at 290ms
	// drop at 340ms
	// drop at 390ms
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
