package dnsrace

import (
	"fmt"
	"math/rand/v2"

	"github.com/aftershock/aftershock/bench/sim"
)

// Outage is a span during which the record is empty: [Start, End).
type Outage struct {
	Start, End sim.Time
}

// Stats counts what a race did, for tests and reports.
type Stats struct {
	Plans   int // plans the Planner produced
	Applies int // applies started (their check passed)
	Writes  int // record writes
	Stale   int // writes of a plan older than the one on the record (Racy only)
	Refused int // stale writes the compare-and-set refused (Fixed only)
	Empties int // times clean-up deleted the applied plan
}

// enactor phases.
const (
	idle    = iota // waiting for a plan newer than the applied one
	writing        // check passed; writes the record at at
	cleanup        // record written; runs clean-up at at
)

type enactor struct {
	rng   *rand.Rand
	phase int
	gen   int64    // the plan it applies
	at    sim.Time // its next step; unused when idle
}

// streams name the Enactors' random streams.
var streams = [Enactors]string{"dnsrace/enactor/0", "dnsrace/enactor/1", "dnsrace/enactor/2"}

// race is one run's state.
type race struct {
	c        Config
	interval sim.Time
	newest   int64 // the newest plan's generation
	applied  int64 // the generation on the record
	deleted  int64 // every generation below it has been deleted
	next     sim.Time
	en       [Enactors]enactor
	st       Stats
	observe  func(Event) // nil: no trace
}

func (r *race) emit(t sim.Time, k int, a Action, gen int64) {
	if r.observe == nil {
		return
	}
	applied := r.applied
	if a == Empty {
		applied = -1
	}
	r.observe(Event{T: t, Enactor: k, Action: a, Gen: gen, Applied: applied})
}

// Race runs the Planner and the Enactors from virtual time from to until
// with streams drawn from seed, and returns the outages whose start falls in
// [from, until) (an outage may end after until) and what the race did.
// Generation 0 is applied at from; the Planner produces generation g at
// from + g·PlanInterval (counting on across repairs).
func Race(c Config, seed uint64, from, until sim.Time) ([]Outage, Stats, error) {
	return Trace(c, seed, from, until, nil)
}

// Trace is Race calling observe with every step, in order (an outage's
// Repair is reported even when it falls after until).
func Trace(c Config, seed uint64, from, until sim.Time, observe func(Event)) ([]Outage, Stats, error) {
	if err := c.Validate(); err != nil {
		return nil, Stats{}, err
	}
	if until < from {
		return nil, Stats{}, fmt.Errorf("dnsrace: until %v before from %v", until, from)
	}
	if err := c.CheckSpan((until - from).Duration()); err != nil {
		return nil, Stats{}, err
	}
	r := &race{c: c, interval: sim.Time(c.PlanInterval), next: from + sim.Time(c.PlanInterval), observe: observe}
	for i := range r.en {
		r.en[i].rng = sim.Stream(seed, streams[i])
	}
	var out []Outage
	for {
		// The next step: the Planner first, then Enactors in order.
		i, t := -1, r.next
		for k := range r.en {
			if e := &r.en[k]; e.phase != idle && e.at < t {
				i, t = k, e.at
			}
		}
		if t >= until {
			return out, r.st, nil
		}
		if i < 0 {
			r.plan(t)
			continue
		}
		if !r.step(i, t) {
			continue
		}
		// The record is empty and updates are blocked until the repair.
		end := t + sim.Time(c.Repair)
		out = append(out, Outage{Start: t, End: end})
		r.repair(end)
	}
}

// plan produces the next generation; idle Enactors pick it up.
func (r *race) plan(now sim.Time) {
	r.newest++
	r.st.Plans++
	r.next += r.interval
	r.emit(now, -1, Plan, r.newest)
	for k := range r.en {
		if r.en[k].phase == idle {
			r.start(k, now)
		}
	}
}

// start begins an apply if the newest plan is newer than the applied one:
// the check, done once.
func (r *race) start(k int, now sim.Time) {
	e := &r.en[k]
	if r.newest <= r.applied {
		e.phase = idle
		return
	}
	e.phase, e.gen = writing, r.newest
	e.at = now + r.c.Delay.Sample(e.rng)
	r.st.Applies++
	r.emit(now, k, Check, e.gen)
}

// step runs Enactor k's pending step; it reports whether the record emptied.
func (r *race) step(k int, now sim.Time) bool {
	e := &r.en[k]
	if e.phase == writing {
		switch {
		case e.gen >= r.applied:
			r.applied = e.gen
			r.st.Writes++
			r.emit(now, k, Write, e.gen)
		case r.c.Variant == Fixed: // compare-and-set: a stale write is refused
			r.st.Refused++
			r.emit(now, k, Refused, e.gen)
		default: // the check was at the start only: the stale plan goes on
			r.applied = e.gen
			r.st.Writes++
			r.st.Stale++
			r.emit(now, k, Stale, e.gen)
		}
		e.phase = cleanup
		e.at = now + r.c.Delay.Sample(e.rng)
		return false
	}
	below := e.gen - int64(r.c.Cleanup)
	if r.c.Variant == Fixed {
		below = min(below, r.applied) // keeps the applied plan
	}
	was := r.deleted
	r.deleted = max(r.deleted, below)
	r.emit(now, k, Cleanup, r.deleted)
	if r.applied >= was && r.applied < r.deleted { // it deleted the applied plan
		r.st.Empties++
		r.emit(now, k, Empty, r.applied)
		return true
	}
	r.start(k, now)
	return false
}

// repair restores the record at end: operators apply the newest plan the
// Planner has produced by then, and the Enactors start afresh.
func (r *race) repair(end sim.Time) {
	if r.next <= end {
		n := int64((end-r.next)/r.interval) + 1
		r.newest += n
		r.st.Plans += int(n)
		r.next += sim.Time(n) * r.interval
	}
	r.applied = r.newest
	r.deleted = max(r.deleted, r.newest-int64(r.c.Cleanup))
	r.emit(end, -1, Repair, r.applied)
	for k := range r.en {
		r.en[k].phase = idle
	}
}
