package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestQueueModesMatchSortedOrder drives a queue whose pending count swings
// between a few and a few hundred, so its events move between the small array
// and the radix heap many times, and checks every pop against a stable sort
// by time (equal times in push order).
func TestQueueModesMatchSortedOrder(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		rng := rand.New(rand.NewPCG(seed, 9))
		var q queue
		type ref struct {
			at  Time
			seq uint64
		}
		var pending []ref
		var seq uint64
		now := Time(0)
		moves, wasBig := 0, false
		grow := true
		for step := 0; step < 10000; step++ {
			switch {
			case len(pending) >= 200:
				grow = false
			case len(pending) <= 2:
				grow = true
			}
			push := rng.IntN(4) > 0 // 3 in 4
			if !grow {
				push = !push
			}
			if push || len(pending) == 0 {
				var d Time
				switch rng.IntN(4) {
				case 0:
					d = 0
				case 1:
					d = Time(rng.IntN(8))
				case 2:
					d = Time(rng.IntN(1 << 20))
				default:
					d = Time(rng.Int64N(1 << 40))
				}
				seq++
				q.push(event{at: now + d, data: seq})
				pending = append(pending, ref{now + d, seq})
			} else {
				slices.SortStableFunc(pending, func(a, b ref) int {
					switch {
					case a.at < b.at:
						return -1
					case a.at > b.at:
						return 1
					}
					return 0
				})
				if m := q.minTime(); m != pending[0].at {
					t.Fatalf("seed %d step %d: minTime %d, want %d", seed, step, m, pending[0].at)
				}
				got := q.pop()
				want := pending[0]
				pending = pending[1:]
				if got.at != want.at || got.data != want.seq {
					t.Fatalf("seed %d step %d: popped (%d,%d), want (%d,%d)", seed, step, got.at, got.data, want.at, want.seq)
				}
				now = got.at
			}
			if q.big != wasBig {
				moves++
				wasBig = q.big
			}
			if q.len() != len(pending) {
				t.Fatalf("seed %d step %d: len %d, want %d", seed, step, q.len(), len(pending))
			}
		}
		if moves < 20 {
			t.Fatalf("seed %d: the events changed sides only %d times; the test checks little", seed, moves)
		}
	}
}
