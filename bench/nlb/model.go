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
	HCLoad           float64 // checker jobs offered per second (checks, flap and failover work)
	Failovers        int     // AZs removed from DNS
	Flaps            int     // targets leaving service, or returning to it
	Transitions      int     // target health transitions (as the checks see them)
	Removed          int     // units (targets) taken out of service
	InDNS            int     // AZs in DNS at T
}

// Totals are a run's NLB measures.
type Totals struct {
	ConnErrorShare  float64 // mean conn_error_rate over the run
	CapacityLostH   float64 // ∫ (1 − capacity fraction) dt, hours
	Failovers       int
	Flaps           int    // targets leaving service, or returning to it
	Transitions     int    // target health transitions
	Removed         int    // units removed
	VelocityRefused uint64 // removals the velocity control refused (retried at the next tick)
	FailOpenTicks   int    // ticks with every AZ unhealthy and failover on (DNS fails open)
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

	iv      Interval // accumulating
	ivTicks int
	jobs    uint64
	tot     Totals
	lastBad sim.Time
	errSum  float64
	nTicks  int

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
	m := &Model{cfg: cfg, sp: station, hooks: hooks, epoch: epoch, eng: sim.New(), meter: model.NewMeter(), lastBad: -1,
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
		q, err := backlog.New[model.Job](hooks.Queue, nil)
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

// register adds target i: the initial fleet is healthy and in service at
// once; a launch must pass its initial checks. Its checks start at a phase
// drawn within one interval.
func (m *Model) register(now sim.Time, i uint64) {
	t := &m.ts[i]
	t.registered = true
	if now == 0 {
		t.healthy, t.inService, t.served = true, true, true
	}
	m.eng.At(now+sim.Time(m.rngs[t.zone].Int64N(int64(m.cfg.Interval))), m.kCheck, i)
}

// check sends target i's next check to its AZ's checker.
func (m *Model) check(now sim.Time, i uint64) {
	m.eng.At(now+sim.Time(m.cfg.Interval), m.kCheck, i)
	m.offer(now, int(m.ts[i].zone), uint32(i))
}

// offer queues a job at zone z's checker.
func (m *Model) offer(now sim.Time, z int, client uint32) {
	m.jobs++
	m.meter.Interval.Attempts++
	if !m.gates[z].Admit(m.wall(now), m.checkers[z].Queued()) || !m.checkers[z].Enqueue(now, model.NewJob(now, client)) {
		m.meter.Interval.Rejected++
	}
	m.meter.Queue(m.checkers[z].Queued())
}

// work queues n jobs of flap or failover work at zone z's checker.
func (m *Model) work(now sim.Time, z, n int) {
	for range n {
		m.offer(now, z, workClient)
	}
}

// done ends a checker job; a check's result updates its target's health.
func (m *Model) done(now sim.Time, arg uint64) {
	z := int(model.StationOf(arg))
	j, svc, ok := m.checkers[z].Finish(now, arg)
	if !ok {
		return
	}
	delay := now - j.Queued()
	onTime := delay <= sim.Time(m.cfg.Timeout)
	m.meter.Served(delay, svc)
	m.meter.Judge(svc, onTime)
	m.gates[z].Left(m.wall(now), delay.Duration(), onTime)
	if j.Client == workClient {
		return
	}
	if !onTime {
		m.meter.Interval.TimedOut++
	}
	t := &m.ts[j.Client]
	pass := onTime && (now >= t.prop || m.rngs[z].Float64() < m.cfg.ReachBefore)
	was := t.healthy
	if pass {
		t.fail = 0
		t.succ = min(t.succ+1, 255)
		if t.succ >= uint8(m.cfg.HealthyThreshold) {
			t.healthy = true
		}
	} else {
		t.succ = 0
		t.fail = min(t.fail+1, 255)
		if t.fail >= uint8(m.cfg.UnhealthyThreshold) {
			t.healthy = false
		}
	}
	if t.healthy != was {
		m.iv.Transitions++
		m.tot.Transitions++
	}
}

// allow asks the velocity control to let units of capacity go, and logs the
// removal if it may.
func (m *Model) allow(now sim.Time, units, zone int) bool {
	if m.vel != nil && !m.vel.Allow(m.wall(now), units) {
		m.tot.VelocityRefused++
		return false
	}
	m.Removals = append(m.Removals, Removal{At: now, Units: units, Zone: zone})
	m.iv.Removed += units
	m.tot.Removed += units
	return true
}

// flap queues the work a target entering or leaving service costs at its
// AZ's checker, and counts it as a flap unless it is a new target's first
// entry.
func (m *Model) flap(now sim.Time, z int, count bool) {
	if count {
		m.iv.Flaps++
		m.tot.Flaps++
	}
	m.work(now, z, m.cfg.FlapWork)
}

// tick re-evaluates service and DNS and takes the measures.
func (m *Model) tick(now sim.Time, _ uint64) {
	m.eng.At(now+sim.Time(Tick), m.kTick, 0)
	off := m.cfg.failoverOff(model.Duration(now))
	clear(m.healthy)
	clear(m.reg)
	clear(m.inSvc)
	clear(m.reachSvc)
	clear(m.reachAll)
	for i := range m.ts {
		t := &m.ts[i]
		if !t.registered {
			continue
		}
		z := t.zone
		want := off || t.healthy
		if want && !t.inService {
			t.inService = true
			m.flap(now, int(z), t.served)
			t.served = true
		} else if !want && t.inService && m.allow(now, 1, -1) {
			t.inService = false
			m.flap(now, int(z), true)
		}
		reach := m.cfg.ReachBefore
		if now >= t.prop {
			reach = 1
		}
		m.reg[z]++
		m.reachAll[z] += reach
		if t.healthy {
			m.healthy[z]++
		}
		if t.inService {
			m.inSvc[z]++
			m.reachSvc[z] += reach
		}
	}
	// DNS: healthy AZs stay or return at once; an unhealthy one leaves if the
	// velocity control lets its targets go, unless every AZ is unhealthy
	// (fail-open) or failover is off.
	allBad := true
	for z := range m.inDNS {
		allBad = allBad && m.healthy[z] < m.cfg.MinHealthy
	}
	if allBad && !off {
		m.tot.FailOpenTicks++
	}
	for z := range m.inDNS {
		if !m.inDNS[z] && (off || allBad || m.healthy[z] >= m.cfg.MinHealthy) {
			m.inDNS[z] = true
			m.work(now, z, m.cfg.FailoverWork*m.reg[z])
		}
	}
	for z := range m.inDNS {
		if m.inDNS[z] && !off && !allBad && m.healthy[z] < m.cfg.MinHealthy && m.reg[z] > 0 && m.allow(now, m.reg[z], z) {
			m.inDNS[z] = false
			m.iv.Failovers++
			m.tot.Failovers++
			m.work(now, z, m.cfg.FailoverWork*m.reg[z])
		}
	}
	var mask uint64
	for z, in := range m.inDNS {
		if in {
			mask |= 1 << z
		}
	}
	m.pos = (m.pos + 1) % len(m.ring)
	m.ring[m.pos] = mask
	view := m.ring[(m.pos+1)%len(m.ring)] // the answer of one TTL ago
	m.measure(now, view)
	if m.onTick != nil {
		m.onTick(now, m.inDNS, m.healthy, off)
	}
}

// measure takes the tick's capacity fraction and connection error rate for
// clients resolving to the AZs in view.
func (m *Model) measure(now sim.Time, view uint64) {
	var zones, registered int
	for z := range m.inDNS {
		registered += m.reg[z]
	}
	load := m.cfg.Load * float64(registered)
	for z := range m.inDNS {
		if view&(1<<z) != 0 {
			zones++
		}
	}
	var capacity, lost float64
	for z := range m.inDNS {
		if view&(1<<z) == 0 {
			continue
		}
		routed, reach := m.inSvc[z], m.reachSvc[z]
		if m.healthy[z] < m.cfg.MinHealthy { // routing fail-open: every target of the AZ
			routed, reach = m.reg[z], m.reachAll[z]
		}
		capacity += reach
		lz := load / float64(zones)
		if routed == 0 {
			lost += lz
			continue
		}
		lost += lz - reach*min(lz/float64(routed), 1)
	}
	frac := capacity / float64(max(registered, 1))
	errRate := lost / load
	m.iv.CapacityFraction += frac
	m.iv.ConnErrorRate += errRate
	m.ivTicks++
	m.tot.CapacityLostH += (1 - frac) * time.Duration(Tick).Hours()
	m.errSum += errRate
	m.nTicks++
	if errRate > RestoredErrors {
		m.lastBad = now
	}
}

// act carries out intervention i: a restart of every checker drops its
// jobs (no result), a new admission control replaces each checker's.
func (m *Model) act(now sim.Time, i uint64) {
	iv := m.hooks.Interventions[i]
	for z := range m.checkers {
		if iv.Restart {
			m.meter.Interval.Dropped += uint64(m.checkers[z].Restart(now, nil))
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
		iv.ConnErrorRate /= float64(m.ivTicks)
	} else {
		iv.CapacityFraction, iv.ConnErrorRate = math.NaN(), math.NaN()
	}
	iv.HCLoad = float64(m.jobs) / dt.Seconds()
	for _, in := range m.inDNS {
		if in {
			iv.InDNS++
		}
	}
	s.Extra = [model.MaxExtra]float64{iv.CapacityFraction, iv.ConnErrorRate, iv.HCLoad, float64(iv.Failovers),
		float64(iv.Flaps), float64(iv.Removed), float64(iv.InDNS)}
	m.iv, m.ivTicks, m.jobs = Interval{}, 0, 0
	if m.OnInterval != nil {
		m.OnInterval(iv)
	}
	return s
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
	res.Refusals = model.CountRefusals(m.hooks, m.gates, m.checkers, m.tot.VelocityRefused)
	return res, nil
}

// Columns are the model's time-series columns beyond the kit's, the fields
// of Interval: nlb_capacity_fraction, conn_error_rate and hc_load (jobs per
// second), and the counts of AZ failovers, flaps and removed targets in the
// interval, and the AZs in DNS at its end.
func (m *Model) Columns() []string {
	return []string{"nlb_capacity_fraction", "conn_error_rate", "hc_load", "failovers", "flaps", "removed", "in_dns"}
}

// Metrics are the fields of Totals.
func (m *Model) Metrics() []model.Metric {
	t := m.Totals()
	return []model.Metric{{Name: "conn_error_share", Value: t.ConnErrorShare}, {Name: "capacity_lost_h", Value: t.CapacityLostH},
		{Name: "failovers", Value: float64(t.Failovers)}, {Name: "flaps", Value: float64(t.Flaps)},
		{Name: "removed", Value: float64(t.Removed)}, {Name: "velocity_refused", Value: float64(t.VelocityRefused)},
		{Name: "fail_open_ticks", Value: float64(t.FailOpenTicks)}}
}

var _ model.Extras = (*Model)(nil)

// Totals are the run's NLB measures so far.
func (m *Model) Totals() Totals {
	t := m.tot
	if m.nTicks > 0 {
		t.ConnErrorShare = m.errSum / float64(m.nTicks)
	}
	return t
}
