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
// two baselines running the same hold model with an explicit (time, seq)
// tie-break: queue=4ary, a typed 4-ary heap (no interface boxing, sift loops
// inlined: the honest competitor), and queue=heap, the textbook
// container/heap. Each baseline row also reports radix-x: the radix engine's
// events/s in this run divided by its own (when the radix row ran first, as it
// does unless -bench filters it out).
func BenchmarkEngine(b *testing.B) {
	for _, n := range []int{1_000, 1_000_000} {
		var radix float64
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
			radix = float64(b.N) / b.Elapsed().Seconds()
			b.ReportMetric(radix, "events/s")
		})
		report := func(b *testing.B) {
			eps := float64(b.N) / b.Elapsed().Seconds()
			b.ReportMetric(eps, "events/s")
			if radix > 0 {
				b.ReportMetric(radix/eps, "radix-x")
			}
		}
		b.Run(fmt.Sprintf("timers=%d/queue=4ary", n), func(b *testing.B) {
			var h quadHeap
			for i := 0; i < n; i++ {
				h.push(baseEvent{at: holdDelays[i&(len(holdDelays)-1)] * Time(1+i%7), seq: uint64(i)})
			}
			var seq uint64 = uint64(n)
			j := 0
			step := func() {
				ev := h.pop()
				j++
				seq++
				h.push(baseEvent{at: ev.at + holdDelays[j&(len(holdDelays)-1)], seq: seq, arg: ev.arg})
			}
			for i := 0; i < 2*n; i++ {
				step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				step()
			}
			report(b)
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
			report(b)
		})
	}
}

// quadHeap is a typed 4-ary min-heap of events ordered by (at, seq): children
// of i are 4i+1..4i+4. A 4-ary heap halves the depth of a binary one and
// keeps siblings in one or two cache lines, the usual fastest comparison heap
// for event queues.
type quadHeap []baseEvent

func (e baseEvent) before(o baseEvent) bool {
	return e.at < o.at || (e.at == o.at && e.seq < o.seq)
}

func (h *quadHeap) push(ev baseEvent) {
	q := append(*h, ev)
	i := len(q) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !ev.before(q[p]) {
			break
		}
		q[i] = q[p]
		i = p
	}
	q[i] = ev
	*h = q
}

func (h *quadHeap) pop() baseEvent {
	q := *h
	top := q[0]
	n := len(q) - 1
	last := q[n]
	q = q[:n]
	*h = q
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		for k := c + 1; k < c+4 && k < n; k++ {
			if q[k].before(q[m]) {
				m = k
			}
		}
		if !q[m].before(last) {
			break
		}
		q[i] = q[m]
		i = m
	}
	q[i] = last
	return top
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

// TestQuadHeapOrders checks the 4-ary baseline pops in (at, seq) order, so
// that BenchmarkEngine compares against a correct queue.
func TestQuadHeapOrders(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	var h quadHeap
	for i := 0; i < 5000; i++ {
		h.push(baseEvent{at: Time(rng.IntN(100)), seq: uint64(i)})
	}
	prev := baseEvent{at: -1}
	for len(h) > 0 {
		ev := h.pop()
		if !prev.before(ev) {
			t.Fatalf("popped %+v after %+v", ev, prev)
		}
		prev = ev
	}
}
