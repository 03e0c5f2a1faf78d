package backlog

import "time"

// standing tracks whether a queue has been non-empty for a whole interval: the
// signal Facebook's CoDel variant and adaptive LIFO share.
type standing struct {
	lastEmpty time.Time // last instant the queue was seen empty
}

// push notes a push at now onto a queue of n items (before the push).
func (s *standing) push(now time.Time, n int) {
	if n == 0 {
		s.lastEmpty = now
	}
}

// popped notes that the queue holds n items after a pop at now.
func (s *standing) popped(now time.Time, n int) {
	if n == 0 {
		s.lastEmpty = now
	}
}

// overloaded reports whether the queue has been non-empty for longer than
// interval at now. Before the first push it may answer either way; with
// nothing queued the answer changes nothing.
func (s *standing) overloaded(now time.Time, interval time.Duration) bool {
	return now.Sub(s.lastEmpty) > interval
}

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

// AdaptiveLIFO serves FIFO while the queue drains regularly and switches to
// LIFO once it has been non-empty for Interval (a queue has formed), so that
// under overload the requests most likely to still have a waiting client go
// first (Facebook, "Fail at scale").
type AdaptiveLIFO[T Timed] struct {
	Interval time.Duration
	q        Deque[T]
	s        standing
}

func (a *AdaptiveLIFO[T]) Push(now time.Time, v T) bool {
	a.s.push(now, a.q.Len())
	a.q.PushBack(v)
	return true
}

func (a *AdaptiveLIFO[T]) Pop(now time.Time) (v T, ok bool) {
	if a.s.overloaded(now, a.Interval) {
		v, ok = a.q.PopBack()
	} else {
		v, ok = a.q.PopFront()
	}
	a.s.popped(now, a.q.Len())
	return v, ok
}

func (a *AdaptiveLIFO[T]) Len() int           { return a.q.Len() }
func (a *AdaptiveLIFO[T]) Drain(drop func(T)) { drain(&a.q, drop) }

var (
	_ Queue[Stamp] = (*FBCoDel[Stamp])(nil)
	_ Queue[Stamp] = (*AdaptiveLIFO[Stamp])(nil)
)
