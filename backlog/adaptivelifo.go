package backlog

import "time"

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

var _ Queue[Stamp] = (*AdaptiveLIFO[Stamp])(nil)
