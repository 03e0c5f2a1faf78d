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
// Memory: a bucket is a list of fixed-size chunks drawn from a free list
// shared by all buckets, and a chunk is returned as soon as its events have
// moved on. The queue's memory therefore follows the events pending (plus a
// partly filled chunk per bucket), not the sum of every bucket's historical
// peak: events cascade down through tens of buckets as time advances, and
// when each bucket kept a slice of its own, every one of them grew to about
// the whole pending set (9 event slots per pending event at 10⁵ droplets).
// Chunks are reused, so a queue in steady state allocates nothing.
type queue struct {
	last     Time
	n        int
	nonempty uint64 // bit i-1 set when buckets[i] (i >= 1) is non-empty
	mins     [65]Time
	buckets  [65]bucket
	free     *chunk // spare chunks, linked by next
}

// chunkLen fills a chunk to 4,088 bytes: one 4 KiB size class.
const chunkLen = 255

type chunk struct {
	next *chunk
	ev   [chunkLen]event
}

// bucket is a FIFO of events in chunks: head's events from headI on, then
// whole chunks, then tail's first tailN. Only bucket 0 is popped from the
// front; the others are emptied whole by refill.
type bucket struct {
	head, tail   *chunk
	headI, tailN int
	n            int
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
	k := &q.buckets[b]
	if k.tail == nil || k.tailN == chunkLen {
		c := q.chunk()
		if k.tail == nil {
			k.head, k.headI = c, 0
		} else {
			k.tail.next = c
		}
		k.tail, k.tailN = c, 0
	}
	k.tail.ev[k.tailN] = ev
	k.tailN++
	k.n++
}

func (q *queue) chunk() *chunk {
	c := q.free
	if c == nil {
		return new(chunk)
	}
	q.free, c.next = c.next, nil
	return c
}

func (q *queue) release(c *chunk) {
	c.next = q.free
	q.free = c
}

// minTime returns the time of the earliest event without changing the queue;
// q must not be empty. It must not refill: refilling moves last to the minimum,
// and a caller that only peeks (RunUntil stopping at a boundary) may still push
// events between now and that minimum.
func (q *queue) minTime() Time {
	if q.buckets[0].n > 0 {
		return q.last
	}
	return q.mins[bits.TrailingZeros64(q.nonempty)+1]
}

// pop removes and returns the earliest event; q must not be empty.
func (q *queue) pop() event {
	k := &q.buckets[0]
	if k.n == 0 {
		q.refill()
	}
	ev := k.head.ev[k.headI]
	k.headI++
	k.n--
	q.n--
	if k.headI == chunkLen && k.head != k.tail {
		c := k.head
		k.head, k.headI = c.next, 0
		q.release(c)
	}
	return ev
}

// refill moves the earliest events into bucket 0. It requires q.n > 0 and
// bucket 0 to be empty.
func (q *queue) refill() {
	z := &q.buckets[0]
	if z.tail != nil { // keep its one chunk, rewound
		z.head, z.headI, z.tailN = z.tail, 0, 0
	}
	i := bits.TrailingZeros64(q.nonempty) + 1
	q.nonempty &^= 1 << (i - 1)
	m := q.mins[i]
	q.last = m
	b := q.buckets[i]
	q.buckets[i] = bucket{}
	for c := b.head; c != nil; {
		end := chunkLen
		if c == b.tail {
			end = b.tailN
		}
		for _, ev := range c.ev[:end] { // buckets[i] never refills itself: every event moves strictly lower
			q.add(bits.Len64(uint64(ev.at^m)), ev)
		}
		next := c.next
		q.release(c) // free at once: lower buckets may take it during this refill
		c = next
	}
}
