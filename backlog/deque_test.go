package backlog

import (
	"math/rand/v2"
	"testing"
)

// TestDequeMatchesSlice drives a Deque and a plain slice with the same random
// operations across block boundaries and checks they agree.
func TestDequeMatchesSlice(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 0))
		var d Deque[int]
		var ref []int
		next := 0
		for step := 0; step < 20000; step++ {
			switch op := rng.IntN(10); {
			case op < 5:
				next++
				d.PushBack(next)
				ref = append(ref, next)
			case op < 8:
				v, ok := d.PopFront()
				if ok != (len(ref) > 0) || (ok && v != ref[0]) {
					t.Fatalf("seed %d step %d: PopFront=(%d,%v), want front of %d items", seed, step, v, ok, len(ref))
				}
				if ok {
					ref = ref[1:]
				}
			case op < 9:
				v, ok := d.PopBack()
				if ok != (len(ref) > 0) || (ok && v != ref[len(ref)-1]) {
					t.Fatalf("seed %d step %d: PopBack=(%d,%v), want back of %d items", seed, step, v, ok, len(ref))
				}
				if ok {
					ref = ref[:len(ref)-1]
				}
			default:
				if rng.IntN(50) == 0 {
					if n := d.Clear(); n != len(ref) {
						t.Fatalf("seed %d: Clear dropped %d, want %d", seed, n, len(ref))
					}
					ref = ref[:0]
				}
			}
			if d.Len() != len(ref) {
				t.Fatalf("seed %d step %d: Len=%d, want %d", seed, step, d.Len(), len(ref))
			}
			if f, ok := d.Front(); ok && f != ref[0] {
				t.Fatalf("seed %d step %d: Front=%d, want %d", seed, step, f, ref[0])
			}
			if b, ok := d.Back(); ok && b != ref[len(ref)-1] {
				t.Fatalf("seed %d step %d: Back=%d, want %d", seed, step, b, ref[len(ref)-1])
			}
		}
	}
}

func TestDequeSteadyStateDoesNotAllocate(t *testing.T) {
	var d Deque[[2]int64]
	for i := 0; i < 5*blockSize; i++ {
		d.PushBack([2]int64{int64(i), 0})
	}
	a := testing.AllocsPerRun(10000, func() {
		d.PushBack([2]int64{1, 2})
		d.PopFront()
	})
	if a != 0 {
		t.Fatalf("push+pop at steady size allocates %v, want 0", a)
	}
}
