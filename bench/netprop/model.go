package netprop

import (
	"fmt"
	"math"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// item is one unit of propagation work.
type item struct {
	born   sim.Time // first offered
	work   sim.Time // its base service time, drawn once
	launch bool
	done   bool
}

// itemBytes is an item's heap cost, for Cost.
const itemBytes = 24

// Interval is what the model measured over one sample interval, beyond the
// kit's Sample: the columns a cascade run will add to the time series.
type Interval struct {
	T        sim.Time
	Backlog  int     // items offered and not yet propagated
	P50, P99 float64 // propagation latency of the items finished in the interval, seconds; NaN: none
	Finished uint64  // items propagated in the interval
}

// Model is the Network Manager model.
type Model struct {
	cfg      Section
	sp       model.StationConfig
	hooks    model.Hooks
	epoch    time.Time
	surgeEnd sim.Time
	in       Input
	next     Event
	more     bool

	eng   *sim.Engine
	st    *model.Station
	gate  model.Gate
	items []item
	meter *model.Meter
	hist  *hdrhistogram.Histogram // this interval's latencies, µs

	outstanding  int
	arrived      int64    // new items this interval
	lastAbnormal sim.Time // completion of the last item slower than normal; -1: none
	retryAfter   sim.Time
	drawWork     func() sim.Time // the next item's base work
	end          sim.Time        // where the run ended
	peak         int             // largest backlog at a sample

	kArrive, kRetry, kDone, kAct sim.Kind

	// OnInterval, when set, is called once per sample interval.
	OnInterval func(Interval)
	// Output, when set, is called for every launch when its state has
	// propagated: the instance is reachable from propagated on.
	Output func(launched, propagated sim.Time)
}

// New validates cfg and builds the model under env: its seed, its epoch
// (handed to the controls) and the policy's hooks. Its input is cfg.Input,
// or else the section's own stream up to env.Horizon, which must then be
// set; either way its surge ends at cfg.NetProp.SurgeEnd.
func New(cfg Config, env model.Env) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	seed, hooks, pc := env.Seed, env.Hooks, cfg.NetProp
	in := cfg.Input
	if in == nil {
		if env.Horizon <= 0 {
			return nil, fmt.Errorf("netprop: horizon %v: a standalone run draws its input up to the run's horizon (model.Env.Horizon)", env.Horizon)
		}
		in = NewStream(pc, env.Horizon, sim.Stream(seed, "netprop/input"))
	}
	m := &Model{cfg: pc, sp: cfg.Service, hooks: hooks, epoch: env.Start(), surgeEnd: sim.Time(pc.SurgeEnd()), in: in,
		eng: sim.New(), meter: model.NewMeter(), lastAbnormal: -1, retryAfter: sim.Time(pc.retryAfter()),
		hist: hdrhistogram.New(1, 30*24*3600*1e6, 3)}
	if cfg.Input == nil { // room for the items expected, so offering one does not allocate
		m.items = make([]item, 0, int(min(pc.Items(model.Duration(env.Horizon))*1.05+64, 1<<24)))
	}
	m.kArrive = m.eng.Register(sim.HandlerFunc(m.arrive))
	m.kRetry = m.eng.Register(sim.HandlerFunc(m.retry))
	m.kDone = m.eng.Register(sim.HandlerFunc(m.finish))
	m.kAct = m.eng.Register(sim.HandlerFunc(m.act))
	q, err := backlog.New[model.Job](hooks.Queue, m.dropped)
	if err != nil {
		return nil, fmt.Errorf("netprop: %w", err)
	}
	m.st = model.NewStation(&m.sp, model.Completions{Engine: m.eng, Kind: m.kDone}, sim.Stream(seed, "netprop/station"), q)
	work := sim.Stream(seed, "netprop/work")
	m.st.SetWork(func(c uint32) sim.Time { return m.items[c].work })
	m.gate = model.NewGate(model.AdmitterFor(hooks.Client, 0), model.AdmitterFor(hooks.Admit, 0))
	m.drawWork = func() sim.Time { return m.sp.ServiceTime.Sample(work) }
	if m.next, m.more = in.Next(); m.more {
		m.eng.At(m.next.At, m.kArrive, 0)
	}
	for i, iv := range hooks.Interventions {
		m.eng.At(iv.At, m.kAct, uint64(i))
	}
	return m, nil
}

// SurgeEnd is when the held-back work has all been offered.
func (m *Model) SurgeEnd() sim.Time { return m.surgeEnd }

// Backlog is the items offered and not yet propagated.
func (m *Model) Backlog() int { return m.outstanding }

func (m *Model) wall(t sim.Time) time.Time { return m.epoch.Add(t.Duration()) }

// arrive offers the next item of the input and schedules the one after.
func (m *Model) arrive(now sim.Time, _ uint64) {
	if len(m.items) >= 1<<32-1 {
		panic("netprop: more than 2^32-1 items")
	}
	id := uint32(len(m.items))
	m.items = append(m.items, item{born: now, work: m.drawWork(), launch: m.next.Launch})
	m.outstanding++
	m.arrived++
	m.offer(now, id)
	if m.next, m.more = m.in.Next(); m.more {
		if m.next.At < now {
			panic(fmt.Sprintf("netprop: input out of order: %v after %v", m.next.At, now))
		}
		m.eng.At(m.next.At, m.kArrive, 0)
	}
}

func (m *Model) retry(now sim.Time, arg uint64) { m.offer(now, uint32(arg)) }

// offer runs item id through admission into the queue; refused, it is held
// back and offered again after retry_after.
func (m *Model) offer(now sim.Time, id uint32) {
	m.meter.Interval.Attempts++
	if !m.gate.Admit(m.wall(now), m.st.Queued()) {
		m.meter.Interval.Rejected++
		m.eng.At(now+m.retryAfter, m.kRetry, uint64(id))
		return
	}
	if !m.st.Enqueue(now, model.NewJob(now, id)) {
		m.meter.Interval.Rejected++
		m.gate.Left(m.wall(now), 0, false)
		m.eng.At(now+m.retryAfter, m.kRetry, uint64(id))
	}
	m.meter.Queue(m.st.Queued())
}

// dropped holds back an item the discipline or a restart dropped.
func (m *Model) dropped(j model.Job) {
	now := m.eng.Now()
	m.meter.Interval.Dropped++
	m.gate.Left(m.wall(now), (now - j.Queued()).Duration(), false)
	m.eng.At(now+m.retryAfter, m.kRetry, uint64(j.Client))
}

// finish ends an item's propagation.
func (m *Model) finish(now sim.Time, arg uint64) {
	j, svc, ok := m.st.Finish(now, arg)
	if !ok {
		return
	}
	it := &m.items[j.Client]
	it.done = true
	m.outstanding--
	lat := now - it.born
	m.meter.Served(lat, svc)
	m.meter.Judge(svc, true)
	m.gate.Left(m.wall(now), (now - j.Queued()).Duration(), true)
	_ = m.hist.RecordValue(max(int64(lat/1000), 1))
	if lat > sim.Time(m.cfg.Normal) {
		m.lastAbnormal = now
	}
	if it.launch && m.Output != nil {
		m.Output(it.born, now)
	}
}

// act carries out intervention i.
func (m *Model) act(now sim.Time, i uint64) {
	iv := m.hooks.Interventions[i]
	if iv.Restart {
		m.st.Restart(now, m.dropped)
	}
	if iv.Admit != nil {
		m.gate.SetServer(iv.Admit(0))
	}
}

var nan = math.NaN()

// Columns are the model's time-series columns beyond the kit's: the backlog
// at the end of the interval, and the median and 99th percentile of the
// propagation latency of the items finished in it (empty when none did).
func (m *Model) Columns() []string {
	return []string{"prop_backlog", "prop_latency_p50_s", "prop_latency_s"}
}

// Metrics are the run's measures beyond the kit's: the largest backlog at a
// sample, the items offered, and the offers refused (admission or a full
// queue; each refused item is offered again after retry_after).
func (m *Model) Metrics() []model.Metric {
	return []model.Metric{{Name: "peak_backlog", Value: float64(m.peak)}, {Name: "items", Value: float64(len(m.items))},
		{Name: "refused_offers", Value: float64(m.meter.Total.Rejected)}}
}

var _ model.Extras = (*Model)(nil)

// Run simulates to the horizon.
func (m *Model) Run(o model.Options) (model.Result, error) {
	if o.Horizon <= 0 || o.Interval <= 0 {
		return model.Result{}, fmt.Errorf("netprop: horizon %v and interval %v must be above 0", o.Horizon, o.Interval)
	}
	res := model.Result{TriggerEnd: m.surgeEnd}
	res.Interrupted, res.End = model.Drive(m.eng, o, m.flush)
	m.end = res.End
	res.Recovered, res.Recovery = m.recovery(res.End)
	res.Ideal = m.Ideal()
	res.Events = m.eng.Fired()
	res.Finish(m.meter, uint64(len(m.items)))
	res.InFlight = uint64(m.st.Holding())
	res.Refusals = model.CountRefusals(m.hooks, []model.Gate{m.gate}, []*model.Station{m.st}, 0)
	return res, nil
}

func (m *Model) flush(t, dt sim.Time) model.Sample {
	s := m.meter.Flush(t, dt, m.outstanding, -1, -1)
	s.Arrivals, s.InService = m.arrived, m.st.Busy()
	iv := Interval{T: t, Backlog: m.outstanding, P50: nan, P99: nan, Finished: s.Completed}
	if m.hist.TotalCount() > 0 {
		iv.P50 = float64(m.hist.ValueAtQuantile(50)) / 1e6
		iv.P99 = float64(m.hist.ValueAtQuantile(99)) / 1e6
		// Reset clears every bucket (about 300 KB): only after an
		// interval that recorded something, so a long quiet run at a
		// short interval costs nothing per sample.
		m.hist.Reset()
	}
	m.peak = max(m.peak, m.outstanding)
	s.Extra[0], s.Extra[1], s.Extra[2] = float64(iv.Backlog), iv.P50, iv.P99
	m.arrived = 0
	if m.OnInterval != nil {
		m.OnInterval(iv)
	}
	return s
}

// recovery judges the run at its end (see the package doc).
func (m *Model) recovery(end sim.Time) (bool, sim.Time) {
	if end < m.surgeEnd {
		return false, 0
	}
	for i := range m.items {
		it := &m.items[i]
		if it.done {
			continue
		}
		if it.born <= m.surgeEnd || end-it.born > sim.Time(m.cfg.Normal) {
			return false, 0
		}
	}
	return true, max(m.lastAbnormal, m.surgeEnd) - m.surgeEnd
}
