package attack

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/aftershock/aftershock/bench/live/record"
	"github.com/aftershock/aftershock/throttle"
)

// leasedNow is the shard's droplets holding a lease at model time t.
func (r *run) leasedNow(t time.Duration) int {
	if r.pacer {
		return r.released
	}
	return r.out.Droplets - r.surge.Lapsed(t) + r.released
}

// peek is the next attempt due: a first attempt or one from the queue.
func (r *run) peek() (at time.Duration, d int, first, ok bool) {
	q, qok := r.due.peek()
	if r.next < len(r.firstAt) && (!qok || r.firstAt[r.next] <= q.at) {
		return r.firstAt[r.next], r.firstD[r.next], true, true
	}
	if qok {
		return q.at, int(q.droplet), false, true
	}
	return 0, 0, false, false
}

func (r *run) take(first bool) {
	if first {
		r.next++
	} else {
		r.due.pop()
	}
}

// admit schedules every attempt due by model time limit, in order of its
// due time: the droplet's own client-side control (asked at model time m)
// may refuse it, and then nothing is sent and it asks again at a later
// check; otherwise it is scheduled, numbered and waits for a worker in
// r.ready. Scheduled counts it at once, whether or not it is ever sent.
func (r *run) admit(limit, m time.Duration) {
	for {
		at, d, first, ok := r.peek()
		if !ok || at > limit {
			return
		}
		r.take(first)
		if r.clients != nil && !r.clients[r.set.Host(d)].Admit(r.epoch.Add(m), int(max(r.queue, 0))) {
			r.out.ClientRefused++
			r.recheck(d, m)
			continue
		}
		r.ready.push(attempt{droplet: d, first: first, held: r.drops[d].held, intended: r.clock.Wall(at), seq: r.seq})
		r.seq++
		r.out.Scheduled++
	}
}

// dispatched notes that a worker took the first ready attempt at model time
// m; how late it reached the wire is noted when it ends (lateness).
func (r *run) dispatched(m time.Duration) {
	a := r.ready.pop()
	r.out.Sent++
	r.inflight++
	r.drops[a.droplet].state = inFlight
	if r.drops[a.droplet].tries == 0 && r.retries != nil {
		if o, ok := r.retries[r.set.Host(a.droplet)].(throttle.RequestObserver); ok {
			o.Request(r.epoch.Add(m))
		}
	}
}

func (r *run) run(ctx context.Context) (Outcome, error) {
	work := make(chan attempt)
	results := make(chan outcome, 64)
	drain, cancelDrain := context.WithCancel(context.Background())
	defer cancelDrain()
	var (
		wg      sync.WaitGroup
		workers uint64
	)
	spawn := func() {
		workers++
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range work {
				results <- r.send(drain, a)
			}
		}()
	}
	for range r.c.Workers {
		spawn()
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	nextStatus := time.Now()
	armed := time.Duration(-1) // the model time the timer is set for
	nextTick, lastTick := r.c.Interval, time.Duration(0)
loop:
	for r.err == nil {
		now := time.Now()
		m := r.clock.Model(now)
		for m >= nextTick && nextTick <= r.c.Until {
			r.admit(nextTick, m) // a row counts every attempt due in it
			r.tick(nextTick)
			lastTick = nextTick
			nextTick += r.c.Interval
		}
		r.admit(min(m, r.c.Until), m)
		if r.finished(m) {
			break
		}
		var ch chan attempt
		var a attempt
		if r.ready.len() > 0 {
			ch, a = work, r.ready.peek()
			// Too few workers free for the attempts due (each worker has an
			// attempt in flight, or its outcome not yet handled): one more
			// for each attempt waiting, at once, so that a surge due at one
			// instant is not sent a spawn at a time.
			if idle := int64(workers) - r.inflight; int64(r.ready.len()) > idle {
				for n := min(uint64(int64(r.ready.len())-max(idle, 0)), r.c.MaxWorkers-workers); n > 0; n-- {
					spawn()
				}
			}
		}
		if r.c.Progress != nil && !now.Before(nextStatus) {
			r.c.Progress(Status{At: m, Scheduled: r.out.Scheduled, Sent: r.out.Sent, InFlight: r.inflight,
				Lag: int64(r.ready.len()), Workers: workers})
			nextStatus = now.Add(ProgressEvery)
		}
		if m >= r.c.Until {
			// The end: send what is due and not yet late while a worker is
			// free at once (a timer that woke a little after its attempt's
			// instant, at the very end), take the answers already in, then
			// stop. What is left is unsent.
			if ch != nil && time.Since(a.intended) > LateAfter {
				ch = nil
			}
			select {
			case ch <- a:
				r.dispatched(m)
			case o := <-results:
				r.handle(o)
			default:
				break loop
			}
			continue
		}
		wake := min(nextTick, r.c.Until)
		if at, _, _, ok := r.peek(); ok {
			wake = min(wake, at)
		}
		if r.c.Progress != nil { // a status line goes on while nothing is due
			wake = min(wake, r.clock.Model(nextStatus))
		}
		if wake != armed {
			timer.Reset(max(0, r.clock.Wall(wake).Sub(now)))
			armed = wake
		}
		select {
		case ch <- a:
			r.dispatched(m)
		case o := <-results:
			r.handle(o)
		case <-timer.C:
			armed = -1
		case <-ctx.Done():
			r.out.Interrupted = true
			break loop
		}
	}
	// Stop sending: what is due by now is scheduled, and what a worker has
	// not taken is never sent. Let what is in flight finish (each within
	// its timeout).
	stopped := min(r.clock.Model(time.Now()), r.c.Until)
	r.out.Stopped = stopped
	r.admit(stopped, stopped)
	close(work)
	go func() { wg.Wait(); close(results) }()
	// Rows go on, one per interval on the grid, while the attempts in
	// flight finish, so that shards' rows line up and none spans more than
	// an interval.
	timer.Reset(max(0, time.Until(r.clock.Wall(nextTick))))
	for drained := false; !drained; {
		select {
		case o, ok := <-results:
			if !ok {
				drained = true
				break
			}
			r.handle(o)
			// An answer may have asked for a retry due before the stop:
			// it is scheduled, and unsent.
			r.admit(stopped, stopped)
		case <-timer.C:
			for m := r.clock.Model(time.Now()); m >= nextTick; nextTick += r.c.Interval {
				r.tick(nextTick)
				lastTick = nextTick
			}
			timer.Reset(max(0, time.Until(r.clock.Wall(nextTick))))
		}
	}
	// The attack ends when its last attempt has its answer (or timed out);
	// the attempts never sent are recorded then. The last row ends there,
	// its span partial: at the end, to the millisecond a row's time is
	// written to (after the last row on the grid).
	endWall := time.Now()
	r.out.End = r.clock.Model(endWall)
	// The last answers and a grid time may come together (the timer's
	// tick not yet taken when the results closed): the grid's rows before
	// the end are written first, so that none spans more than an interval.
	for ; nextTick < r.out.End; nextTick += r.c.Interval {
		r.tick(nextTick)
		lastTick = nextTick
	}
	r.recordUnsent(endWall, r.clock.Wall(stopped))
	r.tick(max((r.out.End + time.Millisecond - 1).Truncate(time.Millisecond), lastTick+time.Millisecond))
	r.out.Leased = r.leasedNow(r.out.End)
	r.out.Requests = r.wire.Load()
	r.judge()
	return r.out, r.err
}

// finished reports whether the attack has nothing left to do at model time
// m: with StopWhenLeased, every asking droplet is leased again (after the
// trigger, for the surge).
func (r *run) finished(m time.Duration) bool {
	return r.c.StopWhenLeased && r.next == len(r.firstAt) && r.released == len(r.firstD) && r.inflight == 0 && r.ready.len() == 0 &&
		(r.pacer || m >= r.out.TriggerEnd)
}

// judge decides recovery: every droplet that had to ask holds a lease again,
// measured from the trigger's end (package dwfm's condition).
func (r *run) judge() {
	if r.pacer {
		return
	}
	if r.released == len(r.firstD) {
		r.out.Recovered = true
		r.out.Recovery = max(0, r.out.LastLease-r.out.TriggerEnd)
		if r.out.LastLease < 0 {
			r.out.Recovery = 0
		}
	}
}

func (r *run) tick(at time.Duration) {
	if r.c.Recorder == nil || r.err != nil {
		return
	}
	t := record.Tick{At: at, Scheduled: r.out.Scheduled, Sent: r.out.Sent, InFlight: r.inflight, Queued: r.queue}
	if r.out.Droplets > 0 {
		t.Leased = float64(r.leasedNow(at)) / float64(r.out.Droplets)
	} else {
		t.Leased = math.NaN()
	}
	if err := r.c.Recorder.Tick(t); err != nil {
		r.err = err
	}
}
