package sim

import "fmt"

// lane is an engine's fixed-delay lane: a FIFO of events each scheduled the
// same delay after the instant it was scheduled at. Those instants never
// decrease, so the events are in time order as they arrive, and a plain FIFO
// keeps them: pushing and popping cost O(1), where the radix heap moves each
// event through several buckets. A model's timeouts are the typical use: in
// package dwfm they are nine events in ten.
//
// The FIFO is a list of the heap's chunks, drawn from and returned to the
// same free list, so the heap and the lane share their spare memory: a
// model's memory follows the events pending on both sides together, not the
// sum of each side's own peak. A lane in steady state allocates nothing.
type lane struct {
	delay Time
	on    bool
	b     bucket // the chunks; b.head's first pos events are spent
	pos   int
	n     int // events held
}

func (l *lane) len() int { return l.n }

// first is the earliest event; l must not be empty.
func (l *lane) first() *event { return &l.b.head.ev[l.pos] }

func (l *lane) push(q *queue, ev event) {
	k := &l.b
	if k.room == 0 {
		q.extend(k)
	}
	k.tail.ev[chunkLen-k.room] = ev
	k.room--
	l.n++
}

func (l *lane) pop(q *queue) event {
	ev := l.b.head.ev[l.pos]
	l.pos++
	l.n--
	switch {
	case l.pos == chunkLen: // the head chunk is spent
		c := l.b.head
		l.b.head, l.pos = c.next, 0
		if l.b.head == nil {
			l.b.tail, l.b.room = nil, 0
		}
		q.release(c)
	case l.n == 0: // empty with room in its one chunk: start it over
		l.pos, l.b.room = 0, chunkLen
	}
	return ev
}

// SetLaneDelay gives the engine a fixed-delay lane of delay d (above 0), for
// Lane. It must be called before the first Lane.
func (e *Engine) SetLaneDelay(d Time) {
	if d <= 0 {
		panic(fmt.Sprintf("sim: lane delay %v not above 0", d))
	}
	if e.lane.len() > 0 {
		panic("sim: lane delay changed while the lane holds events")
	}
	e.lane.delay, e.lane.on = d, true
}

// Lane schedules kind with arg at Now() plus the lane's delay (SetLaneDelay),
// in O(1). The tie-break differs from At's: an event scheduled through the lane
// fires after every event scheduled with At or After for the same instant,
// whenever those were scheduled (lane events among themselves fire in the
// order they were scheduled).
func (e *Engine) Lane(kind Kind, arg uint64) {
	if !e.lane.on {
		panic("sim: Lane without SetLaneDelay")
	}
	if arg > MaxArg {
		panic(fmt.Sprintf("sim: arg %#x exceeds 56 bits", arg))
	}
	e.lane.push(&e.q, event{at: e.now + e.lane.delay, data: uint64(kind)<<56 | arg})
}
