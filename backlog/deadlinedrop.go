package backlog

import "time"

// DeadlineDrop is FIFO that skips work whose client has given up: at dequeue,
// every item at least Timeout old is dropped unworked. Timeout is the clients'
// timeout, so no worker time goes to an answer nobody waits for.
type DeadlineDrop[T Timed] struct {
	Timeout time.Duration
	Drop    Drop[T]
	q       Deque[T]
}

func (d *DeadlineDrop[T]) Push(_ time.Time, v T) bool { d.q.PushBack(v); return true }

func (d *DeadlineDrop[T]) Pop(now time.Time) (T, bool) {
	for {
		v, ok := d.q.PopFront()
		if !ok || now.Sub(v.QueuedAt()) < d.Timeout {
			return v, ok
		}
		d.Drop.call(v)
	}
}

func (d *DeadlineDrop[T]) Len() int           { return d.q.Len() }
func (d *DeadlineDrop[T]) Drain(drop func(T)) { drain(&d.q, drop) }

var _ Queue[Stamp] = (*DeadlineDrop[Stamp])(nil)
