package sim

import "math/bits"

// The small array: a queue's events while few pend (see queue).
//
// smallMax is the most events it holds: a push beyond moves them all to the
// radix heap. smallMin is the fewest the radix heap keeps: a pop down to it
// moves them back. The gap keeps a queue hovering near one bound from moving
// its events to and fro at every event; a move costs one push per event.
const (
	smallMax = 48
	smallMin = 12
	smallCap = 64 // > smallMax: compacting a full array leaves room
)

// small is a sorted array of events, earliest at head. Equal times keep their
// push order: an insertion goes after every event not later than it.
type small struct {
	ev         [smallCap]event
	head, tail int
}

// push inserts ev; it must hold fewer than smallMax events.
func (s *small) push(ev event) {
	if s.tail == smallCap {
		s.tail = copy(s.ev[:], s.ev[s.head:s.tail])
		s.head = 0
	}
	i := s.tail
	for i > s.head && s.ev[i-1].at > ev.at {
		s.ev[i] = s.ev[i-1]
		i--
	}
	s.ev[i] = ev
	s.tail++
}

// pop removes the earliest event; s must not be empty.
func (s *small) pop() event {
	ev := s.ev[s.head]
	s.head++
	if s.head == s.tail {
		s.head, s.tail = 0, 0
	}
	return ev
}

// toRadix moves the small array's events, in order, to the radix heap. They
// are all at or after q.last, the last time popped.
func (q *queue) toRadix() {
	q.big = true
	for _, ev := range q.sm.ev[q.sm.head:q.sm.tail] {
		q.add(bits.Len64(uint64(ev.at^q.last)), ev)
	}
	q.sm.head, q.sm.tail = 0, 0
}

// toSmall moves the radix heap's events, in order, to the small array. Popping
// them moves last on to the latest; it is put back, since events may still be
// pushed between it and the last time popped.
func (q *queue) toSmall() {
	last, n := q.last, q.n
	for range n {
		if q.head0 == len(q.zero) {
			q.refill()
		}
		q.sm.ev[q.sm.tail] = q.zero[q.head0]
		q.sm.tail++
		q.head0++
	}
	q.zero, q.head0 = q.zero[:0], 0
	q.last, q.big = last, false
}
