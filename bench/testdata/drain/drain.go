// Package drain is a tiny model written by following docs/contributing.md,
// "Adding a model", step by step; bench's TestAddAModel registers it and
// runs it end to end. It is test data (under testdata/, so ./... patterns
// skip it and no command offers it), not a model of anything that happened.
//
// The model: requests arrive as a Poisson stream at Rate per second to one
// station ([service]), and load-spike triggers multiply the rate while
// they last. Clients wait for their answer however long it takes: no
// timeout, no retry. The run has recovered when the station first holds
// nothing at or after the last spike's end; recovery is measured from that
// end. There is no ideal bound.
//
// Policies: the admission and client controls (one Gate) and the queue
// discipline act on the station. The retry roles do nothing (nobody
// retries) and interventions are ignored.
//
// Building: New(Config, model.Env). A Model belongs to one goroutine.
package drain

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// Config is the model: the arrival rate (a scenario's [clients] rate), the
// station ([service]) and the load spikes ([[trigger]]).
type Config struct {
	Rate     float64
	Service  model.StationConfig
	Triggers []model.TriggerConfig
}

// MaxRate bounds Rate, per second.
const MaxRate = 1e6

// Validate checks the rate, the station (a queue and workers) and that
// every trigger is a load spike.
func (c Config) Validate() error {
	if !(c.Rate > 0 && c.Rate <= MaxRate) {
		return fmt.Errorf("drain: rate %g outside (0, %g] per second", c.Rate, float64(MaxRate))
	}
	if err := c.Service.Validate(); err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	if c.Service.Delay || c.Service.QueueCapacity != 0 {
		return fmt.Errorf("drain: the station has a queue and workers: delay_station and queue_capacity are for the generic model")
	}
	if _, err := model.Windows(c.Triggers, model.LoadSpike); err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	return nil
}

// Cost estimates a run of horizon h, upper-bound-minded: every request
// arrives at the largest spike's rate, is queued and never served until
// the end (two events each, a Job each).
func (c Config) Cost(h model.Duration) model.Cost {
	factor := 1.0
	for _, t := range c.Triggers {
		factor = max(factor, t.Factor)
	}
	n := c.Rate * factor * time.Duration(h).Seconds()
	return model.Cost{Events: 2 * n, Bytes: n * model.JobBytes}
}

// Model is the drain model, ready to run once.
type Model struct {
	spikes []model.Window
	end    sim.Time // the last spike's end; 0 without one
	hooks  model.Hooks
	epoch  time.Time

	eng   *sim.Engine
	st    *model.Station
	gate  model.Gate
	rng   *rand.Rand
	meter *model.Meter
	rate  float64

	gen      uint64   // bumped at each spike edge: an arrival drawn before it is stale
	requests uint64   // arrivals so far
	arrived  int64    // in the current interval
	drained  sim.Time // the first instant at or after end with nothing held; -1: not yet

	kArrive, kEdge, kDone sim.Kind
}

// New validates cfg and builds the model under env: its seed, its epoch
// (handed to the controls) and the policy's hooks.
func New(cfg Config, env model.Env) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ws, _ := model.Windows(cfg.Triggers, model.LoadSpike) // valid: checked above
	m := &Model{spikes: ws, end: model.End(ws), hooks: env.Hooks, epoch: env.Start(), eng: sim.New(),
		rng: sim.Stream(env.Seed, "drain/arrivals"), meter: model.NewMeter(), rate: cfg.Rate, drained: -1,
		gate: model.NewGate(model.AdmitterFor(env.Hooks.Client, 0), model.AdmitterFor(env.Hooks.Admit, 0))}
	m.kArrive = m.eng.Register(sim.HandlerFunc(m.arrive))
	m.kEdge = m.eng.Register(sim.HandlerFunc(m.edge))
	m.kDone = m.eng.Register(sim.HandlerFunc(m.done))
	q, err := backlog.New[model.Job](env.Hooks.Queue, m.dropped)
	if err != nil {
		return nil, fmt.Errorf("drain: %w", err)
	}
	station := cfg.Service
	m.st = model.NewStation(&station, model.Completions{Engine: m.eng, Kind: m.kDone}, sim.Stream(env.Seed, "drain/service"), q)
	for _, w := range ws {
		m.eng.At(w.Start, m.kEdge, 0)
		m.eng.At(w.End, m.kEdge, 0)
	}
	m.next(0)
	return m, nil
}

// next schedules the arrival after now at the rate in force at now.
func (m *Model) next(now sim.Time) {
	rate := m.rate
	if w, ok := model.Active(m.spikes, model.LoadSpike, now); ok {
		rate *= w.Factor
	}
	m.eng.At(now+sim.Time(m.rng.ExpFloat64()/rate*1e9)+1, m.kArrive, m.gen)
}

func (m *Model) wall(t sim.Time) time.Time { return m.epoch.Add(t.Duration()) }

// edge is a spike's start or end: the arrival already drawn was drawn at
// the old rate, so it goes stale and one is drawn at the new (the stream is
// memoryless); at the last end, the station may already be empty.
func (m *Model) edge(now sim.Time, _ uint64) {
	m.gen++
	m.next(now)
	m.judge(now)
}

// arrive is a request's only attempt.
func (m *Model) arrive(now sim.Time, gen uint64) {
	if gen != m.gen {
		return
	}
	m.next(now)
	m.requests++
	m.arrived++
	m.meter.Interval.Attempts++
	if !m.gate.Admit(m.wall(now), m.st.Queued()) {
		m.meter.Interval.Rejected++
		return
	}
	if !m.st.Enqueue(now, model.NewJob(now, uint32(m.requests))) {
		m.meter.Interval.Rejected++
		m.gate.Left(m.wall(now), 0, false)
		m.gate.Answered(m.wall(now), 0, false)
	}
	m.meter.Queue(m.st.Queued())
}

// dropped is a queued attempt the discipline dropped.
func (m *Model) dropped(j model.Job) {
	now := m.eng.Now()
	m.meter.Interval.Dropped++
	m.gate.Left(m.wall(now), (now - j.Queued()).Duration(), false)
	m.gate.Answered(m.wall(now), (now - j.Queued()).Duration(), false)
}

// done is an attempt's completion: good, as its client waits for it.
func (m *Model) done(now sim.Time, arg uint64) {
	j, svc, ok := m.st.Finish(now, arg)
	if !ok {
		return
	}
	sojourn := now - j.Queued()
	m.meter.Complete(sojourn, svc, true)
	m.gate.Left(m.wall(now), sojourn.Duration(), true)
	m.gate.Answered(m.wall(now), sojourn.Duration(), true)
	m.judge(now)
}

// judge notes the first instant at or after the last spike's end with
// nothing held.
func (m *Model) judge(now sim.Time) {
	if m.drained < 0 && now >= m.end && m.st.Holding() == 0 {
		m.drained = now
	}
}

// Run simulates to o.Horizon and fills the Result, whose invariants
// (model.Result.Check) the runner then tests.
func (m *Model) Run(o model.Options) (model.Result, error) {
	if o.Horizon <= 0 || o.Interval <= 0 {
		return model.Result{}, fmt.Errorf("drain: horizon %v and interval %v must be above 0", o.Horizon, o.Interval)
	}
	res := model.Result{TriggerEnd: m.end, Ideal: -1}
	res.Interrupted, res.End = model.Drive(m.eng, o, m.flush)
	switch {
	case len(m.spikes) == 0:
		res.Undefined = true
	case m.drained >= 0:
		res.Recovered, res.Recovery = true, m.drained-m.end
	}
	res.Events = m.eng.Fired()
	res.Finish(m.meter, m.requests)
	res.InFlight = uint64(m.st.Holding())
	res.Refusals = model.CountRefusals(m.hooks, []model.Gate{m.gate}, []*model.Station{m.st}, 0)
	return res, nil
}

func (m *Model) flush(t, dt sim.Time) model.Sample {
	s := m.meter.Flush(t, dt, m.st.Queued(), -1, -1)
	s.Arrivals, s.InService = m.arrived, m.st.Busy()
	m.arrived = 0
	return s
}
