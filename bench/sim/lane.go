package sim

import "fmt"

// lane is an engine's fixed-delay lane: a FIFO of events each scheduled the
// same delay after the instant it was scheduled at. Those instants never
// decrease, so the events are in time order as they arrive, and a plain FIFO
// keeps them: pushing and popping cost O(1), where the radix heap moves each
// event through several buckets. A model's timeouts are the typical use: in
// package dwfm they are nine events in ten.
//
// The FIFO is a ring whose size is a power of two, doubled when full: its
// memory follows the most events the lane ever held at once, and a lane in
// steady state allocates nothing.
type lane struct {
	delay Time
	on    bool
	ev    []event // len(ev) is a power of two (or 0)
	head  int     // index of the earliest event
	n     int     // events held
}

func (l *lane) len() int { return l.n }

// first is the earliest event; l must not be empty.
func (l *lane) first() *event { return &l.ev[l.head] }

func (l *lane) push(ev event) {
	if l.n == len(l.ev) {
		l.grow()
	}
	l.ev[(l.head+l.n)&(len(l.ev)-1)] = ev
	l.n++
}

// grow doubles the ring, its events first in order. Kept out of line so that
// push inlines.
//
//go:noinline
func (l *lane) grow() {
	ev := make([]event, max(2*len(l.ev), 64))
	k := copy(ev, l.ev[l.head:])
	copy(ev[k:], l.ev[:l.head])
	l.ev, l.head = ev, 0
}

func (l *lane) pop() event {
	ev := l.ev[l.head]
	l.head = (l.head + 1) & (len(l.ev) - 1)
	l.n--
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
	e.lane.push(event{at: e.now + e.lane.delay, data: uint64(kind)<<56 | arg})
}
