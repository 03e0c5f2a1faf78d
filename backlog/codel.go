package backlog

import (
	"math"
	"time"
)

// CoDel is the Controlled Delay active queue management of RFC 8289
// (Nichols, Jacobson, McGregor, Iyengar, 2018,
// https://www.rfc-editor.org/rfc/rfc8289), as a queue discipline. It watches
// each item's sojourn time (now minus QueuedAt) as it is dequeued and drops at
// dequeue, following the RFC's pseudocode (its section 5):
//
//   - While the sojourn time is below Target (or at most one item is left
//     behind the one dequeued: the RFC's "bytes() <= maxpacket", with every
//     item one unit), nothing is dropped.
//   - Once it is at or above Target, a timer of one Interval starts; if every
//     item dequeued until the timer runs out is still above Target, the next
//     such item is dropped and the queue enters the dropping state.
//   - In the dropping state, the k-th drop is followed by the next one
//     Interval/√k later (the control law), measured from the previous drop's
//     scheduled instant; a long backlog may need several drops in one Pop.
//   - The dropping state ends at the first dequeue whose sojourn time is below
//     Target (or that finds the queue empty).
//   - Re-entering the dropping state soon after leaving it (the next drop
//     would have been due less than 16 Intervals ago) carries the drop count
//     over: count starts at the number of drops of the previous dropping
//     state, when that was more than one, instead of 1 (the Linux variant the
//     RFC adopts).
//
// The published defaults (DefaultTarget 5 ms, DefaultInterval 100 ms) are for
// packets on the Internet; a service whose work takes seconds needs both
// scaled up (a policy's "target=1x,interval=20x").
//
// Differences from the RFC: items have no size, so the maxpacket test counts
// items; the square root is exact (math.Sqrt), where the RFC and Linux use a
// Newton step on a fixed-point inverse square root; there is no ECN marking
// (a drop is the only signal). Time comes from the caller's now, on the
// items' clock.
//
// Properties (tests): no item is dropped with a sojourn below Target; none is
// dropped before the sojourn has stayed at or above Target, at every dequeue,
// for one Interval; the instants of successive drops in one dropping state
// are Interval/√1, Interval/√2, ... apart.
type CoDel[T Timed] struct {
	Target, Interval time.Duration
	Drop             Drop[T]
	q                Deque[T]

	above      bool      // the last dequeue saw a sojourn at or above Target
	firstAbove time.Time // when above: the instant from which dropping is allowed
	dropping   bool
	dropNext   time.Time // in the dropping state: when the next drop is due
	count      uint32    // drops in the current (or last) dropping state
	lastCount  uint32    // count when the current (or last) dropping state began
}

func (c *CoDel[T]) Push(_ time.Time, v T) bool { c.q.PushBack(v); return true }

// dequeue is the RFC's dodequeue: it takes the head item and reports whether
// the sojourn has been at or above Target for at least Interval.
func (c *CoDel[T]) dequeue(now time.Time) (v T, ok, okToDrop bool) {
	v, ok = c.q.PopFront()
	if !ok {
		c.above = false // an empty queue: we cannot be above target
		return v, false, false
	}
	if now.Sub(v.QueuedAt()) < c.Target || c.q.Len() <= 1 {
		c.above = false // went below: stay below for at least Interval
		return v, true, false
	}
	if !c.above {
		c.above = true
		c.firstAbove = now.Add(c.Interval)
		return v, true, false
	}
	return v, true, !now.Before(c.firstAbove)
}

// controlLaw is the instant of the next drop: t + Interval/√count.
func (c *CoDel[T]) controlLaw(t time.Time, count uint32) time.Time {
	return t.Add(time.Duration(float64(c.Interval) / math.Sqrt(float64(count))))
}

func (c *CoDel[T]) Pop(now time.Time) (T, bool) {
	v, ok, drop := c.dequeue(now)
	if c.dropping {
		if !drop {
			c.dropping = false // sojourn below target: leave the dropping state
		}
		for c.dropping && !now.Before(c.dropNext) {
			c.Drop.call(v)
			c.count++
			v, ok, drop = c.dequeue(now)
			if !drop {
				c.dropping = false
			} else {
				c.dropNext = c.controlLaw(c.dropNext, c.count)
			}
		}
	} else if drop {
		c.Drop.call(v)
		v, ok, _ = c.dequeue(now)
		c.dropping = true
		delta := c.count - c.lastCount
		c.count = 1
		if delta > 1 && now.Sub(c.dropNext) < 16*c.Interval {
			c.count = delta // back soon after leaving: resume near the old rate
		}
		c.dropNext = c.controlLaw(now, c.count)
		c.lastCount = c.count
	}
	return v, ok
}

func (c *CoDel[T]) Len() int           { return c.q.Len() }
func (c *CoDel[T]) Drain(drop func(T)) { drain(&c.q, drop) }

var _ Queue[Stamp] = (*CoDel[Stamp])(nil)
