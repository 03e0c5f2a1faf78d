package backlog

import "time"

// Bounded is FIFO with a capacity: Push refuses when Capacity items wait.
type Bounded[T Timed] struct {
	Capacity int
	q        Deque[T]
}

func (b *Bounded[T]) Push(_ time.Time, v T) bool {
	if b.q.Len() >= b.Capacity {
		return false
	}
	b.q.PushBack(v)
	return true
}

func (b *Bounded[T]) Pop(time.Time) (T, bool) { return b.q.PopFront() }
func (b *Bounded[T]) Len() int                { return b.q.Len() }
func (b *Bounded[T]) Drain(drop func(T))      { drain(&b.q, drop) }

var _ Queue[Stamp] = (*Bounded[Stamp])(nil)
