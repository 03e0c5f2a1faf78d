package nlb

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/throttle"
)

// target is one target's state.
type target struct {
	prop       sim.Time
	zone       uint8
	registered bool
	healthy    bool // as the NLB's checks see it
	inService  bool // routed to (unless its AZ fails open)
	served     bool // has been in service: its later entries are flaps
	succ, fail uint8
}

// targetBytes is a target's heap cost, for Cost.
const targetBytes = 24

// workClient marks a checker job that is flap or failover work, not a check.
const workClient = math.MaxUint32

// Removal is capacity taken out of service: Units targets at At, by a
// target turning unhealthy (Zone −1) or by an AZ leaving DNS.
type Removal struct {
	At    sim.Time
	Units int
	Zone  int
}

// Interval is what the model measured over one sample interval beyond the
// kit's Sample: the columns a cascade run will add to the time series.
type Interval struct {
	T                sim.Time
	CapacityFraction float64 // mean over the interval's ticks
	ConnErrorRate    float64 // mean over the interval's ticks: share of connections finding no healthy capacity
	// CapacityErrorRate is the part of ConnErrorRate the NLB's removals
	// cause: connections beyond the capacity of the targets it routes to in
	// the AZs clients resolve, as if every routed target were reachable (the
	// rest fail on targets whose network state has not propagated).
	CapacityErrorRate float64
	HCLoad            float64 // checker jobs offered per second (checks, flap and failover work)
	Failovers         int     // AZs removed from DNS
	Flaps             int     // targets leaving service, or returning to it
	Transitions       int     // target health transitions (as the checks see them)
	Removed           int     // units (targets) taken out of service
	InDNS             int     // AZs in DNS at T
}

// Totals are a run's NLB measures.
type Totals struct {
	ConnErrorShare float64 // mean conn_error_rate over the run
	// CapacityErrorShare is the mean capacity_error_rate over the run: the
	// part of ConnErrorShare the NLB's removals caused.
	CapacityErrorShare float64
	CapacityLostH      float64 // ∫ (1 − capacity fraction) dt, hours
	Failovers          int
	Flaps              int    // targets leaving service, or returning to it
	Transitions        int    // target health transitions
	Removed            int    // units removed
	VelocityRefused    uint64 // removals the velocity control refused (retried at the next tick)
	FailOpenTicks      int    // ticks with every AZ unhealthy and failover on (DNS fails open)
}

// Model is the NLB health-checking model.
type Model struct {
	cfg   Config
	sp    model.StationConfig
	hooks model.Hooks
	epoch time.Time

	eng      *sim.Engine
	checkers []*model.Station // one per AZ
	gates    []model.Gate
	rngs     []*rand.Rand
	ts       []target
	vel      *throttle.Velocity
	meter    *model.Meter
	initial  int
	start    sim.Time // the first launch after the initial fleet: recovery counts from it

	inDNS              []bool
	ring               []uint64 // DNS masks of the last TTL ÷ Tick ticks, for the clients' view
	pos                int
	healthy, reg       []int // per zone, this tick
	inSvc              []int
	reachSvc, reachAll []float64

	iv       Interval // accumulating
	ivTicks  int
	jobs     uint64
	tot      Totals
	lastBad  sim.Time
	firstBad sim.Time // the first tick above RestoredErrors; -1: none
	// firstCap and lastCap are the first and last ticks whose capacity error
	// rate is above RestoredErrors; -1: none.
	firstCap, lastCap sim.Time
	capSum            float64
	forcedOff         bool // an intervention has turned failover off
	errSum            float64
	nTicks            int

	// Removals logs every removal, for the velocity property.
	Removals []Removal
	// OnInterval, when set, is called once per sample interval.
	OnInterval func(Interval)
	// onTick, when set (tests), sees the DNS state and healthy counts after
	// every tick.
	onTick func(now sim.Time, inDNS []bool, healthy []int, off bool)

	kReg, kCheck, kDone, kTick, kAct sim.Kind
}

// New builds a standalone model: its targets are Schedule(cfg).
func New(cfg Config, station model.StationConfig, seed uint64, epoch time.Time, hooks model.Hooks) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return NewWithTargets(cfg, station, Schedule(cfg, sim.Stream(seed, "nlb/schedule")), seed, epoch, hooks)
}

// NewWithTargets builds the model on any schedule of targets (cfg's fleet
// and launch fields are then unused, its zones still count).
func NewWithTargets(cfg Config, station model.StationConfig, targets []Target, seed uint64, epoch time.Time, hooks model.Hooks) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := station.Validate(); err != nil {
		return nil, fmt.Errorf("nlb: checker: %w", err)
	}
	if station.Delay || station.QueueCapacity != 0 {
		return nil, fmt.Errorf("nlb: the checker has a queue and workers: delay_station and queue_capacity are for the generic model")
	}
	if len(targets) > MaxTargets {
		return nil, fmt.Errorf("nlb: %d targets, at most %d", len(targets), MaxTargets)
	}
	cfg = cfg.withDefaults()
	Z := cfg.Zones
	m := &Model{cfg: cfg, sp: station, hooks: hooks, epoch: epoch, eng: sim.New(), meter: model.NewMeter(), lastBad: -1, firstBad: -1, firstCap: -1, lastCap: -1,
		inDNS: make([]bool, Z), healthy: make([]int, Z), reg: make([]int, Z), inSvc: make([]int, Z),
		reachSvc: make([]float64, Z), reachAll: make([]float64, Z)}
	m.kReg = m.eng.Register(sim.HandlerFunc(m.register))
	m.kCheck = m.eng.Register(sim.HandlerFunc(m.check))
	m.kDone = m.eng.Register(sim.HandlerFunc(m.done))
	m.kTick = m.eng.Register(sim.HandlerFunc(m.tick))
	m.kAct = m.eng.Register(sim.HandlerFunc(m.act))
	m.checkers = make([]*model.Station, Z)
	m.gates = make([]model.Gate, Z)
	m.rngs = make([]*rand.Rand, Z)
	for z := range Z {
		m.rngs[z] = sim.Stream(seed, fmt.Sprintf("nlb/checker/%d", z))
		q, err := backlog.New[model.Job](hooks.Queue, m.dropper(z))
		if err != nil {
			return nil, fmt.Errorf("nlb: %w", err)
		}
		m.checkers[z] = model.NewStation(&m.sp, uint32(z), m.eng, m.kDone, m.rngs[z], q)
		m.gates[z] = model.NewGate(model.AdmitterFor(hooks.Client, z), model.AdmitterFor(hooks.Admit, z))
		m.inDNS[z] = true
	}
	m.ts = make([]target, len(targets))
	for i, t := range targets {
		if t.Zone < 0 || t.Zone >= Z || t.Launch < 0 || t.Propagated < t.Launch {
			return nil, fmt.Errorf("nlb: target %d: zone %d of %d, launch %v, propagated %v: want a zone in range and propagation at or after launch", i, t.Zone, Z, t.Launch, t.Propagated)
		}
		m.ts[i] = target{prop: t.Propagated, zone: uint8(t.Zone)}
		if t.Launch > 0 && (m.start == 0 || t.Launch < m.start) {
			m.start = t.Launch
		}
		if t.Launch == 0 {
			m.initial++
		}
		m.eng.At(t.Launch, m.kReg, uint64(i))
	}
	if m.initial == 0 {
		return nil, fmt.Errorf("nlb: no target launched at 0: the schedule needs an initial fleet")
	}
	if hooks.Velocity != nil {
		m.vel = hooks.Velocity(len(targets))
	}
	m.ring = make([]uint64, int(cfg.TTL/Tick)+1)
	for i := range m.ring {
		m.ring[i] = 1<<Z - 1
	}
	for i, iv := range hooks.Interventions {
		m.eng.At(iv.At, m.kAct, uint64(i))
	}
	m.eng.At(sim.Time(Tick), m.kTick, 0)
	return m, nil
}

func (m *Model) wall(t sim.Time) time.Time { return m.epoch.Add(t.Duration()) }

// act carries out intervention i: a failover switch turns automatic
// failover off or back on (off while the switch or the scenario's window
// says so), a restart of every checker drops its jobs (no result), a new
// admission control replaces each checker's.
func (m *Model) act(now sim.Time, i uint64) {
	iv := m.hooks.Interventions[i]
	switch iv.Failover {
	case model.FailoverOff:
		m.forcedOff = true
	case model.FailoverOn:
		m.forcedOff = false
	}
	for z := range m.checkers {
		if iv.Restart {
			m.checkers[z].Restart(now, m.dropper(z))
		}
		if iv.Admit != nil {
			m.gates[z].SetServer(iv.Admit(z))
		}
	}
}

func (m *Model) queued() int {
	n := 0
	for _, c := range m.checkers {
		n += c.Queued()
	}
	return n
}

func (m *Model) busy() int {
	n := 0
	for _, c := range m.checkers {
		n += c.Busy()
	}
	return n
}

func (m *Model) flush(t, dt sim.Time) model.Sample {
	s := m.meter.Flush(t, dt, m.queued(), -1, -1)
	s.Arrivals, s.InService = int64(m.jobs), m.busy()
	iv := m.iv
	iv.T = t
	if m.ivTicks > 0 {
		iv.CapacityFraction /= float64(m.ivTicks)
		iv.CapacityErrorRate /= float64(m.ivTicks)
		iv.ConnErrorRate /= float64(m.ivTicks)
	} else {
		iv.CapacityFraction, iv.ConnErrorRate, iv.CapacityErrorRate = math.NaN(), math.NaN(), math.NaN()
	}
	iv.HCLoad = float64(m.jobs) / dt.Seconds()
	for _, in := range m.inDNS {
		if in {
			iv.InDNS++
		}
	}
	s.Extra = [model.MaxExtra]float64{iv.CapacityFraction, iv.ConnErrorRate, iv.HCLoad, float64(iv.Failovers),
		float64(iv.Flaps), float64(iv.Removed), float64(iv.InDNS), iv.CapacityErrorRate}
	m.iv, m.ivTicks, m.jobs = Interval{}, 0, 0
	if m.OnInterval != nil {
		m.OnInterval(iv)
	}
	return s
}

// ErrorsFrom is the first tick whose connection error rate was above
// RestoredErrors (-1: none yet): the errors' start at the resolution of a
// tick, as the recovery's end is.
func (m *Model) ErrorsFrom() sim.Time { return m.firstBad }

// CapacityErrors are the first tick whose capacity error rate (the errors
// the NLB's removals cause, Interval.CapacityErrorRate) was above
// RestoredErrors and the end of the last one; -1, -1: none.
func (m *Model) CapacityErrors() (from, until sim.Time) {
	if m.firstCap < 0 {
		return -1, -1
	}
	return m.firstCap, m.lastCap + sim.Time(Tick)
}

// RestoredErrors is the connection error rate at or under which the NLB
// counts as restored (assumed: 1%, errors customers would barely notice).
const RestoredErrors = 0.01

// Run simulates to the horizon. Recovery counts from the first launch (the
// stage's trigger is the launches whose state has not propagated; it lasts
// as long as propagation does, so its start is the reference, reported as
// TriggerEnd) to the end of the last tick whose connection error rate was
// above RestoredErrors: the NLB is restored from then on. A run whose last
// tick is above it has not recovered. There is no ideal (-1). The
// retry-gate refusal count is the velocity control's.
func (m *Model) Run(o model.Options) (model.Result, error) {
	if o.Horizon <= 0 || o.Interval <= 0 {
		return model.Result{}, fmt.Errorf("nlb: horizon %v and interval %v must be above 0", o.Horizon, o.Interval)
	}
	res := model.Result{TriggerEnd: m.start, Ideal: -1}
	res.Interrupted, res.End = model.Drive(m.eng, o, m.flush)
	res.Recovered = res.End >= m.start && m.lastBad < res.End-sim.Time(Tick)
	if res.Recovered {
		res.Recovery = max(m.lastBad+sim.Time(Tick)-m.start, 0)
	}
	res.Events = m.eng.Fired()
	res.Finish(m.meter, m.meter.Total.Attempts)
	for _, c := range m.checkers {
		res.InFlight += uint64(c.Holding())
	}
	res.Refusals = model.CountRefusals(m.hooks, m.gates, m.checkers, m.tot.VelocityRefused)
	return res, nil
}
