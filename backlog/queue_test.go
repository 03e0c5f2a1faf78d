package backlog

import (
	"math/rand/v2"
	"slices"
	"testing"
	"testing/quick"
	"time"
)

const ms = time.Millisecond

// at is offset d on the Stamps' clock (nanoseconds since the Unix epoch).
func at(d time.Duration) time.Time { return time.Unix(0, int64(d)) }

func pops[T Timed](q Queue[T], now time.Time, n int) []T {
	var out []T
	for i := 0; i < n; i++ {
		v, ok := q.Pop(now)
		if !ok {
			break
		}
		out = append(out, v)
	}
	return out
}

func TestDisciplineOrder(t *testing.T) {
	in := []Stamp{1, 2, 3, 4}
	for _, c := range []struct {
		kind string
		want []Stamp
	}{
		{KindFIFO, []Stamp{1, 2, 3, 4}},
		{KindLIFO, []Stamp{4, 3, 2, 1}},
		{KindBounded, []Stamp{1, 2, 3}}, // capacity 3: the 4th was refused
	} {
		q, err := New[Stamp](Config{Kind: c.kind, Capacity: 3}, nil)
		if err != nil {
			t.Fatal(err)
		}
		refused := 0
		for _, s := range in {
			if !q.Push(at(time.Duration(s)), s) {
				refused++
			}
		}
		if got := pops(q, at(10), 10); !slices.Equal(got, c.want) {
			t.Errorf("%s: served %v, want %v", c.kind, got, c.want)
		}
		if c.kind == KindBounded && refused != 1 {
			t.Errorf("bounded: refused %d, want 1", refused)
		}
	}
}

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

func TestAdaptiveLIFOSwitchesWhenAQueueStands(t *testing.T) {
	q, _ := New[Stamp](Config{Kind: KindAdaptiveLIFO, Interval: 100 * ms}, nil)
	for _, s := range []Stamp{0, 1, 2} {
		q.Push(at(time.Duration(s)), s)
	}
	if v, _ := q.Pop(at(10 * ms)); v != 0 {
		t.Fatalf("young queue served %v, want FIFO (0)", v)
	}
	if v, _ := q.Pop(at(150 * ms)); v != 2 {
		t.Fatalf("standing queue served %v, want LIFO (2)", v)
	}
}

func TestDeadlineDropSkipsAbandonedWork(t *testing.T) {
	var dropped []Stamp
	q, _ := New[Stamp](Config{Kind: KindDeadlineDrop, Timeout: time.Second}, func(s Stamp) { dropped = append(dropped, s) })
	q.Push(at(0), 0)
	q.Push(at(500*ms), Stamp(500*ms))
	if v, ok := q.Pop(at(1200 * ms)); !ok || v != Stamp(500*ms) || !slices.Equal(dropped, []Stamp{0}) {
		t.Fatalf("served %v (%v), dropped %v", v, ok, dropped)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, c := range []Config{
		{Kind: "random"},
		{Kind: KindCoDel, Target: 0, Interval: ms},
		{Kind: KindCoDel, Target: 2 * ms, Interval: ms},
		{Kind: KindFBCoDel, Target: 0, Interval: ms},
		{Kind: KindFBCoDel, Target: 2 * ms, Interval: ms},
		{Kind: KindDeadlineDrop},
		{Kind: KindBounded},
		{Kind: KindAdaptiveLIFO},
	} {
		if _, err := New[Stamp](c, nil); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

func TestDisciplinesDoNotAllocate(t *testing.T) {
	for _, k := range []string{KindFIFO, KindLIFO, KindAdaptiveLIFO, KindCoDel, KindFBCoDel, KindDeadlineDrop, KindBounded} {
		q, _ := New[Stamp](Config{Kind: k, Target: 5 * ms, Interval: 100 * ms, Timeout: time.Hour, Capacity: 1 << 20}, func(Stamp) {})
		for i := 0; i < 3000; i++ {
			q.Push(at(0), 0)
		}
		now := time.Duration(0)
		if a := testing.AllocsPerRun(2000, func() { now++; q.Push(at(now), Stamp(now)); q.Pop(at(now)) }); a != 0 {
			t.Errorf("%s: %v allocs per push+pop", k, a)
		}
	}
}

func TestDrainHandsEveryItemOver(t *testing.T) {
	q := &FIFO[Stamp]{}
	for i := 0; i < 2500; i++ {
		q.Push(at(0), Stamp(i))
	}
	n := 0
	q.Drain(func(Stamp) { n++ })
	if n != 2500 || q.Len() != 0 {
		t.Fatalf("drained %d, left %d", n, q.Len())
	}
}
