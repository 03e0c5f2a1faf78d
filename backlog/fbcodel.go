package backlog

import "time"

// FBCoDel is the queue variant of CoDel that Facebook describes ("Fail at
// scale", ACM Queue 13(8), 2015, https://queue.acm.org/detail.cfm?id=2839461):
// if the queue has not been empty for the last Interval (N, 100 ms), cap
// queueing time at Target (M, 5 ms) by dropping, at dequeue, every item older
// than that; otherwise let items wait up to Interval. A queue that drains
// regularly never drops; a standing queue sheds its oldest work fast.
//
// Its name, fb-codel in policy specs: Facebook calls it CoDel, and the prefix
// says whose CoDel it is. It is not RFC 8289's control law (see CoDel): there
// is no dropping state and no drop rate that grows with √count; it is a
// queueing-time cap with two levels, switched by whether the queue has
// stood. ("queue-timeout" would hide that switch.)
//
// Facebook's pseudocode gives each request its timeout when it is queued;
// here the cap is chosen at dequeue, by whether the queue stands then, and
// expired work is dropped only when a worker looks.
//
// Property (TestFBCoDelDropsOnlyWhenStanding): an item is dropped only when
// the queue has been non-empty for at least Interval. In the non-standing
// mode no item can be older than Interval: the queue has been non-empty since
// it was queued.
//
// The published defaults are for millisecond RPCs; a service whose work takes
// seconds needs both scaled up.
type FBCoDel[T Timed] struct {
	Target, Interval time.Duration
	Drop             Drop[T]
	q                Deque[T]
	s                standing
}

func (c *FBCoDel[T]) Push(now time.Time, v T) bool {
	c.s.push(now, c.q.Len())
	c.q.PushBack(v)
	return true
}

func (c *FBCoDel[T]) Pop(now time.Time) (T, bool) {
	limit := c.Interval
	if c.s.overloaded(now, c.Interval) {
		limit = c.Target
	}
	for {
		v, ok := c.q.PopFront()
		if !ok {
			c.s.popped(now, 0)
			return v, false
		}
		if now.Sub(v.QueuedAt()) > limit {
			c.Drop.call(v)
			continue
		}
		c.s.popped(now, c.q.Len())
		return v, true
	}
}

func (c *FBCoDel[T]) Len() int           { return c.q.Len() }
func (c *FBCoDel[T]) Drain(drop func(T)) { drain(&c.q, drop) }

var _ Queue[Stamp] = (*FBCoDel[Stamp])(nil)
