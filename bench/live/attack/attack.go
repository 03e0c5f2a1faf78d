package attack

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/live/record"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/throttle"
)

// Recorder receives what an attack measures, from one goroutine.
type Recorder interface {
	Add(r *vegeta.Result) error
	Tick(t record.Tick) error
}

var _ Recorder = (*record.Writer)(nil)

// WorkerBytes is about what one worker holds while its attempt is in
// flight (its goroutine, a connection's buffers, the request, the body it
// keeps, up to MaxCapture): what an attack estimates for a pool grown as far
// as it may.
const WorkerBytes = 128 << 10

// LateAfter is how far behind its intended instant an attempt may be sent
// before it counts as late (see Outcome.KeptUp).
const LateAfter = 10 * time.Millisecond

// MaxBehind is the share of scheduled attempts that may be late or unsent
// in an attack that kept up (see Outcome.KeptUp).
const MaxBehind = 0.01

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
	// Workers is how many workers send attempts at the start (vegeta's
	// -workers; 0: vegeta.DefaultWorkers). The pool grows whenever attempts
	// are due and too few workers are free, one for each, up to MaxWorkers (vegeta's
	// -max-workers; 0: vegeta.DefaultMaxWorkers, no limit) and never beyond
	// the shard's droplets: a droplet has at most one attempt in flight.
	Workers, MaxWorkers uint64
	// HTTP is how the client speaks HTTP (nil: DefaultHTTP).
	HTTP *HTTP
	// Progress, when set, is called from Run's goroutine about every
	// ProgressEvery of wall time while the attack sends.
	Progress func(Status)
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
	// H2C sets HTTP.H2C (HTTP/2 without TLS), as loadgen serve accepts.
	H2C      bool
	Recorder Recorder // nil: nothing recorded
}

// Outcome is what an attack did.
type Outcome struct {
	Droplets int // the shard's droplets
	Asking   int // of which had to ask for a lease (the surge, or all with a pacer)
	Leased   int // holding a lease at the end

	// Scheduled: attempts due by the time sending stopped (the end, or an
	// interrupt) that the droplets' client-side control let through; each
	// was Sent to the target or, still waiting for a worker when sending
	// stopped, is Unsent, and has exactly one result (Invariant).
	// Sent counts those a worker took; each is late by the time from its
	// intended instant until it reached the wire (got a connection, or
	// began to make one): the wait for a worker and for a connection
	// (--max-connections) is the attacker's, not the target's.
	Scheduled, Sent, Unsent int64
	Late                    int64         // reached the wire more than LateAfter after their intended instant
	NoConn                  int64         // of the attempts sent, those that never got a connection (waited for one until they ended)
	MaxLag                  time.Duration // the worst lateness (wall): intended instant to the wire (an attempt that never got there: to its end), or for an unsent attempt to the stop
	Timeout                 time.Duration // each attempt's timeout (wall)

	Attempts, First, Retries      int64 // attempts sent and finished (each a result)
	Requests                      int64 // requests on the wire: one per attempt sent, unless a live part's transport wrapper (a client library's retry policy) sent more
	ClientRefused                 int64 // attempts the droplets' own client-side control did not send
	OK, Refused, Failed, TimedOut int64
	PeakQueue                     int64         // -1: the target never reported its queue
	Recovered, Undefined          bool          // Undefined: a pacer's attack has no trigger to recover from
	Recovery, TriggerEnd, End     time.Duration // End: when the last attempt ended (model time), the attack's last row
	Stopped                       time.Duration // model time sending stopped: the end (Until), or an interrupt
	Interrupted                   bool
	FirstLease, LastLease         time.Duration // model time of the first and last lease taken (-1: none)
}

// KeptUp reports whether the attacker kept to its schedule: of its
// scheduled attempts at most MaxBehind (1%) were late (on the wire more
// than LateAfter after their intended instant) or unsent, and none waited
// longer than a tenth of the attempt timeout (MaxLag: beyond it lateness
// moves outcomes, a late retry being a slower client). An attempt that
// never got a connection waited all its time. An attack with nothing
// scheduled kept up.
func (o Outcome) KeptUp() bool {
	return float64(o.Late+o.Unsent) <= MaxBehind*float64(o.Scheduled) && o.MaxLag <= o.Timeout/10
}

// MaxPool is the most workers the attack may grow to: MaxWorkers (0: no
// limit), and never more than the shard's droplets.
func (c Config) MaxPool() uint64 {
	n := uint64(max(1, c.Shard.Count(c.Setup.DWFM.Droplets)))
	if c.MaxWorkers > 0 {
		n = min(n, c.MaxWorkers)
	}
	return n
}

// Status is an attack's progress, for a progress line.
type Status struct {
	At                        time.Duration // model time
	Scheduled, Sent, InFlight int64
	Lag                       int64 // scheduled, not yet sent
	Workers                   uint64
}

// ProgressEvery is how often Run reports its Status.
const ProgressEvery = 250 * time.Millisecond

// run is one attack's state, owned by Run's goroutine.
type run struct {
	c        Config
	set      *live.Setup
	clock    live.Clock
	epoch    time.Time
	client   *http.Client
	byHost   []*http.Client // per host, through a live part's transport wrapper (nil: none)
	wire     atomic.Int64   // requests on the wire, counted below any wrapper
	tr       *http.Transport
	http     HTTP
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
	clients  []model.Gate // per host: the droplets' client-side control (nil: none)
	out      Outcome
	inflight int64
	queue    int64
	seq      uint64
	released int
	ready    ready // scheduled attempts waiting for a worker
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
	if err := NoDroplets(c.Shard, c.Setup.DWFM.Droplets); err != nil {
		return nil, fmt.Errorf("attack: %w", err)
	}
	h := DefaultHTTP
	if c.HTTP != nil {
		h = *c.HTTP
	}
	h.H2C = h.H2C || c.H2C
	if err := h.Check(); err != nil {
		return nil, err
	}
	c.MaxWorkers = c.MaxPool()
	if c.Workers == 0 {
		c.Workers = vegeta.DefaultWorkers
	}
	c.Workers = min(c.Workers, c.MaxWorkers)
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
	}
	if r.epoch.IsZero() {
		r.epoch = time.Unix(0, 0).UTC()
	}
	r.http = h
	r.client, r.tr = h.client()
	if wrap := set.Live.Client; wrap != nil {
		// The live part's wrapper sees each attempt as one RoundTrip and
		// may send more requests below it (a retry policy's own retries):
		// they are counted on the wire, each attempt still one result.
		base := counted{r.tr, &r.wire}
		r.byHost = make([]*http.Client, set.Hosts())
		for i := range r.byHost {
			c := *r.client
			c.Transport = wrap(policy.LiveHost{Index: i, Scale: r.clock.Scale})(base)
			r.byHost[i] = &c
		}
	} else {
		r.client.Transport = counted{r.tr, &r.wire}
	}
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
	if set.Hooks.Client != nil {
		r.clients = make([]model.Gate, set.Hosts())
		for h := range r.clients {
			r.clients[h] = model.NewGate(set.Hooks.Client(h), nil)
		}
	}
	if set.Hooks.Retry != nil {
		r.retries = make([]throttle.RetryGate, set.Hosts())
		for h := range r.retries {
			r.retries[h] = set.Hooks.Retry(h)
		}
	}
	return r, nil
}
