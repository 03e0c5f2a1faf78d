package sim

import "fmt"

// Kind names a registered Handler. At most 256 kinds per engine.
type Kind uint8

// MaxArg is the largest Arg an event can carry (56 bits).
const MaxArg = 1<<56 - 1

// Handler reacts to the events of one Kind. now is the event's time; arg is the
// Arg it was scheduled with. A handler may schedule further events at now or
// later.
type Handler interface {
	Fire(now Time, arg uint64)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(now Time, arg uint64)

// Fire calls f(now, arg).
func (f HandlerFunc) Fire(now Time, arg uint64) { f(now, arg) }

var _ Handler = HandlerFunc(nil)

// Engine runs events in time order. The zero value is an empty engine at
// time 0, ready to use; New returns one.
type Engine struct {
	q        queue
	lane     lane // events scheduled with Lane
	now      Time
	handlers []func(Time, uint64) // each Kind's Fire, called without interface dispatch
	fired    uint64
}

// New returns an empty engine at time 0.
func New() *Engine { return &Engine{} }

// Register adds h and returns the Kind that schedules it.
func (e *Engine) Register(h Handler) Kind {
	if len(e.handlers) == 256 {
		panic("sim: more than 256 handler kinds")
	}
	f, ok := h.(HandlerFunc)
	if !ok {
		f = h.Fire
	}
	e.handlers = append(e.handlers, f)
	return Kind(len(e.handlers) - 1)
}

// Now returns the time of the event being fired, or of the last one fired.
func (e *Engine) Now() Time { return e.now }

// Pending returns the number of scheduled events not yet fired.
func (e *Engine) Pending() int { return e.q.len() + e.lane.len() }

// Fired returns the number of events fired so far.
func (e *Engine) Fired() uint64 { return e.fired }

// At schedules kind with arg at time t, which must not be before Now.
func (e *Engine) At(t Time, kind Kind, arg uint64) {
	if t < e.now {
		panic(fmt.Sprintf("sim: event at %v scheduled at %v, in the past", t, e.now))
	}
	if arg > MaxArg {
		panic(fmt.Sprintf("sim: arg %#x exceeds 56 bits", arg))
	}
	e.q.push(event{at: t, data: uint64(kind)<<56 | arg})
}

// After schedules kind with arg at Now()+d.
func (e *Engine) After(d Time, kind Kind, arg uint64) { e.At(e.now+d, kind, arg) }

// Next returns the time of the earliest pending event, or Never.
func (e *Engine) Next() Time {
	next := Never
	if e.q.len() > 0 {
		next = e.q.minTime()
	}
	if e.lane.len() > 0 {
		next = min(next, e.lane.first().at)
	}
	return next
}

// Step fires the earliest pending event and reports whether there was one.
func (e *Engine) Step() bool {
	if e.lane.len() > 0 && (e.q.len() == 0 || e.lane.first().at < e.q.minTime()) {
		e.fire(e.lane.pop(&e.q))
		return true
	}
	if e.q.len() == 0 {
		return false
	}
	e.fire(e.q.pop())
	return true
}

// RunUntil fires every event at or before t, then sets Now to t.
func (e *Engine) RunUntil(t Time) {
	for {
		if e.q.len() > 0 {
			if m := e.q.minTime(); m <= t && (e.lane.len() == 0 || m <= e.lane.first().at) {
				e.fire(e.q.pop())
				continue
			}
		}
		if e.lane.len() > 0 && e.lane.first().at <= t {
			e.fire(e.lane.pop(&e.q))
			continue
		}
		break
	}
	if t > e.now {
		e.now = t
	}
}

func (e *Engine) fire(ev event) {
	e.now = ev.at
	e.fired++
	e.handlers[ev.data>>56](ev.at, ev.data&MaxArg)
}
