package sim

import "math/bits"

// event is one scheduled firing. 16 bytes: the queue moves events between
// buckets by value, so keeping them small keeps those moves cheap.
type event struct {
	at   Time
	data uint64 // Kind in the top 8 bits, Arg in the low 56
}

// queue is a monotone priority queue of events: a radix heap.
//
// A radix heap exploits the fact that a discrete-event simulation never
// schedules into the past: every key is at least last, the key most recently
// popped. Bucket 0 holds events whose time equals last; bucket i (1..64) holds
// events whose time first differs from last in bit i-1. Push is one XOR, one
// bit count and one append. Pop takes from bucket 0; when it is empty, the
// lowest non-empty bucket (found from a bitmask) gives the new last (its
// minimum is kept up to date on push), and that bucket's events are
// redistributed into strictly lower buckets. Each event therefore moves at most
// 64 times, in practice a handful, always through contiguous memory, where a
// binary heap pays a cache miss per level at 10⁶ pending events.
//
// Tie-break: events with equal times are popped in the order they were pushed.
// Two events with the same time always sit in the same bucket (the bucket is a
// function of time and last only), buckets are appended to in push order,
// redistribution scans a bucket in order and appends, and bucket 0 is read
// front to back. So the push order is preserved without storing a sequence
// number; TestEqualTimesFireInScheduleOrder and TestQueueMatchesSortedOrder
// check it.
//
// Memory: bucket slices keep their capacity, so a queue in steady state
// allocates nothing.
type queue struct {
	last     Time
	n        int
	head0    int    // next index to pop in buckets[0]
	nonempty uint64 // bit i-1 set when buckets[i] (i >= 1) is non-empty
	mins     [65]Time
	buckets  [65][]event
}

func (q *queue) len() int { return q.n }

// push adds ev; ev.at must be >= q.last.
func (q *queue) push(ev event) {
	b := bits.Len64(uint64(ev.at ^ q.last))
	q.add(b, ev)
	q.n++
}

func (q *queue) add(b int, ev event) {
	if b > 0 {
		bit := uint64(1) << (b - 1)
		if q.nonempty&bit == 0 || ev.at < q.mins[b] {
			q.mins[b] = ev.at
		}
		q.nonempty |= bit
	}
	q.buckets[b] = append(q.buckets[b], ev)
}

// minTime returns the time of the earliest event without changing the queue;
// q must not be empty. It must not refill: refilling moves last to the minimum,
// and a caller that only peeks (RunUntil stopping at a boundary) may still push
// events between now and that minimum.
func (q *queue) minTime() Time {
	if q.head0 < len(q.buckets[0]) {
		return q.last
	}
	return q.mins[bits.TrailingZeros64(q.nonempty)+1]
}

// pop removes and returns the earliest event; q must not be empty.
func (q *queue) pop() event {
	if q.head0 == len(q.buckets[0]) {
		q.refill()
	}
	ev := q.buckets[0][q.head0]
	q.head0++
	q.n--
	return ev
}

// refill moves the earliest events into bucket 0. It requires q.n > 0 and
// bucket 0 to be exhausted.
func (q *queue) refill() {
	q.buckets[0] = q.buckets[0][:0]
	q.head0 = 0
	i := bits.TrailingZeros64(q.nonempty) + 1
	q.nonempty &^= 1 << (i - 1)
	m := q.mins[i]
	q.last = m
	b := q.buckets[i]
	for _, ev := range b {
		q.add(bits.Len64(uint64(ev.at^m)), ev)
	}
	q.buckets[i] = b[:0]
}
