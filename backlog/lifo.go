package backlog

import "time"

// LIFO serves the newest item first: under overload the freshest requests,
// whose clients are still waiting, are served, and the old ones starve.
type LIFO[T Timed] struct{ q Deque[T] }

func (l *LIFO[T]) Push(_ time.Time, v T) bool { l.q.PushBack(v); return true }
func (l *LIFO[T]) Pop(time.Time) (T, bool)    { return l.q.PopBack() }
func (l *LIFO[T]) Len() int                   { return l.q.Len() }
func (l *LIFO[T]) Drain(drop func(T))         { drain(&l.q, drop) }

var _ Queue[Stamp] = (*LIFO[Stamp])(nil)
