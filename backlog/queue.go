package backlog

import (
	"fmt"
	"time"
)

// Timed is queued work that knows when it was queued.
type Timed interface {
	QueuedAt() time.Duration
}

// Queue is a queue discipline.
type Queue[T Timed] interface {
	// Push queues v at now; false means refused (the queue is full).
	Push(now time.Duration, v T) bool
	// Pop returns the next item to serve at now. Items the discipline drops
	// on the way go to its Drop function.
	Pop(now time.Duration) (v T, ok bool)
	// Len is the number of queued items.
	Len() int
	// Drain removes every item, handing each to drop (which may be nil).
	Drain(drop func(T))
}

// Drop receives items a discipline drops unworked. It may be nil.
type Drop[T any] func(T)

func (d Drop[T]) call(v T) {
	if d != nil {
		d(v)
	}
}

func drain[T any](q *Deque[T], drop func(T)) {
	for {
		v, ok := q.PopFront()
		if !ok {
			return
		}
		if drop != nil {
			drop(v)
		}
	}
}

// Kinds of discipline, as policy specs name them.
const (
	KindFIFO         = "fifo"
	KindLIFO         = "lifo"
	KindAdaptiveLIFO = "adaptive-lifo"
	KindCoDel        = "codel"
	KindDeadlineDrop = "deadline-drop"
	KindBounded      = "bounded"
)

// Config chooses and tunes a discipline.
type Config struct {
	Kind     string
	Target   time.Duration // codel: queueing time cap once a queue stands (M)
	Interval time.Duration // codel, adaptive-lifo: how long non-empty before the queue counts as standing (N)
	Timeout  time.Duration // deadline-drop: the clients' timeout
	Capacity int           // bounded
}

// Published defaults: Facebook's CoDel queue variant (N = 100 ms, M = 5 ms).
const (
	DefaultTarget   = 5 * time.Millisecond
	DefaultInterval = 100 * time.Millisecond
)

// New builds the discipline c describes; drop receives dropped items.
func New[T Timed](c Config, drop Drop[T]) (Queue[T], error) {
	switch c.Kind {
	case "", KindFIFO:
		return &FIFO[T]{}, nil
	case KindLIFO:
		return &LIFO[T]{}, nil
	case KindAdaptiveLIFO:
		if c.Interval <= 0 {
			return nil, fmt.Errorf("backlog: adaptive-lifo interval %v must be above 0", c.Interval)
		}
		return &AdaptiveLIFO[T]{Interval: c.Interval}, nil
	case KindCoDel:
		if c.Target <= 0 || c.Interval < c.Target {
			return nil, fmt.Errorf("backlog: codel target %v must be above 0 and at most interval %v", c.Target, c.Interval)
		}
		return &CoDel[T]{Target: c.Target, Interval: c.Interval, Drop: drop}, nil
	case KindDeadlineDrop:
		if c.Timeout <= 0 {
			return nil, fmt.Errorf("backlog: deadline-drop timeout %v must be above 0", c.Timeout)
		}
		return &DeadlineDrop[T]{Timeout: c.Timeout, Drop: drop}, nil
	case KindBounded:
		if c.Capacity < 1 {
			return nil, fmt.Errorf("backlog: bounded capacity %d below 1", c.Capacity)
		}
		return &Bounded[T]{Capacity: c.Capacity}, nil
	}
	return nil, fmt.Errorf("backlog: unknown discipline %q", c.Kind)
}
