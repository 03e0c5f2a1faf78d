package throttle

import "time"

// window is a sliding window over time: a ring of n buckets, each width long,
// that together cover a span of n·width. Bucket boundaries are fixed on the
// clock (a bucket holds the instants t with ⌊t.UnixNano()/width⌋ = its
// epoch), so two windows of the same width agree on them. The ring is
// allocated once, by newWindow; add, charge and sum allocate nothing.
//
// The newest bucket is the one holding the latest instant seen (head). A sum
// covers the newest bucket, which is partly elapsed, and the n−1 before it:
// between (n−1)·width and n·width of history. Every method first expires the
// buckets that the instant it is given pushes out of the span.
//
// Time going backwards: an instant earlier than the latest one seen never
// moves the window back, never empties a bucket, and is summed as if it came
// at the latest instant, so a late caller (concurrent callers interleave
// slightly out of order) sees exactly what an on-time caller would. A late
// value whose bucket is still in the span is counted in that bucket. One
// older than the span can count in no later sum: add drops it (right for a
// credit, which must not outlive its span), charge counts it in the oldest
// bucket instead (right for a cost, which must not be forgotten early).
//
// Values are meant to be counts: the running total is then exact (integers up
// to 2⁵³ are exact in a float64). Instants must lie within UnixNano's range
// (years 1678–2262).
//
// window has no lock: the control that embeds it guards it.
type window struct {
	width   int64     // bucket length, ns
	vals    []float64 // vals[e mod n] holds the bucket of epoch e, for e in (head−n, head]
	total   float64   // sum of vals
	head    int64     // epoch of the newest bucket
	started bool      // head is set

	// The head bucket's first instant (ns) and slot, cached: most calls fall
	// in the head bucket and then need no division.
	headStart int64
	headSlot  int
}

// newWindow returns an empty window of n buckets of span/n each (span rounded
// down to a whole number of nanoseconds per bucket). Check the arguments with
// checkWindow first.
func newWindow(span time.Duration, n int) window {
	return window{width: int64(span) / int64(n), vals: make([]float64, n)}
}

// epoch is the number of the bucket holding now (floor division, so instants
// before 1970 land in the right bucket too).
func (w *window) epoch(now time.Time) int64 {
	ns := now.UnixNano()
	if w.started && ns >= w.headStart && ns-w.headStart < w.width {
		return w.head
	}
	e := ns / w.width
	if ns%w.width < 0 {
		e--
	}
	return e
}

// slot is the ring index of epoch e.
func (w *window) slot(e int64) int {
	n := int64(len(w.vals))
	i := e % n
	if i < 0 {
		i += n
	}
	return int(i)
}

// advance makes epoch e the newest bucket if it is later than the current
// one, emptying the buckets it pushes out of the span. Earlier epochs change
// nothing.
func (w *window) advance(e int64) {
	if !w.started {
		w.started = true
		w.setHead(e)
		return
	}
	if e <= w.head {
		return
	}
	n := int64(len(w.vals))
	if e-w.head >= n {
		clear(w.vals)
		w.total = 0
	} else {
		for h := w.head + 1; h <= e; h++ {
			i := w.slot(h)
			w.total -= w.vals[i]
			w.vals[i] = 0
		}
	}
	w.setHead(e)
}

func (w *window) setHead(e int64) {
	w.head, w.headStart, w.headSlot = e, e*w.width, w.slot(e)
}

// add counts v at now. A now so late that its bucket has left the span is
// dropped: no later sum could include it.
func (w *window) add(now time.Time, v float64) {
	e := w.epoch(now)
	w.advance(e)
	if e <= w.head-int64(len(w.vals)) {
		return
	}
	if e == w.head {
		w.vals[w.headSlot] += v
	} else {
		w.vals[w.slot(e)] += v
	}
	w.total += v
}

// charge counts v at now like add, except that a now whose bucket has left the
// span is counted in the oldest bucket still in it, so the cost stays in the
// window for as long as any cost can.
func (w *window) charge(now time.Time, v float64) {
	e := w.epoch(now)
	w.advance(e)
	if oldest := w.head - int64(len(w.vals)) + 1; e < oldest {
		e = oldest
	}
	w.vals[w.slot(e)] += v
	w.total += v
}

// sum is the total counted in the span as of now, or as of the latest instant
// seen if that is later.
func (w *window) sum(now time.Time) float64 {
	w.advance(w.epoch(now))
	return w.total
}

// reset empties every bucket; the window keeps its position in time.
func (w *window) reset() {
	clear(w.vals)
	w.total = 0
}
