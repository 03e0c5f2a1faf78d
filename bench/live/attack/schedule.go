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

func (r *run) run(ctx context.Context) (Outcome, error) {
	work := make(chan attempt)
	results := make(chan outcome, r.c.Workers)
	drain, cancelDrain := context.WithCancel(context.Background())
	defer cancelDrain()
	var wg sync.WaitGroup
	for range r.c.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range work {
				results <- r.send(drain, a)
			}
		}()
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	armed := time.Duration(-1) // the model time the timer is set for
	nextTick, lastTick := r.c.Interval, time.Duration(0)
	done := false
	for !done && r.err == nil {
		now := time.Now()
		m := r.clock.Model(now)
		for m >= nextTick && nextTick <= r.c.Until {
			r.tick(nextTick)
			lastTick = nextTick
			nextTick += r.c.Interval
		}
		if m >= r.c.Until || r.finished(m) {
			break
		}
		wake := min(nextTick, r.c.Until)
		var ch chan attempt
		var a attempt
		at, d, first, ok := r.peek()
		if ok && at <= m && r.clients != nil && !r.clients[r.set.Host(d)].Admit(r.epoch.Add(m), int(max(r.queue, 0))) {
			// The droplet's own client-side control says no: nothing is sent,
			// and it asks again at a later check.
			r.take(first)
			r.out.ClientRefused++
			r.recheck(d, m)
			continue
		}
		if ok && at <= m {
			ch = work
			a = attempt{droplet: d, first: first, held: r.drops[d].held, intended: r.clock.Wall(at), seq: r.seq}
		} else if ok {
			wake = min(wake, at)
		}
		if wake != armed {
			timer.Reset(max(0, r.clock.Wall(wake).Sub(now)))
			armed = wake
		}
		select {
		case ch <- a:
			r.take(first)
			r.seq++
			r.out.Sent++
			r.out.Scheduled++
			r.inflight++
			r.drops[d].state = inFlight
			if r.drops[d].tries == 0 && r.retries != nil {
				if o, ok := r.retries[r.set.Host(d)].(throttle.RequestObserver); ok {
					o.Request(r.epoch.Add(m))
				}
			}
			if lag := time.Since(a.intended); lag > LateAfter {
				r.out.Late++
				r.out.MaxLag = max(r.out.MaxLag, lag)
			}
		case o := <-results:
			r.handle(o)
		case <-timer.C:
			armed = -1
		case <-ctx.Done():
			r.out.Interrupted = true
			done = true
		}
	}
	// Stop sending; let what is in flight finish (each within its timeout).
	r.stopped = min(r.clock.Model(time.Now()), r.c.Until)
	close(work)
	go func() { wg.Wait(); close(results) }()
	for o := range results {
		r.handle(o)
	}
	// The attack ends when its last attempt has its answer (or timed out).
	// The last tick covers them all, on the interval grid so that shards'
	// rows line up.
	r.out.End = r.clock.Model(time.Now())
	iv := r.c.Interval
	r.tick(max((r.out.End+iv-1)/iv*iv, lastTick+iv))
	// Attempts due but never sent (an interrupt, or the end came first).
	r.out.Scheduled += int64(r.dueBy(r.stopped))
	r.out.Leased = r.leasedNow(r.out.End)
	r.judge()
	return r.out, r.err
}

// finished reports whether the attack has nothing left to do at model time
// m: with StopWhenLeased, every asking droplet is leased again (after the
// trigger, for the surge).
func (r *run) finished(m time.Duration) bool {
	return r.c.StopWhenLeased && r.next == len(r.firstAt) && r.released == len(r.firstD) && r.inflight == 0 && (r.pacer || m >= r.out.TriggerEnd)
}

func (r *run) dueBy(t time.Duration) int {
	n := r.due.dueBy(t)
	for k := r.next; k < len(r.firstAt) && r.firstAt[k] <= t; k++ {
		n++
	}
	return n
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
	t := record.Tick{At: at, Scheduled: r.out.Scheduled + int64(r.dueBy(min(at, r.stopped))), Sent: r.out.Sent,
		InFlight: r.inflight, Queued: r.queue}
	if r.out.Droplets > 0 {
		t.Leased = float64(r.leasedNow(at)) / float64(r.out.Droplets)
	} else {
		t.Leased = math.NaN()
	}
	if err := r.c.Recorder.Tick(t); err != nil {
		r.err = err
	}
}
