package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLaneMergesWithHeapInTimeOrder drives an engine whose handlers schedule
// both ways (At, and Lane at a fixed delay), and checks every firing: times
// never decrease, every event fires at the instant it was scheduled for, each
// side fires equal instants in the order scheduled, and a heap event follows
// a lane event of its instant only if it was scheduled after that lane event
// fired. Step and RunUntil are mixed.
func TestLaneMergesWithHeapInTimeOrder(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 3))
		e := New()
		const delay = 64
		e.SetLaneDelay(delay)
		type fired struct {
			at   Time
			lane bool
			id   uint64 // order scheduled, over both sides
			seen uint64 // events scheduled before it fired
		}
		var got []fired
		var due []Time // per id: the instant it was scheduled for
		var k Kind
		schedule := func(now Time) {
			id := uint64(len(due))
			if rng.IntN(2) == 0 {
				at := now + Time(rng.IntN(3)*delay/2) // often on a lane event's instant
				due = append(due, at)
				e.At(at, k, id<<1)
			} else {
				due = append(due, now+delay)
				e.Lane(k, id<<1|1)
			}
		}
		k = e.Register(HandlerFunc(func(now Time, arg uint64) {
			id := arg >> 1
			if now != due[id] {
				t.Fatalf("seed %d: event %d due at %v fired at %v", seed, id, due[id], now)
			}
			got = append(got, fired{now, arg&1 == 1, id, uint64(len(due))})
			for range rng.IntN(3) {
				schedule(now)
			}
		}))
		for range 50 {
			schedule(0)
		}
		for len(got) < 20000 && e.Pending() > 0 {
			if rng.IntN(2) == 0 {
				e.Step()
			} else {
				e.RunUntil(e.Now() + Time(rng.IntN(100)))
			}
		}
		if len(got) < 1000 {
			t.Fatalf("seed %d: only %d events fired", seed, len(got))
		}
		ties := 0
		for i := 1; i < len(got); i++ {
			a, b := got[i-1], got[i]
			switch {
			case b.at < a.at:
				t.Fatalf("seed %d: event at %v fired after one at %v", seed, b.at, a.at)
			case b.at > a.at:
			case a.lane == b.lane:
				if a.id > b.id {
					t.Fatalf("seed %d: equal-time events %d and %d out of schedule order at %v", seed, a.id, b.id, b.at)
				}
			case a.lane:
				if b.id < a.seen {
					t.Fatalf("seed %d: heap event %d, pending when lane event %d fired at %v, fired after it", seed, b.id, a.id, b.at)
				}
			default:
				ties++
			}
		}
		if ties == 0 {
			t.Fatalf("seed %d: no heap event ever fired just before a lane event of its instant; the test checks nothing", seed)
		}
	}
}

// TestLaneEventsFireAtTheirDelay: a lane event fires exactly its delay after
// it was scheduled, and Next and Pending count it.
func TestLaneEventsFireAtTheirDelay(t *testing.T) {
	e := New()
	e.SetLaneDelay(30)
	var log []Time
	k := e.Register(HandlerFunc(func(now Time, arg uint64) { log = append(log, now) }))
	e.RunUntil(5)
	e.Lane(k, 0)
	e.At(40, k, 0)
	if e.Pending() != 2 || e.Next() != 35 {
		t.Fatalf("pending %d, next %v; want 2 and 35", e.Pending(), e.Next())
	}
	e.RunUntil(100)
	if !slices.Equal(log, []Time{35, 40}) {
		t.Fatalf("fired at %v, want [35 40]", log)
	}
}

// TestLaneSteadyStateDoesNotAllocate: a timeout-like load, each event
// scheduling one lane event and one heap event, allocates nothing once warm.
func TestLaneSteadyStateDoesNotAllocate(t *testing.T) {
	e := New()
	e.SetLaneDelay(1e6)
	rng := rand.New(rand.NewPCG(1, 2))
	var k Kind
	k = e.Register(HandlerFunc(func(now Time, arg uint64) {
		if arg == 0 {
			e.Lane(k, 1)
		} else {
			e.At(now+Time(rng.Int64N(2e6)), k, 0)
		}
	}))
	for i := range 5000 {
		e.At(Time(rng.Int64N(1e6)), k, uint64(i%2))
	}
	for range 100000 {
		e.Step()
	}
	if a := testing.AllocsPerRun(1000, func() { e.Step() }); a != 0 {
		t.Fatalf("Step allocates %v per event, want 0", a)
	}
}

func TestLaneMisusePanics(t *testing.T) {
	for name, f := range map[string]func(e *Engine){
		"lane without a delay": func(e *Engine) { e.Lane(0, 1) },
		"delay 0":              func(e *Engine) { e.SetLaneDelay(0) },
		"arg over 56 bits": func(e *Engine) {
			e.SetLaneDelay(1)
			e.Lane(0, MaxArg+1)
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f(New())
		}()
	}
}
