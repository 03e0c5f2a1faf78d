package attack

import (
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/bench/live/record"
	"github.com/aftershock/aftershock/throttle"
)

// droplet states
const (
	waiting  uint8 = iota // leased, or lapsed and not yet asking
	pending               // in the due queue
	inFlight              // an attempt is out
	leased                // leased again
)

type droplet struct {
	state uint8
	tries uint16
	held  bool          // holds a reservation: its next attempt redeems it
	prev  time.Duration // last backoff wait
}

type attempt struct {
	droplet  int
	first    bool
	held     bool // redeems a reservation (reserved=1)
	intended time.Time
	seq      uint64
}

type outcome struct {
	a       attempt
	res     *vegeta.Result
	queue   int64
	retryAt time.Duration // a reservation's due time (model), -1 none
	sent    time.Time     // when it reached the wire (got a connection); end if it never did
	end     time.Time
}

// handle takes a finished attempt: record it, and move its droplet on.
func (r *run) handle(o outcome) {
	r.inflight--
	res := o.res
	if r.c.Recorder != nil && r.err == nil {
		if err := r.c.Recorder.Add(res); err != nil {
			r.err = err
		}
	}
	r.out.Attempts++
	r.lateness(o)
	if o.a.first {
		r.out.First++
	} else {
		r.out.Retries++
	}
	if o.queue >= 0 {
		r.queue = o.queue
		r.out.PeakQueue = max(r.out.PeakQueue, o.queue)
	}
	d := &r.drops[o.a.droplet]
	d.held = false
	m := r.clock.Model(o.end)
	h := r.set.Host(o.a.droplet)
	// The droplet moves on as the files count the attempt: one rule
	// (record.OutcomeOf) for both.
	kind := record.OutcomeOf(res)
	if r.clients != nil { // the client-side control hears how its attempt ended
		r.clients[h].Answered(r.epoch.Add(m), r.clock.ModelSpan(res.Latency), kind == record.Good)
	}
	d.tries++
	switch {
	case kind == record.TimedOut:
		r.out.TimedOut++
		if mt := r.set.Hooks.MaxAttempts; (mt > 0 && int(d.tries) >= mt) || (r.retries != nil && !r.retries[h].Retry(r.epoch.Add(m), true)) {
			r.recheck(o.a.droplet, m)
			return
		}
		wait := time.Duration(0)
		if b := r.set.Hooks.Backoff; b != nil {
			wait = b.Delay(int(d.tries), d.prev, r.rng)
			d.prev = wait
		}
		d.state = pending
		r.due.push(due{at: m + wait, droplet: int32(o.a.droplet)})
	case kind == record.Good:
		r.out.OK++
		if r.retries != nil {
			if so, ok := r.retries[h].(throttle.SuccessObserver); ok {
				so.Success(r.epoch.Add(m), d.tries > 1)
			}
		}
		d.state, d.tries, d.prev = leased, 0, 0
		r.released++
		if r.out.FirstLease < 0 {
			r.out.FirstLease = m
		}
		r.out.LastLease = max(r.out.LastLease, m)
	case res.Code == http.StatusTooManyRequests && o.retryAt >= 0:
		// Refused with a booking (a Retry-After): ask again exactly then,
		// holding it, instead of at a later check.
		r.out.Refused++
		d.state, d.tries, d.prev, d.held = pending, 0, 0, true
		r.due.push(due{at: max(m, o.retryAt), droplet: int32(o.a.droplet)})
	default:
		if res.Code == http.StatusTooManyRequests {
			r.out.Refused++
		} else {
			r.out.Failed++
		}
		r.recheck(o.a.droplet, m)
	}
}

// lateness notes how late the attempt reached the wire: from its intended
// instant to when it got a connection, so that the time it spent inside
// the attacker (waiting for a worker, then for a connection from the pool)
// is lag, the load host's doing, and not the target's; an attempt that
// never got one was late by all of its time, and is counted in NoConn.
// Its latency still runs from the intended instant (no coordinated
// omission).
func (r *run) lateness(o outcome) {
	if o.sent.Equal(o.end) {
		r.out.NoConn++
	}
	lag := o.sent.Sub(o.a.intended)
	if lag > LateAfter {
		r.out.Late++
	}
	r.out.MaxLag = max(r.out.MaxLag, lag)
}

// recheck ends the droplet's request: it asks again at a later check.
func (r *run) recheck(i int, m time.Duration) {
	d := &r.drops[i]
	d.state, d.tries, d.prev = pending, 0, 0
	r.due.push(due{at: r.set.Recheck(m, r.rng.Float64()), droplet: int32(i)})
}
