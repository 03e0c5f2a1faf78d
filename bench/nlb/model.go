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

// Interval is what the model measured over one sample interval beyond the
// kit's Sample: the columns a cascade run will add to the time series.
type Interval struct {
	T                sim.Time
	CapacityFraction float64 // mean over the interval's ticks
	ConnErrorRate    float64 // mean over the interval's ticks: share of connections finding no healthy capacity
	// CapacityErrorRate is the part of ConnErrorRate the NLB's removals
	// cause: connections beyond the capacity of the targets it routes to in
	// the AZs clients resolve, as if every routed target were reachable.
	CapacityErrorRate float64
	// UnpropagatedErrorRate is the rest of ConnErrorRate: connections that
	// fail on routed targets whose network state has not propagated (and
	// that the passive checks did not turn away).
	UnpropagatedErrorRate float64
	HCLoad                float64 // checker jobs offered per second (checks, flap and failover work)
	// Failovers is the AZ failovers begun: AZs wholly in DNS whose weight
	// started to leave it (the velocity control granted some; with none
	// they leave in the same tick), each counted once, at that tick.
	Failovers   int
	Flaps       int // targets leaving service, or returning to it
	Transitions int // target health transitions (as the checks see them)
	// Removed is the targets that left service; Drained the capacity AZ
	// failover drained from DNS, in targets (an AZ's routed targets times
	// the DNS weight it lost).
	Removed int
	Drained float64
	// InDNS is the AZs in DNS at T, a partly drained AZ counted by its DNS
	// weight (the share of its capacity still advertised).
	InDNS float64
	// KeptInDNS is the capacity AZ failover would have drained from DNS
	// and the velocity control kept in, target-hours over the interval;
	// KeptInService the same for single targets leaving service (only when
	// the control paces them too).
	KeptInDNS, KeptInService float64
}

// Totals are a run's NLB measures.
type Totals struct {
	// ConnErrorShare is the share of the connections offered over the
	// stage, from its first launch (from virtual 0 when nothing is
	// launched), that failed: conn_error_rate weighted by each tick's
	// connections (load × registered targets), not a mean over ticks.
	ConnErrorShare float64
	// CapacityErrorShare and UnpropagatedErrorShare are the same shares of
	// capacity_error_rate and unpropagated_error_rate: ConnErrorShare split
	// into what the NLB's removals caused and what unpropagated targets did.
	CapacityErrorShare, UnpropagatedErrorShare float64
	// CapacityLostTargetH is the registered capacity clients could not
	// reach, ∫ (registered − reachable targets in service in the AZs clients
	// resolve) dt, in target-hours.
	CapacityLostTargetH float64
	Failovers           int     // AZ failovers begun: weight leaving 1, counted once each
	FailoversCompleted  int     // AZs whose address left DNS entirely
	Flaps               int     // targets leaving service, or returning to it
	Transitions         int     // target health transitions
	Removed             int     // targets that left service
	Drained             float64 // capacity AZ failover drained from DNS, targets
	// KeptInDNS and KeptInService are Interval's over the run,
	// target-hours; VelocityCuts the removals the control cut short (an AZ
	// at a tick, or a target), reported as the run's retry-gate refusals.
	KeptInDNS, KeptInService float64
	VelocityCuts             uint64
	FailOpenTicks            int // ticks with every AZ unhealthy and failover on (DNS fails open)
}

// Model is the NLB health-checking model.
type Model struct {
	cfg   Section
	sp    model.StationConfig
	hooks model.Hooks
	epoch time.Time

	eng      *sim.Engine
	checkers []*model.Station // one per AZ
	gates    []model.Gate
	rngs     []*rand.Rand
	ts       []target
	vel      *throttle.CapacityVelocity // nil: removals are not paced
	velT     bool                       // vel paces single targets too
	meter    *model.Meter
	initial  int
	start    sim.Time // the stage's start (the first launch after the initial fleet, or Config.From if later): every measure counts from it
	begun    bool     // the first tick at or after start has come: the measures before it are dropped

	// dnsW is each AZ's DNS weight: the share of its routed capacity its
	// address still advertises (1: in DNS; 0: out; between: AZ failover is
	// draining it at the velocity control's pace).
	dnsW               []float64
	ring               []float64 // DNS weights of the last TTL ÷ Tick ticks (zones per tick), for the clients' view
	pos                int
	healthy, reg       []int  // per zone, this tick
	inSvc, routed      []int  // in service; routed to (all registered when the AZ fails open)
	open               []bool // the AZ fails open (below min_healthy healthy targets)
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
	capSum, unpropSum float64
	forcedOff         bool // an intervention has turned failover off
	wasOff            bool // failover was off at the last tick
	// offAt is the first tick with failover off, onAt the first tick with it
	// back on after that; -1: none.
	offAt, onAt sim.Time
	// errSum, capSum and unpropSum are the connections failing (all, the
	// removals', the unpropagated targets') over the ticks from start,
	// loadSum the connections offered over them.
	errSum, loadSum float64

	// OnInterval, when set, is called once per sample interval.
	OnInterval func(Interval)
	// onTick, when set (tests), is called after every tick, with whether
	// failover was off at it.
	onTick func(now sim.Time, off bool)

	kReg, kCheck, kDone, kTick, kAct sim.Kind
}

// New validates cfg and builds the model under env: its seed, its epoch
// (handed to the controls) and the policy's hooks. Its targets are
// cfg.Targets, or else the section's own schedule (Schedule).
func New(cfg Config, env model.Env) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	seed, hooks, targets := env.Seed, env.Hooks, cfg.Targets
	if len(targets) == 0 {
		targets = Schedule(cfg.NLB, sim.Stream(seed, "nlb/schedule"))
	}
	c := cfg.NLB.withDefaults()
	Z := c.Zones
	m := &Model{cfg: c, sp: cfg.Service, hooks: hooks, epoch: env.Start(), eng: sim.New(), meter: model.NewMeter(), lastBad: -1, firstBad: -1, firstCap: -1, lastCap: -1,
		offAt: -1, onAt: -1, dnsW: make([]float64, Z), healthy: make([]int, Z), reg: make([]int, Z), inSvc: make([]int, Z), routed: make([]int, Z), open: make([]bool, Z),
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
		m.checkers[z] = model.NewStation(&m.sp, model.Completions{Engine: m.eng, Kind: m.kDone, ID: uint32(z)}, m.rngs[z], q)
		m.gates[z] = model.NewGate(model.AdmitterFor(hooks.Client, z), model.AdmitterFor(hooks.Admit, z))
		m.dnsW[z] = 1
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
	m.start = max(m.start, cfg.From)
	if m.initial == 0 {
		return nil, fmt.Errorf("nlb: no target launched at 0: the schedule needs an initial fleet")
	}
	if hooks.Velocity != nil {
		m.vel, m.velT = hooks.Velocity(), hooks.VelocityTargets
	}
	m.ring = make([]float64, (int(c.TTL/Tick)+1)*Z)
	for i := range m.ring {
		m.ring[i] = 1
	}
	for i, iv := range hooks.Interventions {
		m.eng.At(iv.At, m.kAct, uint64(i))
	}
	m.eng.At(sim.Time(Tick), m.kTick, 0)
	return m, nil
}

// Hosts is the number of health checkers: one per AZ, each a station.
func (m *Model) Hosts() int { return len(m.checkers) }

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
		iv.UnpropagatedErrorRate /= float64(m.ivTicks)
		iv.ConnErrorRate /= float64(m.ivTicks)
	} else {
		iv.CapacityFraction, iv.ConnErrorRate, iv.CapacityErrorRate, iv.UnpropagatedErrorRate = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	}
	iv.HCLoad = float64(m.jobs) / dt.Seconds()
	for _, w := range m.dnsW {
		iv.InDNS += w
	}
	s.Extra = [model.MaxExtra]float64{iv.CapacityFraction, iv.ConnErrorRate, iv.HCLoad, float64(iv.Failovers),
		float64(iv.Flaps), float64(iv.Removed), iv.InDNS, iv.CapacityErrorRate}
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

// FailoverSwitched is the first tick at which automatic failover was off and
// the first tick after it at which it was back on; -1 for either that never
// came.
func (m *Model) FailoverSwitched() (off, on sim.Time) { return m.offAt, m.onAt }

// RestoredErrors is the connection error rate at or under which the NLB
// counts as restored (assumed: 1%, errors customers would barely notice).
const RestoredErrors = 0.01

// Run simulates to the horizon. Recovery counts from the first launch (the
// stage's trigger is the launches whose state has not propagated; it lasts
// as long as propagation does, so its start is the reference, reported as
// TriggerEnd) to the end of the last tick whose connection error rate was
// above RestoredErrors: the NLB is restored from then on. A run whose last
// tick is above it has not recovered. There is no ideal (-1). The
// retry-gate refusal count is the velocity control's cuts (Totals.VelocityCuts).
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
	res.Refusals = model.CountRefusals(m.hooks, m.gates, m.checkers, m.tot.VelocityCuts)
	return res, nil
}
