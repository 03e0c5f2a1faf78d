package backlog

import (
	"fmt"
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

// TestDequeKeepsNoStaleReferences checks, through random operations, that
// every slot not holding a queued item is zero, in live and spare blocks
// alike: popped work must not stay reachable from the deque.
func TestDequeKeepsNoStaleReferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 0))
	var d Deque[*int]
	for step := 0; step < 30000; step++ {
		switch op := rng.IntN(20); {
		case op < 10:
			v := step
			d.PushBack(&v)
		case op < 15:
			d.PopFront()
		case op < 19:
			d.PopBack()
		default:
			if rng.IntN(20) == 0 {
				d.Clear()
			}
		}
		if len(d.blocks) > d.first && d.back != d.blocks[len(d.blocks)-1] {
			t.Fatalf("step %d: back is not the last block", step)
		}
		if step%97 != 0 {
			continue
		}
		held := 0
		for i, b := range d.blocks {
			if i < d.first {
				if b != nil {
					t.Fatalf("step %d: spent block %d still referenced", step, i)
				}
				continue
			}
			for k, p := range b {
				in := d.n > 0 && (i > d.first || k >= d.head) && (i < len(d.blocks)-1 || k < d.tail)
				if in {
					held++
					if p == nil {
						t.Fatalf("step %d: queued slot %d/%d is nil", step, i, k)
					}
				} else if p != nil {
					t.Fatalf("step %d: free slot %d/%d still references %d (head %d tail %d n %d)", step, i, k, *p, d.head, d.tail, d.n)
				}
			}
		}
		if held != d.n {
			t.Fatalf("step %d: %d slots hold items, Len %d", step, held, d.n)
		}
		for i, b := range d.spare {
			for k, p := range b {
				if p != nil {
					t.Fatalf("step %d: spare block %d slot %d not zeroed", step, i, k)
				}
			}
		}
	}
}

// TestDequeDrainingKeepsItsBlock: a queue that empties keeps one clean block
// and reuses it, so push-one/pop-one never allocates.
func TestDequeDrainingKeepsItsBlock(t *testing.T) {
	var d Deque[[2]int64]
	d.PushBack([2]int64{1, 1})
	d.PopFront()
	a := testing.AllocsPerRun(1000, func() {
		d.PushBack([2]int64{1, 2})
		d.PopFront()
	})
	if a != 0 {
		t.Fatalf("push+pop on an empty deque allocates %v, want 0", a)
	}
	if len(d.blocks)-d.first != 1 || d.head != 0 || d.tail != 0 {
		t.Fatalf("drained deque holds %d live blocks, head %d tail %d; want 1, 0, 0", len(d.blocks)-d.first, d.head, d.tail)
	}
}

// BenchmarkDeque measures one push and one pop on a FIFO deque of 16-byte
// items (a station's queued job) held at a steady length: len=0 is a queue
// that is usually empty (each item drains it), the case of a station with a
// free worker; len=5000 is a standing queue that crosses block boundaries.
func BenchmarkDeque(b *testing.B) {
	for _, n := range []int{0, 1, 5000} {
		b.Run(fmt.Sprintf("len=%d", n), func(b *testing.B) {
			var d Deque[[2]int64]
			for i := 0; i < n; i++ {
				d.PushBack([2]int64{int64(i), 0})
			}
			d.PushBack([2]int64{})
			d.PopFront()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				d.PushBack([2]int64{int64(i), 1})
				d.PopFront()
			}
		})
	}
}
