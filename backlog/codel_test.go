package backlog

import (
	"math"
	"math/rand/v2"
	"testing"
	"testing/quick"
	"time"
)

// TestCoDelTrace follows RFC 8289's control law through fixed instants
// (target 5 ms, interval 100 ms): no drop for the first interval above
// target, a first drop at 110 ms, then drops Interval/√count apart (100 ms,
// 70.7 ms, 57.7 ms, 50 ms, ...; a late pop makes up for the missed ones),
// the dropping state left when a fresh item is dequeued, and the count
// carried over when the queue stands again soon after.
func TestCoDelTrace(t *testing.T) {
	var (
		now     time.Duration
		dropped []time.Duration // the instant of each drop
	)
	q, err := New[Stamp](Config{Kind: KindCoDel, Target: 5 * ms, Interval: 100 * ms}, func(Stamp) { dropped = append(dropped, now) })
	if err != nil {
		t.Fatal(err)
	}
	const (
		t0  = 10 * ms   // sojourn 10 ms ≥ target: the interval starts (first_above = 110 ms)
		t1  = 60 * ms   // above, not for an interval yet
		t2  = 110 * ms  // above for an interval: first drop, dropping state; next due at 210 ms
		t3  = 200 * ms  // before the next drop is due
		t4  = 210 * ms  // drop 2; next due at 210 + 100/√2 = 280.71 ms
		t5  = 281 * ms  // drop 3; next due at + 100/√3 = 338.45 ms
		t6  = 339 * ms  // drop 4; next due at + 100/√4 = 388.45 ms
		t7  = 600 * ms  // late: drops 5-10, due at 388.45, 433.17, 473.99, 511.79, 547.14, 580.48; next 612.10
		t8  = 651 * ms  // drops 11 (due 612.10) and 12 (due 642.25), then a fresh item: the dropping state ends
		t9  = 700 * ms  // a fresh item, 50 ms old: above again (first_above 800 ms)
		t10 = 790 * ms  // above, not for an interval
		t11 = 900 * ms  // one item left behind it: below (the maxpacket test)
		t12 = 1010 * ms // 30 items queued at 1000 ms; the last fresh one is above: first_above 1110 ms
		t13 = 1110 * ms // re-entry 468 ms after the last drop was due: count = 12 − 1 = 11; next due at 1110 + 100/√11 = 1140.15 ms
		t14 = 1139 * ms // not yet
		t15 = 1141 * ms // drop: with the count reset to 1 it would be due at 1210 ms
	)
	fresh, batch := t8-ms, 1000*ms // when the pushed items were queued
	for i, s := range []struct {
		at     time.Duration
		push   int           // items queued before this pop
		queued time.Duration // at this instant
		drops  int           // drops this pop makes
		served time.Duration // stamp of the item it serves
	}{
		{t0, 20, 0, 0, 0},
		{t1, 0, 0, 0, 0},
		{t2, 0, 0, 1, 0},
		{t3, 0, 0, 0, 0},
		{t4, 0, 0, 1, 0},
		{t5, 0, 0, 1, 0},
		{t6, 0, 0, 1, 0},
		{t7, 0, 0, 6, 0}, // 18 of the 20 old items gone: 8 served, 10 dropped
		{t8, 5, fresh, 2, fresh},
		{t9, 0, 0, 0, fresh},
		{t10, 0, 0, 0, fresh},
		{t11, 0, 0, 0, fresh},
		{t12, 30, batch, 0, fresh},
		{t13, 0, 0, 1, batch},
		{t14, 0, 0, 0, batch},
		{t15, 0, 0, 1, batch},
	} {
		now = s.at
		for k := 0; k < s.push; k++ {
			q.Push(at(s.queued), Stamp(s.queued))
		}
		before := len(dropped)
		v, ok := q.Pop(at(s.at))
		if got := len(dropped) - before; got != s.drops || !ok || time.Duration(v) != s.served {
			t.Fatalf("t%d (%v): %d drops, served %v (ok %v); want %d drops, served %v", i, s.at, got, time.Duration(v), ok, s.drops, s.served)
		}
	}
}

// TestCoDelDropGapsFollowTheControlLaw: with a standing queue popped every
// 0.1 ms, the k-th gap between successive drops of one dropping state is
// Interval/√k, to within the pop spacing.
func TestCoDelDropGapsFollowTheControlLaw(t *testing.T) {
	const step = 100 * time.Microsecond
	var now time.Duration
	var drops []time.Duration
	q := &CoDel[Stamp]{Target: 5 * ms, Interval: 100 * ms, Drop: func(Stamp) { drops = append(drops, now) }}
	for i := 0; i < 30000; i++ {
		q.Push(at(0), 0)
	}
	for now = 0; now < 3*time.Second; now += step {
		q.Pop(at(now))
	}
	if len(drops) < 50 {
		t.Fatalf("%d drops in 3 s of a standing queue", len(drops))
	}
	// The first drop: the first pop at which the sojourn has been above
	// target (since the pop at 5 ms) for an interval.
	if drops[0] != 105*ms {
		t.Errorf("first drop at %v, want 105ms", drops[0])
	}
	for k := 1; k < len(drops); k++ {
		gap, want := drops[k]-drops[k-1], time.Duration(float64(100*ms)/math.Sqrt(float64(k)))
		if d := gap - want; d <= -step || d >= step {
			t.Fatalf("gap %d (%v → %v) is %v, want %v ± %v", k, drops[k-1], drops[k], gap, want, step)
		}
	}
}

// observer is an independent reference for the RFC's entry rule: it sees each
// dequeue (the served item after Pop, each dropped item in Drop) and tracks
// since when every dequeue has seen a sojourn at or above target with more
// than one item left behind.
type observer struct {
	target     time.Duration
	aboveSince time.Duration
	above      bool
}

func (o *observer) see(now, sojourn time.Duration, left int) {
	if sojourn < o.target || left <= 1 {
		o.above = false
		return
	}
	if !o.above {
		o.above, o.aboveSince = true, now
	}
}

// TestCoDelDropsOnlyAboveTargetForAnInterval is the property, over random
// push/pop traces: no item is dropped with a sojourn below Target, and no
// drop happens before every dequeue for one Interval has seen the sojourn at
// or above Target.
func TestCoDelDropsOnlyAboveTargetForAnInterval(t *testing.T) {
	total := 0
	prop := func(seed uint64) bool {
		rng := rand.New(rand.NewPCG(seed, 2))
		var now time.Duration
		bad, drops := "", 0
		o := observer{target: 5 * ms}
		q := &CoDel[Stamp]{Target: 5 * ms, Interval: 100 * ms}
		q.Drop = func(s Stamp) {
			drops++
			sojourn := now - time.Duration(s)
			o.see(now, sojourn, q.Len())
			switch {
			case sojourn < q.Target:
				bad = "dropped below target"
			case !o.above || now-o.aboveSince < q.Interval:
				bad = "dropped before an interval above target"
			}
		}
		for i := 0; i < 3000 && bad == ""; i++ {
			now += time.Duration(rng.Int64N(int64(4 * ms)))
			if rng.IntN(100) < 52 { // slightly more pushes than pops: queues build and drain
				q.Push(at(now), Stamp(now))
				continue
			}
			v, ok := q.Pop(at(now))
			if !ok {
				o.above = false
				continue
			}
			o.see(now, now-time.Duration(v), q.Len())
		}
		if bad != "" {
			t.Logf("seed %d: %s", seed, bad)
		}
		total += drops
		return bad == ""
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 200}); err != nil {
		t.Fatal(err)
	}
	if total < 1000 {
		t.Errorf("only %d drops over 200 traces: the property was hardly exercised", total)
	}
}

// TestCoDelDoesNotAllocateWhileDropping: Push and Pop allocate nothing, in the
// dropping state too.
func TestCoDelDoesNotAllocateWhileDropping(t *testing.T) {
	q, _ := New[Stamp](Config{Kind: KindCoDel, Target: 5 * ms, Interval: 100 * ms}, func(Stamp) {})
	for i := 0; i < 100000; i++ {
		q.Push(at(0), 0)
	}
	now := time.Duration(0)
	if a := testing.AllocsPerRun(5000, func() { now += ms; q.Push(at(0), 0); q.Pop(at(now)) }); a != 0 {
		t.Errorf("%v allocs per push+pop", a)
	}
	if c := q.(*CoDel[Stamp]); !c.dropping || c.count < 10 {
		t.Errorf("not exercised: dropping %v, count %d", c.dropping, c.count)
	}
}
