package service

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/throttle"
)

// Config describes a generic service under retries: the [clients], [service]
// and [[trigger]] sections of a scenario file.
type Config struct {
	Clients  ClientConfig
	Service  model.StationConfig
	Triggers []model.TriggerConfig
}

// Validate checks every section and that the triggers are of kinds this
// model supports.
func (c Config) Validate() error {
	if err := c.Clients.Validate(); err != nil {
		return err
	}
	if err := c.Service.Validate(); err != nil {
		return err
	}
	ws, err := model.Windows(c.Triggers, model.LoadSpike, model.CapacityCut, model.DependencyOutage)
	if err != nil {
		return err
	}
	for i, w := range ws {
		if c.Service.Delay && w.Kind == model.CapacityCut && w.Workers > 0 {
			return fmt.Errorf("service: trigger %d: a capacity-cut with workers %d on a delay station (it has no workers; cut with a factor)", i+1, w.Workers)
		}
	}
	return nil
}

// maxInFlight bounds the requests in flight (request ids are 24 bits in
// timer arguments). A var so tests can reach it quickly.
var maxInFlight = 1 << 24

// Healthy is the share of a recovery window's new requests that good
// completions must match for the window to count as healthy.
const Healthy = model.Healthy

// request is one client request in flight; its slot is reused when it ends.
// gen numbers its attempts and never restarts, even across reuse, so a stale
// timer can never match a later request in the same slot. sent is when its
// live attempt was queued, noLive when none is: a queued job is live when its
// instant matches (attempts of one slot are queued at distinct instants, and
// sent is reset whenever gen moves on).
type request struct {
	first    sim.Time // intended send time of the first attempt
	prev     sim.Time // the last backoff wait (decorrelated jitter needs it)
	sent     sim.Time
	gen      uint32
	attempts uint16
	live     bool
	waiting  bool // an attempt is queued or in service for it
	// With a network: an answer is travelling back (pending) for the work
	// its live attempt took.
	pending bool
	work    sim.Time
	out     sim.Time // when the live attempt was sent (with a network)
}

// noLive is a request's sent when it has no live attempt: no job is queued
// at a negative instant.
const noLive sim.Time = -1

// Model is the open-loop service-under-retries model.
type Model struct {
	cfg      Config
	steps    Schedule        // arrival rate over time
	backoff  backlog.Backoff // wait before a retry
	tries    int             // attempts per request
	patience sim.Time        // 0: clients never give up
	windows  []model.Window
	hooks    model.Hooks
	epoch    time.Time // wall time of virtual 0, for the controls

	eng      *sim.Engine
	station  *model.Station
	gate     model.Gate
	retries  throttle.RetryGate // nil: every retry allowed
	rng      *rand.Rand         // clients: arrivals, backoff
	meter    *model.Meter
	reqs     []request
	free     []uint32
	requests uint64   // unique requests so far
	full     bool     // maxInFlight reached: the run stops with an error
	fullAt   sim.Time // when
	newInInt uint64   // new requests in the current interval

	// Client and station features (zero: off).
	rttOut, rttBack model.Law // network delays each way
	network         bool      // either is set
	transit         uint64    // attempts on their way to the service
	retryDelay      model.Law // replaces the backoff
	orbitCap, orbit int       // cap on clients waiting to retry, and how many wait
	queueCap        int
	delay           *delayStation

	// Recovery.
	triggerEnd sim.Time
	sustained  *model.Sustained // nil without a trigger

	// The arrival rate in force until rateUntil (rateNow's result, cached:
	// it changes only at a schedule step or a spike's edge).
	rate0, rateUntil sim.Time
	rateVal          float64
	rateSet          bool
	// controlled: some control reads wall times; without one, the hot path
	// skips computing them.
	controlled bool

	kArrive, kRate, kRetry, kTimeout, kDone, kReach, kAnswer, kFailed sim.Kind

	retryReq throttle.RequestObserver // retries, if it counts first attempts
	retryOK  throttle.SuccessObserver // retries, if it learns from successes

	retriesRefused uint64 // retries the retry gate refused
}

// New validates cfg and builds the model under env: its seed, its epoch
// (handed to the controls) and the policy's hooks (the zero Hooks: the
// scenario as written). The model has one station, number 0.
func New(cfg Config, env model.Env) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	seed, hooks := env.Seed, env.Hooks
	ws, _ := model.Windows(cfg.Triggers, model.LoadSpike, model.CapacityCut, model.DependencyOutage)
	backoff, _ := cfg.Clients.RetryBackoff() // valid: checked above
	if hooks.Backoff != nil {
		backoff = *hooks.Backoff
	}
	tries := cfg.Clients.Attempts()
	if hooks.MaxAttempts > 0 {
		tries = hooks.MaxAttempts
	}
	m := &Model{cfg: cfg, steps: cfg.Clients.Steps(), backoff: backoff, tries: tries, patience: sim.Time(cfg.Clients.Timeout), windows: ws, hooks: hooks, epoch: env.Start(),
		eng: sim.New(), rng: sim.Stream(seed, "clients"), meter: model.NewMeter(),
		gate: model.NewGate(model.AdmitterFor(hooks.Client, 0), model.AdmitterFor(hooks.Admit, 0))}
	if hooks.Retry != nil {
		m.retries = hooks.Retry(0)
		m.retryReq, _ = m.retries.(throttle.RequestObserver)
		m.retryOK, _ = m.retries.(throttle.SuccessObserver)
	}
	c := cfg.Clients
	m.rttOut, m.rttBack, m.retryDelay = c.RTTOut.Law, c.RTTBack.Law, c.RetryDelay.Law
	if hooks.Backoff != nil {
		m.retryDelay = nil // the policy's backoff replaces the clients' own
	}
	m.network = m.rttOut != nil || m.rttBack != nil
	m.orbitCap, m.queueCap = c.OrbitCap, cfg.Service.QueueCapacity
	m.controlled = hooks.Client != nil || hooks.Admit != nil || hooks.Retry != nil
	for _, iv := range hooks.Interventions {
		m.controlled = m.controlled || iv.Admit != nil
	}
	m.kArrive = m.eng.Register(sim.HandlerFunc(m.arrive))
	m.kRate = m.eng.Register(sim.HandlerFunc(m.rate))
	m.kRetry = m.eng.Register(sim.HandlerFunc(m.retry))
	m.kTimeout = m.eng.Register(sim.HandlerFunc(m.timeout))
	m.kDone = m.eng.Register(sim.HandlerFunc(m.done))
	m.kReach = m.eng.Register(sim.HandlerFunc(m.reached))
	m.kAnswer = m.eng.Register(sim.HandlerFunc(m.answered))
	m.kFailed = m.eng.Register(sim.HandlerFunc(m.failed))
	q, err := backlog.New[model.Job](hooks.Queue, m.dropped)
	if err != nil {
		return nil, fmt.Errorf("service: %w", err)
	}
	m.station = model.NewStation(&m.cfg.Service, model.Completions{Engine: m.eng, Kind: m.kDone}, sim.Stream(seed, "service"), q)
	if cfg.Service.Delay {
		m.delay = newDelayStation(&m.cfg.Service, m.eng, m.eng.Register(sim.HandlerFunc(m.delayDone)), sim.Stream(seed, "service"))
	}
	kAct := m.eng.Register(sim.HandlerFunc(m.act))
	for i, iv := range hooks.Interventions {
		m.eng.At(iv.At, kAct, uint64(i))
	}
	kCap := m.eng.Register(sim.HandlerFunc(m.capacity))
	for _, w := range ws {
		if w.Kind == model.CapacityCut {
			m.eng.At(w.Start, kCap, 0)
			m.eng.At(w.End, kCap, 0)
		}
	}
	return m, nil
}

// Capacity is the nominal completions per second of the service.
func (m *Model) Capacity() float64 { return m.cfg.Service.Capacity() }

// Run simulates to o.Horizon and returns the result.
func (m *Model) Run(o model.Options) (model.Result, error) {
	if o.Horizon <= 0 || o.Interval <= 0 {
		return model.Result{}, fmt.Errorf("service: horizon %v and interval %v must be above 0", o.Horizon, o.Interval)
	}
	m.triggerEnd = model.End(m.windows)
	res := model.Result{TriggerEnd: m.triggerEnd, Ideal: -1, Undefined: len(m.windows) == 0}
	if !res.Undefined {
		m.sustained = model.NewSustained(m.triggerEnd, m.cfg.Clients.Window(o.Interval))
	}
	m.schedule(0)
	stop := o.Stop
	o.Stop = func() bool { return m.full || (stop != nil && stop()) }
	res.Interrupted, res.End = model.Drive(m.eng, o, func(t, dt sim.Time) model.Sample {
		s := m.meter.Flush(t, dt, m.station.Queued(), -1, -1)
		s.Arrivals, s.InService = int64(m.newInInt), m.station.Busy()
		if m.delay != nil {
			s.InService = m.delay.busy
		}
		m.newInInt = 0
		return s
	})
	if m.sustained != nil {
		r, v := m.sustained.Finish(res.End)
		res.Recovered, res.Undetermined = v == model.Recovered, v == model.Undetermined
		if res.Recovered {
			res.Recovery = r - m.triggerEnd
		}
		res.Ideal = m.ideal()
	}
	res.Events = m.eng.Fired()
	res.Finish(m.meter, m.requests)
	res.InFlight = uint64(m.station.Holding()) + m.transit
	if m.delay != nil {
		res.InFlight += uint64(m.delay.busy)
	}
	res.Refusals = model.CountRefusals(m.hooks, []model.Gate{m.gate}, []*model.Station{m.station}, m.retriesRefused)
	if m.full {
		r, _ := m.rateNow(m.fullAt)
		return res, fmt.Errorf("service: more than %d requests in flight at t=%v (arrivals at %g/s outrun the service, %g/s): run stopped", maxInFlight, m.fullAt, r, m.cfg.Service.Capacity())
	}
	return res, nil
}

// ideal is the least time after the trigger's end that any policy could need
// to recover: one recovery window, the first instant the recovery condition
// can hold (R is the end of a whole window after the trigger). Refusing a
// trigger's excess costs no time here, so a policy that sheds it (a bounded
// queue) is healthy from the trigger's end on and reaches this bound; a drain
// time for the excess would be beaten by such a policy. It is given whatever
// the load after the trigger: where no policy can recover (arrivals above
// what the station can answer well), no run recovers and there is no ratio
// to take, and the bound still holds.
func (m *Model) ideal() sim.Time { return m.sustained.Window() }

// rateNow is the arrival rate at t with load spikes applied, and when it next
// changes.
func (m *Model) rateNow(t sim.Time) (float64, sim.Time) {
	r, next := m.steps.RateAt(t)
	for _, w := range m.windows {
		if w.Kind != model.LoadSpike {
			continue
		}
		if t >= w.Start && t < w.End {
			r *= w.Factor
			next = min(next, w.End)
		} else if w.Start > t {
			next = min(next, w.Start)
		}
	}
	return r, next
}

// schedule draws the next arrival. Poisson arrivals are memoryless, so when a
// rate change comes first, stopping at it and drawing afresh is exact.
func (m *Model) schedule(now sim.Time) {
	if !m.rateSet || now >= m.rateUntil || now < m.rate0 {
		m.rateVal, m.rateUntil = m.rateNow(now)
		m.rate0, m.rateSet = now, true
	}
	r, next := m.rateVal, m.rateUntil
	if r > 0 {
		if t := now + sim.Time(m.rng.ExpFloat64()/r*1e9); t < next {
			m.eng.At(t, m.kArrive, 0)
			return
		}
	}
	if next != sim.Never {
		m.eng.At(next, m.kRate, 0)
	}
}

func (m *Model) rate(now sim.Time, _ uint64) { m.schedule(now) }

// wall is the wall time of now handed to the controls; the zero Time when no
// control reads it.
func (m *Model) wall(now sim.Time) time.Time {
	if !m.controlled {
		return time.Time{}
	}
	return m.epoch.Add(time.Duration(now))
}

func (m *Model) arrive(now sim.Time, _ uint64) {
	var id uint32
	if k := len(m.free); k > 0 {
		id = m.free[k-1]
		m.free = m.free[:k-1]
	} else {
		if len(m.reqs) >= maxInFlight {
			if !m.full {
				m.full, m.fullAt = true, now
			}
			return // arrivals stop; Run ends at the interval's end with an error
		}
		id = uint32(len(m.reqs))
		m.reqs = append(m.reqs, request{sent: noLive})
	}
	r := &m.reqs[id]
	r.first, r.attempts, r.prev, r.live = now, 0, 0, true
	m.requests++
	m.newInInt++
	if m.sustained != nil {
		m.sustained.Arrive(now)
	}
	if m.retryReq != nil {
		m.retryReq.Request(m.wall(now))
	}
	m.send(now, id)
	m.schedule(now)
}

// send sends an attempt of request id. Without a network it reaches the
// service at once; with one, after rtt_out, its timeout clock running from
// now.
func (m *Model) send(now sim.Time, id uint32) {
	r := &m.reqs[id]
	r.gen++
	r.sent = now
	r.attempts++
	m.meter.Interval.Attempts++
	if !m.network {
		m.reach(now, id, true)
		return
	}
	r.sent = noLive // not at the service yet
	r.waiting = true
	r.out = now
	arg := uint64(r.gen)<<24 | uint64(id)
	if m.patience > 0 {
		m.eng.At(now+m.patience, m.kTimeout, arg)
	}
	if d := sample(m.rttOut, m.rng); d > 0 {
		m.transit++
		m.eng.At(now+d, m.kReach, arg)
		return
	}
	m.reach(now, id, true)
}

// reached: an attempt arrives at the service over the network. One whose
// client gave up on the way is still served: the service cannot tell.
func (m *Model) reached(now sim.Time, arg uint64) {
	id, gen := uint32(arg&(1<<24-1)), uint32(arg>>24)
	r := &m.reqs[id]
	m.transit--
	m.reach(now, id, r.live && r.gen == gen)
}

// reach hands an attempt to the service: a dependency outage, the admission
// gate or a full queue fail it fast; else it is queued (or, on a delay
// station, served at once). live: its client still waits for it.
func (m *Model) reach(now sim.Time, id uint32, live bool) {
	r := &m.reqs[id]
	if _, out := model.Active(m.windows, model.DependencyOutage, now); out {
		m.reject(now, id, live)
		return
	}
	w := m.wall(now)
	if !m.gate.Admit(w, m.station.Queued()) {
		m.reject(now, id, live)
		return
	}
	j := model.NewJob(now, id)
	if m.delay != nil {
		m.delay.start(now, j)
	} else if (m.queueCap > 0 && m.station.Queued() >= m.queueCap) || !m.station.Enqueue(now, j) {
		m.gate.Answered(w, 0, false)
		m.gate.Left(w, 0, false)
		m.reject(now, id, live)
		return
	}
	if live {
		r.sent = now
		r.waiting = true
	}
	m.meter.Queue(m.station.Queued())
	if m.patience > 0 && !m.network {
		m.eng.At(now+m.patience, m.kTimeout, uint64(r.gen)<<24|uint64(id))
	}
}

// reject fails an attempt fast; its client hears at once, or after rtt_back.
func (m *Model) reject(now sim.Time, id uint32, live bool) {
	m.meter.Interval.Rejected++
	if !live {
		return
	}
	if !m.network {
		m.fail(now, id, false)
		return
	}
	r := &m.reqs[id]
	if d := sample(m.rttBack, m.rng); d > 0 {
		m.eng.At(now+d, m.kFailed, uint64(r.gen)<<24|uint64(id))
		return
	}
	m.failNow(now, id)
}

// failed: a fast failure's answer reaches its client.
func (m *Model) failed(now sim.Time, arg uint64) {
	id, gen := uint32(arg&(1<<24-1)), uint32(arg>>24)
	if r := &m.reqs[id]; r.live && r.gen == gen {
		m.failNow(now, id)
	}
}

// failNow fails request id's live attempt: its timeout timer goes stale.
func (m *Model) failNow(now sim.Time, id uint32) {
	r := &m.reqs[id]
	r.gen++
	r.sent = noLive
	r.waiting = false
	m.fail(now, id, false)
}

// sample draws from l; 0 when l is nil.
func sample(l model.Law, rng *rand.Rand) sim.Time {
	if l == nil {
		return 0
	}
	return l.Sample(rng)
}

// fail handles an attempt that failed or timed out: retry after the backoff
// if attempts remain, the retry gate allows and the orbit has room; else give
// up.
func (m *Model) fail(now sim.Time, id uint32, timeout bool) {
	r := &m.reqs[id]
	if int(r.attempts) >= m.tries || m.retryRefused(now, timeout) {
		m.end(id)
		return
	}
	if m.orbitCap > 0 && m.orbit >= m.orbitCap {
		m.meter.Interval.Abandoned++
		m.end(id)
		return
	}
	var d sim.Time
	if m.retryDelay != nil {
		d = m.retryDelay.Sample(m.rng)
	} else {
		d = sim.Time(m.backoff.Delay(int(r.attempts), time.Duration(r.prev), m.rng))
	}
	r.prev = d
	m.orbit++
	m.eng.At(now+d, m.kRetry, uint64(id))
}

// retryRefused asks the retry gate, if any, for a retry at now, and counts a
// refusal.
func (m *Model) retryRefused(now sim.Time, timeout bool) bool {
	if m.retries == nil || m.retries.Retry(m.wall(now), timeout) {
		return false
	}
	m.retriesRefused++
	return true
}

func (m *Model) end(id uint32) {
	m.reqs[id].live = false
	m.reqs[id].waiting = false
	m.reqs[id].pending = false
	m.reqs[id].gen++ // any queued attempt is now stale
	m.reqs[id].sent = noLive
	m.free = append(m.free, id)
}

func (m *Model) retry(now sim.Time, arg uint64) {
	m.orbit--
	m.send(now, uint32(arg))
}

func (m *Model) timeout(now sim.Time, arg uint64) {
	id, gen := uint32(arg&(1<<24-1)), uint32(arg>>24)
	r := &m.reqs[id]
	if !r.live || r.gen != gen {
		return // answered already
	}
	m.meter.Interval.TimedOut++
	if r.pending { // its answer is still on the way: the work was wasted
		m.meter.Judge(r.work, false)
		r.pending = false
	}
	m.gate.Answered(m.wall(now), time.Duration(m.patience), false)
	r.gen++ // the queued attempt is stale from now on
	r.sent = noLive
	r.waiting = false
	m.fail(now, id, true)
}

func (m *Model) done(now sim.Time, arg uint64) {
	j, work, ok := m.station.Finish(now, arg)
	if ok {
		m.finished(now, j, work)
	}
}

// finished: the service finished attempt j after work. Its answer reaches a
// live client at once, or after rtt_back (if the client has not given up by
// then).
func (m *Model) finished(now sim.Time, j model.Job, work sim.Time) {
	r := &m.reqs[j.Client]
	q := j.Queued()
	good := r.live && r.sent == q
	m.meter.Served(now-q, work)
	w, sojourn := m.wall(now), time.Duration(now-q)
	m.gate.Left(w, sojourn, good)
	if !good {
		m.meter.Judge(work, false)
		return
	}
	if d := sample(m.rttBack, m.rng); d > 0 {
		r.sent = noLive // out of the service; the answer is on its way
		r.pending, r.work = true, work
		m.eng.At(now+d, m.kAnswer, uint64(r.gen)<<24|uint64(j.Client))
		return
	}
	m.meter.Judge(work, true)
	m.succeed(now, j.Client, sojourn)
}

// answered: a finished attempt's answer reaches its client.
func (m *Model) answered(now sim.Time, arg uint64) {
	id, gen := uint32(arg&(1<<24-1)), uint32(arg>>24)
	r := &m.reqs[id]
	if !r.live || r.gen != gen || !r.pending {
		return // the client gave up first; judged wasted then
	}
	r.pending = false
	m.meter.Judge(r.work, true)
	m.succeed(now, id, time.Duration(now-r.out))
}

// succeed ends request id with a good answer at now, latency after its
// attempt was sent.
func (m *Model) succeed(now sim.Time, id uint32, latency time.Duration) {
	r := &m.reqs[id]
	w := m.wall(now)
	m.gate.Answered(w, latency, true)
	if m.retryOK != nil {
		m.retryOK.Success(w, r.attempts > 1)
	}
	if m.sustained != nil {
		m.sustained.Good(now, r.first)
	}
	m.end(id)
}

// dropped receives work the queue discipline or a restart dropped unworked.
// The server answers such an attempt with an error, so a live one fails fast
// and its client retries per its policy.
func (m *Model) dropped(j model.Job) {
	now := m.eng.Now()
	m.meter.Interval.Dropped++
	w, sojourn := m.wall(now), time.Duration(now-j.Queued())
	m.gate.Left(w, sojourn, false)
	if r := &m.reqs[j.Client]; r.live && r.sent == j.Queued() {
		m.gate.Answered(w, sojourn, false)
		r.gen++
		r.sent = noLive
		r.waiting = false
		m.fail(now, j.Client, false)
	}
}

// act carries out intervention k. A restart drops the station's queue and
// work in service; the clients' connections break and each live attempt fails
// fast.
func (m *Model) act(now sim.Time, k uint64) {
	iv := m.hooks.Interventions[k]
	if iv.Restart {
		m.station.Restart(now, m.dropped)
		if m.delay != nil {
			m.delay.restart(m.dropped)
		}
	}
	if iv.Admit != nil {
		m.gate.SetServer(iv.Admit(0))
	}
}

func (m *Model) capacity(now sim.Time, _ uint64) {
	workers, slow := m.cfg.Service.Workers, 1.0
	if w, ok := model.Active(m.windows, model.CapacityCut, now); ok {
		if w.Workers > 0 {
			workers = w.Workers
		}
		slow = w.Factor
	}
	m.station.SetCapacity(now, workers, slow)
	if m.delay != nil {
		m.delay.slow = slow
	}
}

func (m *Model) delayDone(now sim.Time, arg uint64) {
	if j, work, ok := m.delay.finish(now, arg); ok {
		m.finished(now, j, work)
	}
}
