package backlog

import (
	"fmt"
	"time"
)

// Timed is queued work that knows when it was queued. QueuedAt and the now
// given to a Queue must share one clock; a discipline only compares them.
type Timed interface {
	QueuedAt() time.Time
}

// Queue is a queue discipline.
type Queue[T Timed] interface {
	// Push queues v at now; false means refused (the queue is full).
	Push(now time.Time, v T) bool
	// Pop returns the next item to serve at now. Items the discipline drops
	// on the way go to its Drop function.
	Pop(now time.Time) (v T, ok bool)
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
	KindFBCoDel      = "fb-codel"
	KindDeadlineDrop = "deadline-drop"
	KindBounded      = "bounded"
)

// Config chooses and tunes a discipline. The zero Config is FIFO.
type Config struct {
	Kind     string        // one of the Kind constants; "" means fifo
	Target   time.Duration // codel: sojourn time tolerated; fb-codel: queueing time cap once a queue stands (M); in (0, Interval]
	Interval time.Duration // codel: how long above Target before dropping; fb-codel, adaptive-lifo: how long non-empty before the queue counts as standing (N); > 0
	Timeout  time.Duration // deadline-drop: the clients' timeout; > 0
	Capacity int           // bounded: queued items at most; ≥ 1
}

// Published defaults: RFC 8289's target and interval, which Facebook's queue
// variant shares (M = 5 ms, N = 100 ms).
const (
	DefaultTarget   = 5 * time.Millisecond
	DefaultInterval = 100 * time.Millisecond
)

// Validate reports an unknown Kind or the first field that Kind uses out of
// range; fields the Kind does not use are not checked.
func (c Config) Validate() error {
	switch c.Kind {
	case "", KindFIFO, KindLIFO:
	case KindAdaptiveLIFO:
		if c.Interval <= 0 {
			return fmt.Errorf("backlog: adaptive-lifo interval %v must be above 0", c.Interval)
		}
	case KindCoDel, KindFBCoDel:
		if c.Target <= 0 {
			return fmt.Errorf("backlog: %s target %v must be above 0", c.Kind, c.Target)
		}
		if c.Interval < c.Target {
			return fmt.Errorf("backlog: %s interval %v below target %v", c.Kind, c.Interval, c.Target)
		}
	case KindDeadlineDrop:
		if c.Timeout <= 0 {
			return fmt.Errorf("backlog: deadline-drop timeout %v must be above 0", c.Timeout)
		}
	case KindBounded:
		if c.Capacity < 1 {
			return fmt.Errorf("backlog: bounded capacity %d below 1", c.Capacity)
		}
	default:
		return fmt.Errorf("backlog: unknown discipline %q", c.Kind)
	}
	return nil
}

// MayDrop reports whether the discipline c describes can drop or refuse
// work (codel, fb-codel, deadline-drop, bounded); the others only order it.
func (c Config) MayDrop() bool {
	switch c.Kind {
	case KindCoDel, KindFBCoDel, KindDeadlineDrop, KindBounded:
		return true
	}
	return false
}

// New builds the discipline c describes, or returns c.Validate's error; drop
// receives dropped items.
func New[T Timed](c Config, drop Drop[T]) (Queue[T], error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	switch c.Kind {
	case KindLIFO:
		return &LIFO[T]{}, nil
	case KindAdaptiveLIFO:
		return &AdaptiveLIFO[T]{Interval: c.Interval}, nil
	case KindCoDel:
		return &CoDel[T]{Target: c.Target, Interval: c.Interval, Drop: drop}, nil
	case KindFBCoDel:
		return &FBCoDel[T]{Target: c.Target, Interval: c.Interval, Drop: drop}, nil
	case KindDeadlineDrop:
		return &DeadlineDrop[T]{Timeout: c.Timeout, Drop: drop}, nil
	case KindBounded:
		return &Bounded[T]{Capacity: c.Capacity}, nil
	}
	return &FIFO[T]{}, nil
}

// Stamp is the simplest Timed item: just the instant it was queued, kept as
// nanoseconds since the Unix epoch (8 bytes, where a time.Time takes 24). An
// item that already holds a clock reading can convert it the same way.
type Stamp int64

// QueuedAt returns s as an instant: time.Unix(0, s).
func (s Stamp) QueuedAt() time.Time { return time.Unix(0, int64(s)) }
