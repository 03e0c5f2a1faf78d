package sim

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"testing"
)

// The hold model: n timers pending; each event reschedules itself at now plus
// an exponentially distributed delay, so the pending count stays at n. The
// delays come from one precomputed table shared by both queues, so both
// benchmarks pay the same for randomness and see the same schedule.
const holdMean = 1e9 // 1 s mean delay, in ns

var holdDelays = func() []Time {
	rng := rand.New(rand.NewPCG(42, 42))
	d := make([]Time, 1<<16)
	for i := range d {
		d[i] = Time(rng.ExpFloat64() * holdMean)
	}
	return d
}()

type holdHandler struct {
	e *Engine
	k Kind
	i int
}

func (h *holdHandler) Fire(now Time, arg uint64) {
	h.i++
	h.e.At(now+holdDelays[h.i&(len(holdDelays)-1)], h.k, arg)
}

// BenchmarkEngine measures events/s through the whole engine (queue plus
// handler dispatch) in the hold model at 10³ and 10⁶ pending timers, beside
// BenchmarkEngine/.../heap, the same hold model on container/heap with an
// explicit (time, seq) tie-break. Compare events/s between the two in one run.
func BenchmarkEngine(b *testing.B) {
	for _, n := range []int{1_000, 1_000_000} {
		b.Run(fmt.Sprintf("timers=%d/queue=radix", n), func(b *testing.B) {
			e := New()
			h := &holdHandler{e: e}
			h.k = e.Register(h)
			for i := 0; i < n; i++ {
				e.At(holdDelays[i&(len(holdDelays)-1)]*Time(1+i%7), h.k, uint64(i))
			}
			for i := 0; i < 2*n; i++ { // reach the steady state
				e.Step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				e.Step()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
		b.Run(fmt.Sprintf("timers=%d/queue=heap", n), func(b *testing.B) {
			h := &baselineHeap{}
			for i := 0; i < n; i++ {
				heap.Push(h, baseEvent{at: holdDelays[i&(len(holdDelays)-1)] * Time(1+i%7), seq: uint64(i)})
			}
			var seq uint64 = uint64(n)
			j := 0
			step := func() {
				ev := heap.Pop(h).(baseEvent)
				j++
				seq++
				heap.Push(h, baseEvent{at: ev.at + holdDelays[j&(len(holdDelays)-1)], seq: seq, arg: ev.arg})
			}
			for i := 0; i < 2*n; i++ {
				step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				step()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// baselineHeap is the textbook container/heap event queue.
type baseEvent struct {
	at       Time
	seq, arg uint64
}

type baselineHeap []baseEvent

func (h baselineHeap) Len() int { return len(h) }
func (h baselineHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].seq < h[j].seq
}
func (h baselineHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *baselineHeap) Push(x any)   { *h = append(*h, x.(baseEvent)) }
func (h *baselineHeap) Pop() any {
	old := *h
	ev := old[len(old)-1]
	*h = old[:len(old)-1]
	return ev
}

var _ heap.Interface = (*baselineHeap)(nil)
