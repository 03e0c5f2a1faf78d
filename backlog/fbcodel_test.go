package backlog

import (
	"math/rand/v2"
	"slices"
	"testing"
	"testing/quick"
	"time"
)

// TestFBCoDelTrace: a queue that drains is never cut; one that has stood for
// the interval sheds everything older than the target.
func TestFBCoDelTrace(t *testing.T) {
	var dropped []Stamp
	q, _ := New[Stamp](Config{Kind: KindFBCoDel, Target: 5 * ms, Interval: 100 * ms}, func(s Stamp) { dropped = append(dropped, s) })
	q.Push(at(0), Stamp(0))
	q.Push(at(50*ms), Stamp(50*ms))
	// At 60 ms the queue has stood 60 ms (< 100): the 60 ms-old item is served.
	if v, _ := q.Pop(at(60 * ms)); v != 0 || len(dropped) != 0 {
		t.Fatalf("pop at 60ms: %v, dropped %v", v, dropped)
	}
	q.Push(at(150*ms), Stamp(150*ms))
	q.Push(at(198*ms), Stamp(198*ms))
	// At 200 ms it has not been empty since 0: standing. Target 5 ms applies:
	// 50 ms and 150 ms items are dropped, the 2 ms-old one served.
	if v, ok := q.Pop(at(200 * ms)); !ok || v != Stamp(198*ms) {
		t.Fatalf("pop at 200ms: %v %v", v, ok)
	}
	if !slices.Equal(dropped, []Stamp{Stamp(50 * ms), Stamp(150 * ms)}) {
		t.Fatalf("dropped %v", dropped)
	}
	// Empty now; a fresh queue is not standing.
	q.Push(at(300*ms), Stamp(300*ms))
	if v, ok := q.Pop(at(340 * ms)); !ok || v != Stamp(300*ms) {
		t.Fatalf("pop after draining: %v %v", v, ok)
	}
}

// TestFBCoDelDropsOnlyWhenStanding is the property: over random push/pop
// traces, every drop happens at an instant when the queue has been non-empty
// for at least Interval (checked against an independent reference).
func TestFBCoDelDropsOnlyWhenStanding(t *testing.T) {
	prop := func(seed uint64) bool {
		rng := rand.New(rand.NewPCG(seed, 1))
		var now, emptySince time.Duration
		n := 0
		bad := false
		q := &FBCoDel[Stamp]{Target: 5 * ms, Interval: 100 * ms}
		q.Drop = func(Stamp) {
			if now-emptySince < q.Interval {
				bad = true
			}
		}
		for i := 0; i < 2000; i++ {
			now += time.Duration(rng.Int64N(int64(20 * ms)))
			if rng.IntN(3) > 0 {
				if n == 0 {
					emptySince = now
				}
				q.Push(at(now), Stamp(now))
				n++
			} else {
				before := q.Len()
				_, ok := q.Pop(at(now))
				n = q.Len()
				if ok && before == 0 {
					return false
				}
				if n == 0 {
					emptySince = now
				}
			}
		}
		return !bad
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 200}); err != nil {
		t.Fatal(err)
	}
}
