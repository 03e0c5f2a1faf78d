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

// LIFO serves the newest item first: under overload the freshest requests,
// whose clients are still waiting, are served, and the old ones starve.
type LIFO[T Timed] struct{ q Deque[T] }

func (l *LIFO[T]) Push(_ time.Time, v T) bool { l.q.PushBack(v); return true }
func (l *LIFO[T]) Pop(time.Time) (T, bool)    { return l.q.PopBack() }
func (l *LIFO[T]) Len() int                   { return l.q.Len() }
func (l *LIFO[T]) Drain(drop func(T))         { drain(&l.q, drop) }

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

var (
	_ Queue[Stamp] = (*FIFO[Stamp])(nil)
	_ Queue[Stamp] = (*LIFO[Stamp])(nil)
	_ Queue[Stamp] = (*Bounded[Stamp])(nil)
)

// Stamp is the simplest Timed item: just the instant it was queued, kept as
// nanoseconds since the Unix epoch (8 bytes, where a time.Time takes 24). An
// item that already holds a clock reading can convert it the same way.
type Stamp int64

// QueuedAt returns s as an instant: time.Unix(0, s).
func (s Stamp) QueuedAt() time.Time { return time.Unix(0, int64(s)) }
