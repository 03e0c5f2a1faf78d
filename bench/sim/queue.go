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
// bit count and one append to the bucket's tail. Pop takes from bucket 0; when it is empty, the
// lowest non-empty bucket (found from a bitmask) gives the new last (its
// minimum is kept up to date on push), and that bucket's events are
// redistributed into strictly lower buckets. Each event therefore moves at most
// 64 times, in practice a handful, through contiguous memory (1 KiB chunks),
// where a binary heap pays a cache miss per level at 10⁶ pending events.
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
// Chunks are reused, so a queue in steady state allocates nothing. Bucket 0,
// which only ever holds events tied at last, is a plain slice read from head0.
//
// Few events: while at most smallMax events pend (a service with a handful of
// workers, a DWFM host between outages), they sit in a small sorted array
// instead (small.go), where a push is a short insertion and a pop one load;
// the radix heap's bucket and chunk bookkeeping would cost more than the
// sorting it saves.
type queue struct {
	big      bool // the radix heap holds the events; else the small array
	sm       small
	last     Time
	n        int
	head0    int     // next index to pop in zero
	zero     []event // bucket 0
	nonempty uint64  // bit i-1 set when buckets[i] (i >= 1) is non-empty
	mins     [65]Time
	buckets  [65]bucket // buckets[0] unused
	free     *chunk     // spare chunks, linked by next
}

// chunkLen fills a chunk to 1,016 bytes (the 1 KiB size class): runs long
// enough for the hardware prefetcher when a refill streams a large bucket,
// and little held by a small engine, which keeps a partly filled chunk per
// live bucket: package dwfm runs one small engine per host, and 4 KiB chunks
// cost it 40 bytes a droplet more (us-east-1 under none at 10⁶ droplets: 354
// bytes a droplet of peak heap, 313 with 1 KiB chunks).
const chunkLen = 63

type chunk struct {
	next *chunk
	ev   [chunkLen]event
}

// bucket is a FIFO of events in chunks: whole chunks from head, then tail's
// first chunkLen-room. It is emptied whole, by refill. The zero bucket is
// empty: no chunk and no room, so one test (room == 0) covers both cases of
// add.
type bucket struct {
	head, tail *chunk
	room       int // free slots left in tail
}

func (q *queue) len() int { return q.n }

// push adds ev; ev.at must be >= q.last.
func (q *queue) push(ev event) {
	if !q.big {
		if q.n < smallMax {
			q.sm.push(ev)
			q.n++
			return
		}
		q.toRadix()
	}
	b := bits.Len64(uint64(ev.at ^ q.last))
	q.add(b, ev)
	q.n++
}

func (q *queue) add(b int, ev event) {
	if b == 0 {
		q.zero = append(q.zero, ev)
		return
	}
	bit := uint64(1) << (b - 1)
	if q.nonempty&bit == 0 || ev.at < q.mins[b] {
		q.mins[b] = ev.at
	}
	q.nonempty |= bit
	k := &q.buckets[b]
	if k.room == 0 {
		q.extend(k)
	}
	k.tail.ev[chunkLen-k.room] = ev
	k.room--
}

// extend gives k a fresh tail chunk. Kept out of line so that add inlines.
//
//go:noinline
func (q *queue) extend(k *bucket) {
	c := q.chunk()
	if k.tail == nil {
		k.head = c
	} else {
		k.tail.next = c
	}
	k.tail, k.room = c, chunkLen
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
	if !q.big {
		return q.sm.ev[q.sm.head].at
	}
	if q.head0 < len(q.zero) {
		return q.last
	}
	return q.mins[bits.TrailingZeros64(q.nonempty)+1]
}

// pop removes and returns the earliest event; q must not be empty.
func (q *queue) pop() event {
	if !q.big {
		ev := q.sm.pop()
		q.last = ev.at
		q.n--
		return ev
	}
	if q.head0 == len(q.zero) {
		q.refill()
	}
	ev := q.zero[q.head0]
	q.head0++
	q.n--
	if q.n <= smallMin {
		q.toSmall()
	}
	return ev
}

// refill moves the earliest events into bucket 0. It requires q.n > 0 and
// bucket 0 to be empty.
func (q *queue) refill() {
	q.zero = q.zero[:0]
	q.head0 = 0
	i := bits.TrailingZeros64(q.nonempty) + 1
	q.nonempty &^= 1 << (i - 1)
	m := q.mins[i]
	q.last = m
	b := q.buckets[i]
	q.buckets[i] = bucket{}
	for c := b.head; c != nil; {
		end := chunkLen
		if c == b.tail {
			end = chunkLen - b.room
		}
		for _, ev := range c.ev[:end] { // buckets[i] never refills itself: every event moves strictly lower
			// add, written out: this loop moves every event, several times.
			b := bits.Len64(uint64(ev.at ^ m))
			if b == 0 {
				q.zero = append(q.zero, ev)
				continue
			}
			bit := uint64(1) << (b - 1)
			if q.nonempty&bit == 0 || ev.at < q.mins[b] {
				q.mins[b] = ev.at
			}
			q.nonempty |= bit
			k := &q.buckets[b]
			if k.room == 0 {
				q.extend(k)
			}
			k.tail.ev[chunkLen-k.room] = ev
			k.room--
		}
		next := c.next
		q.release(c) // free at once: lower buckets may take it during this refill
		c = next
	}
}
