package backlog

import "time"

// FIFO serves the oldest item first and drops nothing: the default, and the
// discipline that lets a collapsed service work through hours of doomed
// attempts before reaching a live one.
type FIFO[T Timed] struct{ q Deque[T] }

func (f *FIFO[T]) Push(_ time.Time, v T) bool { f.q.PushBack(v); return true }
func (f *FIFO[T]) Pop(time.Time) (T, bool)    { return f.q.PopFront() }
func (f *FIFO[T]) Len() int                   { return f.q.Len() }
func (f *FIFO[T]) Drain(drop func(T))         { drain(&f.q, drop) }

var _ Queue[Stamp] = (*FIFO[Stamp])(nil)
