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
	_, err := model.Windows(c.Triggers, model.LoadSpike, model.CapacityCut, model.DependencyOutage)
	return err
}

// maxInFlight bounds the requests in flight (request ids are 24 bits in
// timer arguments). A var so tests can reach it quickly.
var maxInFlight = 1 << 24

// Healthy is the share of an interval's new requests that must succeed within
// it for the interval to count as recovered.
const Healthy = 0.9

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

	// The arrival rate in force until rateUntil (rateNow's result, cached:
	// it changes only at a schedule step or a spike's edge).
	rate0, rateUntil sim.Time
	rateVal          float64
	rateSet          bool
	// controlled: some control reads wall times; without one, the hot path
	// skips computing them.
	controlled bool

	kArrive, kRate, kRetry, kTimeout, kDone sim.Kind

	retryReq throttle.RequestObserver // retries, if it counts first attempts
	retryOK  throttle.SuccessObserver // retries, if it learns from successes

	retriesRefused uint64 // retries the retry gate refused
}

// NewModel validates cfg and builds a model with the policy's hooks (the zero
// Hooks: the scenario as written). The model has one station, number 0.
func NewModel(cfg Config, seed uint64, hooks model.Hooks) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ws, _ := model.Windows(cfg.Triggers, model.LoadSpike, model.CapacityCut, model.DependencyOutage)
	backoff, _ := cfg.Clients.RetryBackoff() // valid: checked above
	if hooks.Backoff != nil {
		backoff = *hooks.Backoff
	}
	tries := cfg.Clients.Attempts()
	if hooks.MaxAttempts > 0 {
		tries = hooks.MaxAttempts
	}
	m := &Model{cfg: cfg, steps: cfg.Clients.Steps(), backoff: backoff, tries: tries, patience: sim.Time(cfg.Clients.Timeout), windows: ws, hooks: hooks, epoch: time.Unix(0, 0),
		eng: sim.New(), rng: sim.Stream(seed, "clients"), meter: model.NewMeter(),
		gate: model.NewGate(model.AdmitterFor(hooks.Client, 0), model.AdmitterFor(hooks.Admit, 0))}
	if hooks.Retry != nil {
		m.retries = hooks.Retry(0)
		m.retryReq, _ = m.retries.(throttle.RequestObserver)
		m.retryOK, _ = m.retries.(throttle.SuccessObserver)
	}
	m.controlled = hooks.Client != nil || hooks.Admit != nil || hooks.Retry != nil
	for _, iv := range hooks.Interventions {
		m.controlled = m.controlled || iv.Admit != nil
	}
	m.kArrive = m.eng.Register(sim.HandlerFunc(m.arrive))
	m.kRate = m.eng.Register(sim.HandlerFunc(m.rate))
	m.kRetry = m.eng.Register(sim.HandlerFunc(m.retry))
	m.kTimeout = m.eng.Register(sim.HandlerFunc(m.timeout))
	m.kDone = m.eng.Register(sim.HandlerFunc(m.done))
	q, err := backlog.New[model.Job](hooks.Queue, m.dropped)
	if err != nil {
		return nil, fmt.Errorf("service: %w", err)
	}
	m.station = model.NewStation(&m.cfg.Service, 0, m.eng, m.kDone, sim.Stream(seed, "service"), q)
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
	res := model.Result{TriggerEnd: model.End(m.windows), Ideal: -1}
	m.schedule(0)
	var backlogAtEnd = -1
	stop := o.Stop
	o.Stop = func() bool { return m.full || (stop != nil && stop()) }
	res.Interrupted, res.End = model.Drive(m.eng, o, func(t, dt sim.Time) model.Sample {
		if backlogAtEnd < 0 && t >= res.TriggerEnd {
			backlogAtEnd = m.liveBacklog()
			res.Ideal = m.ideal(backlogAtEnd, res.TriggerEnd)
		}
		s := m.meter.Flush(t, dt, m.station.Queued(), -1, -1)
		if !res.Recovered && t-dt >= res.TriggerEnd && s.Good >= uint64(Healthy*float64(m.newInInt)) && m.newInInt > 0 {
			res.Recovered, res.Recovery = true, t-res.TriggerEnd
		}
		m.newInInt = 0
		return s
	})
	res.Events = m.eng.Fired()
	res.Finish(m.meter, m.requests)
	res.Refusals = model.CountRefusals(m.hooks, []model.Gate{m.gate}, []*model.Station{m.station}, m.retriesRefused)
	if m.full {
		r, _ := m.rateNow(m.fullAt)
		return res, fmt.Errorf("service: more than %d requests in flight at t=%v (arrivals at %g/s outrun the service, %g/s): run stopped", maxInFlight, m.fullAt, r, m.cfg.Service.Capacity())
	}
	return res, nil
}

// ideal is the least time any policy could need to clear the backlog live at
// the trigger's end with the capacity left over from new arrivals:
// backlog ÷ (capacity − offered rate). None (-1) when arrivals alone fill the
// capacity.
func (m *Model) ideal(backlog int, at sim.Time) sim.Time {
	r, _ := m.steps.RateAt(at)
	spare := m.cfg.Service.Capacity() - r
	if spare <= 0 {
		return -1
	}
	return sim.Time(float64(backlog) / spare * 1e9)
}

// liveBacklog counts requests still waiting for an answer.
func (m *Model) liveBacklog() int { return len(m.reqs) - len(m.free) }

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
	if m.retryReq != nil {
		m.retryReq.Request(m.wall(now))
	}
	m.send(now, id)
	m.schedule(now)
}

func (m *Model) send(now sim.Time, id uint32) {
	r := &m.reqs[id]
	r.gen++
	r.sent = now
	r.attempts++
	m.meter.Interval.Attempts++
	if _, out := model.Active(m.windows, model.DependencyOutage, now); out {
		m.meter.Interval.Rejected++
		m.fail(now, id, false)
		return
	}
	w := m.wall(now)
	if !m.gate.Admit(w, m.station.Queued()) {
		m.meter.Interval.Rejected++
		m.fail(now, id, false)
		return
	}
	if !m.station.Enqueue(now, model.NewJob(now, id)) {
		m.gate.Answered(w, 0, false)
		m.gate.Left(w, 0, false)
		m.meter.Interval.Rejected++
		m.fail(now, id, false)
		return
	}
	r.waiting = true
	m.meter.Queue(m.station.Queued())
	if m.patience > 0 {
		m.eng.At(now+m.patience, m.kTimeout, uint64(r.gen)<<24|uint64(id))
	}
}

// fail handles an attempt that failed or timed out: retry after the backoff
// if attempts remain and the retry gate allows, else give up.
func (m *Model) fail(now sim.Time, id uint32, timeout bool) {
	r := &m.reqs[id]
	if int(r.attempts) >= m.tries || m.retryRefused(now, timeout) {
		m.end(id)
		return
	}
	d := sim.Time(m.backoff.Delay(int(r.attempts), time.Duration(r.prev), m.rng))
	r.prev = d
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
	m.reqs[id].gen++ // any queued attempt is now stale
	m.reqs[id].sent = noLive
	m.free = append(m.free, id)
}

func (m *Model) retry(now sim.Time, arg uint64) { m.send(now, uint32(arg)) }

func (m *Model) timeout(now sim.Time, arg uint64) {
	id, gen := uint32(arg&(1<<24-1)), uint32(arg>>24)
	r := &m.reqs[id]
	if !r.live || r.gen != gen {
		return // answered already
	}
	m.meter.Interval.TimedOut++
	m.gate.Answered(m.wall(now), time.Duration(m.patience), false)
	r.gen++ // the queued attempt is stale from now on
	r.sent = noLive
	r.waiting = false
	m.fail(now, id, true)
}

func (m *Model) done(now sim.Time, arg uint64) {
	j, work, ok := m.station.Finish(now, arg)
	if !ok {
		return
	}
	r := &m.reqs[j.Client]
	q := j.Queued()
	good := r.live && r.sent == q
	m.meter.Complete(now-q, work, good)
	w, sojourn := m.wall(now), time.Duration(now-q)
	m.gate.Left(w, sojourn, good)
	if good {
		m.gate.Answered(w, sojourn, true)
		if m.retryOK != nil {
			m.retryOK.Success(w, r.attempts > 1)
		}
		m.end(j.Client)
	}
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
}
