package attack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/live/record"
	"github.com/aftershock/aftershock/throttle"
)

// Recorder receives what an attack measures, from one goroutine.
type Recorder interface {
	Add(r *vegeta.Result) error
	Tick(t record.Tick) error
}

var _ Recorder = (*record.Writer)(nil)

// MaxDefaultWorkers caps the default worker pool. By default an attack has
// one worker per droplet of its shard: a droplet has at most one attempt in
// flight, and in a collapse nearly all of them wait out their timeout at
// once, so fewer workers would send late (and say so).
const MaxDefaultWorkers = 1 << 14

// LateAfter is how far behind its intended instant an attempt may be sent
// before it counts as late (see Outcome.KeptUp).
const LateAfter = 10 * time.Millisecond

// Config describes an attack.
type Config struct {
	Setup *live.Setup
	// Target is the service's base URL (http://127.0.0.1:PORT); attempts
	// POST Target/v1/lease?droplet=ID unless Targets says otherwise.
	Target string
	// Targets, when set, fills in droplet d's request (a targets file).
	Targets func(d int, t *vegeta.Target)
	// Clock: model time 0 and the time scale. A zero Start is the instant
	// Run starts.
	Clock live.Clock
	Shard live.Shard
	// Workers caps attempts in flight and connections (0: one per droplet
	// of the shard, at most MaxDefaultWorkers).
	Workers int
	// Pacer, when set, paces the first attempts instead of the surge: the
	// shard's droplets ask in order at its pace (elapsed from Clock.Start).
	Pacer vegeta.Pacer
	// Interval is the model time per Tick (0: the scenario's interval).
	Interval time.Duration
	// Until is the model time the attack ends at (0: the scenario's horizon).
	Until time.Duration
	// StopWhenLeased ends the attack early once every droplet of the shard
	// holds a lease again after the trigger (nothing more would be sent).
	StopWhenLeased bool
	// H2C sends over unencrypted HTTP/2 (prior knowledge), as loadgen serve
	// accepts: a timed-out attempt then resets its stream instead of closing
	// its connection, so a collapse does not turn into a storm of new
	// connections on the load host. Off: HTTP/1.1, one connection per
	// attempt in flight.
	H2C      bool
	Recorder Recorder // nil: nothing recorded
}

// Outcome is what an attack did.
type Outcome struct {
	Droplets int // the shard's droplets
	Asking   int // of which had to ask for a lease (the surge, or all with a pacer)
	Leased   int // holding a lease at the end

	Scheduled, Sent int64         // attempts due by the end / actually sent
	Late            int64         // sent more than LateAfter behind their intended instant
	MaxLag          time.Duration // the worst such lag (wall)
	Timeout         time.Duration // each attempt's timeout (wall)

	Attempts, First, Retries      int64
	OK, Refused, Failed, TimedOut int64
	PeakQueue                     int64 // -1: the target never reported its queue
	Recovered, Undefined          bool  // Undefined: a pacer's attack has no trigger to recover from
	Recovery, TriggerEnd, End     time.Duration
	Interrupted                   bool
	FirstLease, LastLease         time.Duration // model time of the first and last lease taken (-1: none)
}

// KeptUp reports whether the attacker kept to its schedule: at most 1% of
// its attempts sent over LateAfter late, and none later than a tenth of the
// attempt timeout (beyond which lateness moves outcomes).
func (o Outcome) KeptUp() bool { return o.Late*100 <= o.Sent && o.MaxLag <= o.Timeout/10 }

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
	prev  time.Duration // last backoff wait
}

type attempt struct {
	droplet  int
	first    bool
	intended time.Time
	seq      uint64
}

type outcome struct {
	a       attempt
	res     *vegeta.Result
	timeout bool
	queue   int64
	end     time.Time
}

// run is one attack's state, owned by Run's goroutine.
type run struct {
	c        Config
	set      *live.Setup
	clock    live.Clock
	epoch    time.Time
	client   *http.Client
	tr       *http.Transport
	timeout  time.Duration // wall
	drops    []droplet     // by droplet number (the fleet's; only the shard's are used)
	firstD   []int         // first attempts: droplets in order
	firstAt  []time.Duration
	next     int // next first attempt
	due      dueQueue
	rng      *rand.Rand
	surge    live.Surge
	pacer    bool
	retries  []throttle.RetryGate
	out      Outcome
	inflight int64
	queue    int64
	seq      uint64
	released int
	stopped  time.Duration // model time sending stopped (MaxInt64 while sending)
	err      error
}

// Run attacks until c.Until (model time), the end of the surge with
// StopWhenLeased, or ctx's end (an interrupt: nothing more is sent, attempts
// in flight finish or time out). Recorder errors end the attack and are
// returned.
func Run(ctx context.Context, c Config) (Outcome, error) {
	r, err := newRun(c)
	if err != nil {
		return Outcome{}, err
	}
	defer r.tr.CloseIdleConnections()
	return r.run(ctx)
}

func newRun(c Config) (*run, error) {
	if c.Setup == nil {
		return nil, fmt.Errorf("attack: no setup")
	}
	if err := live.CheckScale(c.Clock.Scale); err != nil {
		return nil, fmt.Errorf("attack: %w", err)
	}
	if c.Workers < 0 {
		return nil, fmt.Errorf("attack: workers %d below 0", c.Workers)
	}
	if c.Workers == 0 {
		c.Workers = min(max(1, c.Shard.Count(c.Setup.DWFM.Droplets)), MaxDefaultWorkers)
	}
	if c.Target == "" && c.Targets == nil {
		return nil, fmt.Errorf("attack: no target")
	}
	set := c.Setup
	if c.Interval <= 0 {
		c.Interval = time.Duration(set.Scenario.Interval)
	}
	if c.Until <= 0 {
		c.Until = set.Horizon()
	}
	if c.Clock.Start.IsZero() {
		c.Clock.Start = time.Now()
	}
	r := &run{c: c, set: set, clock: c.Clock, epoch: set.Scenario.Start,
		drops:   make([]droplet, set.DWFM.Droplets),
		timeout: c.Clock.Span(time.Duration(set.DWFM.EstablishTimeout)),
		rng:     rand.New(rand.NewPCG(set.Seed, uint64(c.Shard.I)<<32|uint64(c.Shard.N))),
		queue:   -1,
		stopped: math.MaxInt64,
	}
	if r.epoch.IsZero() {
		r.epoch = time.Unix(0, 0).UTC()
	}
	r.tr = &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxConnsPerHost:     c.Workers,
		MaxIdleConnsPerHost: c.Workers,
		MaxIdleConns:        c.Workers,
		DisableCompression:  true,
		IdleConnTimeout:     30 * time.Second,
	}
	if c.H2C {
		var p http.Protocols
		p.SetUnencryptedHTTP2(true)
		r.tr.Protocols = &p
	}
	r.client = &http.Client{Transport: r.tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r.out = Outcome{Droplets: c.Shard.Count(set.DWFM.Droplets), PeakQueue: -1, TriggerEnd: set.TriggerEnd(), FirstLease: -1, LastLease: -1,
		Timeout: r.timeout}
	if c.Pacer != nil {
		r.pacer = true
		for d := range set.DWFM.Droplets {
			if c.Shard.Has(d) {
				r.firstD = append(r.firstD, d)
			}
		}
		at := Schedule(c.Pacer, len(r.firstD))
		r.firstD = r.firstD[:len(at)]
		r.firstAt = make([]time.Duration, len(at))
		for k, w := range at {
			r.firstAt[k] = c.Clock.ModelSpan(w)
		}
		r.out.Undefined = true
	} else {
		r.surge = set.Surge(c.Shard)
		r.firstD, r.firstAt = r.surge.Droplet, r.surge.At
	}
	r.out.Asking = len(r.firstD)
	if set.Hooks.Retry != nil {
		r.retries = make([]throttle.RetryGate, set.Hosts())
		for h := range r.retries {
			r.retries[h] = set.Hooks.Retry(h)
		}
	}
	return r, nil
}

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
		if ok && at <= m {
			ch = work
			a = attempt{droplet: d, first: first, intended: r.clock.Wall(at), seq: r.seq}
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

// send makes one attempt (in a worker).
func (r *run) send(ctx context.Context, a attempt) outcome {
	name := record.Retry
	if a.first {
		name = record.First
	}
	res := &vegeta.Result{Attack: name, Seq: a.seq, Timestamp: a.intended}
	o := outcome{a: a, res: res, queue: -1}
	tgt := vegeta.Target{Method: http.MethodPost, URL: r.c.Target + "/v1/lease?droplet=" + strconv.Itoa(a.droplet)}
	if r.c.Targets != nil {
		r.c.Targets(a.droplet, &tgt)
	}
	res.Method, res.URL = tgt.Method, tgt.URL
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	req, err := request(ctx, &tgt)
	if err == nil {
		res.BytesOut = uint64(len(tgt.Body))
		var resp *http.Response
		if resp, err = r.client.Do(req); err == nil {
			var n int64
			n, err = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			res.BytesIn = uint64(n)
			res.Code = uint16(resp.StatusCode)
			if q, qerr := strconv.ParseInt(resp.Header.Get("X-Aftershock-Queue"), 10, 64); qerr == nil {
				o.queue = q
			}
			if err == nil && (res.Code < 200 || res.Code >= 400) {
				res.Error = resp.Status
			}
		}
	}
	o.end = time.Now()
	if err != nil {
		// Classify before stringifying: a timeout is Code 0, "timeout".
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded || errors.As(err, &ne) && ne.Timeout() {
			o.timeout = true
			res.Code = 0
			res.Error = "timeout: " + err.Error()
		} else if res.Error == "" {
			res.Error = err.Error()
		}
	}
	res.Latency = o.end.Sub(a.intended)
	return o
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
	m := r.clock.Model(o.end)
	h := r.set.Host(o.a.droplet)
	d.tries++
	switch {
	case o.timeout:
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
	case res.Code >= 200 && res.Code < 300:
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
	default:
		if res.Code == http.StatusTooManyRequests {
			r.out.Refused++
		} else {
			r.out.Failed++
		}
		r.recheck(o.a.droplet, m)
	}
}

// recheck ends the droplet's request: it asks again at a later check.
func (r *run) recheck(i int, m time.Duration) {
	d := &r.drops[i]
	d.state, d.tries, d.prev = pending, 0, 0
	r.due.push(due{at: r.set.Recheck(m, r.rng.Float64()), droplet: int32(i)})
}

// request is t as an HTTP request under ctx (vegeta's Target.Request, built
// with its context at once).
func request(ctx context.Context, t *vegeta.Target) (*http.Request, error) {
	var body io.Reader = http.NoBody
	if len(t.Body) > 0 {
		body = bytes.NewReader(t.Body)
	}
	req, err := http.NewRequestWithContext(ctx, t.Method, t.URL, body)
	if err != nil {
		return nil, err
	}
	for k, vs := range t.Header {
		req.Header[k] = vs
	}
	if host := t.Header.Get("Host"); host != "" {
		req.Host = host
	}
	return req, nil
}
