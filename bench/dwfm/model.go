package dwfm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/aftershock/aftershock/bench/service"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/throttle"
)

// Droplet states.
const (
	leased     uint8 = iota
	expired          // waiting for its next check to ask for a lease
	attempting       // an establishment attempt is outstanding
)

type droplet struct {
	phase sim.Time // offset of its checks within CheckInterval
	gen   uint32   // bumped whenever outstanding timers and attempts must go stale
	state uint8
}

// Model is the DWFM lease-manager model.
type Model struct {
	cfg     Config
	sp      service.StationParams
	outages []service.Window // sorted, non-overlapping
	hooks   service.Hooks
	epoch   time.Time // wall time of virtual 0, handed to admission controls

	eng      *sim.Engine
	rng      *rand.Rand
	drops    []droplet
	hosts    []*service.Station
	admit    []throttle.Admitter
	releases [][]sim.Time // per host: when each expired droplet could first ask again
	meter    *service.Meter
	nLeased  int
	asked    uint64 // droplets that needed a new lease: the unique requests
	recovery sim.Time
	interval sim.Time

	kExpire, kAttempt, kTimeout, kDone, kOutage, kAct sim.Kind
}

// New builds the model. epoch is the wall time of virtual time 0 (the
// scenario's start), passed to admission controls so that rate limiters see
// realistic instants.
func New(cfg Config, station service.StationConfig, triggers []service.TriggerConfig, seed uint64, epoch time.Time, hooks service.Hooks) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sp, err := station.Params()
	if err != nil {
		return nil, err
	}
	ws, err := service.Windows(triggers, service.DependencyOutage)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ws, func(a, b service.Window) int { return int(a.Start - b.Start) })
	for i := 1; i < len(ws); i++ {
		if ws[i].Start < ws[i-1].End {
			return nil, fmt.Errorf("dwfm: dependency outages %d and %d overlap", i, i+1)
		}
	}
	if len(ws) > 255 {
		return nil, fmt.Errorf("dwfm: %d outages, at most 255", len(ws))
	}
	m := &Model{cfg: cfg, sp: sp, outages: ws, hooks: hooks, epoch: epoch,
		eng: sim.New(), rng: sim.Stream(seed, "dwfm"), meter: service.NewMeter(), recovery: -1}
	m.kExpire = m.eng.Register(sim.HandlerFunc(m.expire))
	m.kAttempt = m.eng.Register(sim.HandlerFunc(m.attempt))
	m.kTimeout = m.eng.Register(sim.HandlerFunc(m.timeout))
	m.kDone = m.eng.Register(sim.HandlerFunc(m.done))
	m.kOutage = m.eng.Register(sim.HandlerFunc(m.outage))
	m.kAct = m.eng.Register(sim.HandlerFunc(m.act))

	P := sim.Time(cfg.CheckInterval)
	m.drops = make([]droplet, cfg.Droplets)
	for i := range m.drops {
		m.drops[i].phase = sim.Time(m.rng.Int64N(int64(P)))
	}
	m.nLeased = cfg.Droplets
	H := cfg.Hosts()
	m.hosts = make([]*service.Station, H)
	m.admit = make([]throttle.Admitter, H)
	m.releases = make([][]sim.Time, H)
	svc := sim.Stream(seed, "service")
	for h := range m.hosts {
		m.hosts[h] = service.NewStation(&m.sp, uint32(h), m.eng, m.kDone, svc)
		m.admit[h] = service.AdmitterFor(hooks.Admit, h)
	}
	for i, w := range ws {
		m.eng.At(w.Start, m.kOutage, uint64(i))
	}
	for i, iv := range hooks.Interventions {
		m.eng.At(iv.At, m.kAct, uint64(i))
	}
	return m, nil
}

// Hosts is the number of DWFM hosts.
func (m *Model) Hosts() int { return len(m.hosts) }

// HostCapacity is one host's nominal establishments per second.
func (m *Model) HostCapacity() float64 { return m.sp.Capacity() }

// TriggerEnd is when the last dependency outage ends.
func (m *Model) TriggerEnd() sim.Time { return service.End(m.outages) }

func (m *Model) host(d uint32) int { return int(d) / m.cfg.DropletsPerHost }

// down reports whether the dependency is out at t, and until when.
func (m *Model) down(t sim.Time) (bool, sim.Time) {
	for _, w := range m.outages {
		if t >= w.Start && t < w.End {
			return true, w.End
		}
	}
	return false, 0
}

// nextCheck is droplet d's first check at or after t.
func (m *Model) nextCheck(d *droplet, t sim.Time) sim.Time {
	P := sim.Time(m.cfg.CheckInterval)
	return t + ((d.phase-t)%P+P)%P
}

// nextGoodCheck is droplet d's first check at or after t that finds the
// dependency up.
func (m *Model) nextGoodCheck(d *droplet, t sim.Time) sim.Time {
	c := m.nextCheck(d, t)
	for {
		out, until := m.down(c)
		if !out {
			return c
		}
		c = m.nextCheck(d, until)
	}
}

// recheck is when a droplet refused at now checks again: one check interval
// later, give or take half of one, and that instant becomes its phase. Real
// check loops are not phase-locked; without the jitter, droplets refused where
// arrivals outran the throttle would retry at exactly the same phase every
// interval, cluster there, and leave the host idle between the clusters.
func (m *Model) recheck(d *droplet, now sim.Time) sim.Time {
	P := int64(m.cfg.CheckInterval)
	t := now + sim.Time(P/2+m.rng.Int64N(P)+1)
	d.phase = t % sim.Time(P)
	return m.nextGoodCheck(d, t)
}

// Timer args: droplet index in the low 24 bits, then 8 bits of outage index
// (expiry only), then the droplet's generation in the top 24 bits.
func timerArg(d uint32, w int, gen uint32) uint64 {
	return uint64(gen&(1<<24-1))<<32 | uint64(w)<<24 | uint64(d)
}

func fromArg(arg uint64) (d uint32, w int, gen uint32) {
	return uint32(arg & (1<<24 - 1)), int(arg >> 24 & 0xff), uint32(arg >> 32)
}

func (m *Model) current(d *droplet, gen uint32) bool { return d.gen&(1<<24-1) == gen }

// outage starts dependency outage w: every leased droplet's lease now runs
// out TTL after its last successful check, unless a check succeeds first.
func (m *Model) outage(now sim.Time, w uint64) {
	lo, hi := int64(m.cfg.LeaseTTLMin), int64(m.cfg.LeaseTTLMax)
	P := sim.Time(m.cfg.CheckInterval)
	for i := range m.drops {
		d := &m.drops[i]
		if d.state != leased {
			continue
		}
		last := m.nextCheck(d, now) - P // the last check before the outage; it succeeded
		ttl := sim.Time(lo + m.rng.Int64N(hi-lo+1))
		m.eng.At(max(now, last+ttl), m.kExpire, timerArg(uint32(i), int(w), d.gen))
	}
}

// expire fires at a lease's expiry: the lease lapses unless a check since the
// outage began found the dependency up.
func (m *Model) expire(now sim.Time, arg uint64) {
	i, w, gen := fromArg(arg)
	d := &m.drops[i]
	if d.state != leased || !m.current(d, gen) {
		return
	}
	if m.nextGoodCheck(d, m.outages[w].Start) <= now {
		return // renewed; a later outage schedules its own expiry
	}
	d.state = expired
	m.nLeased--
	m.asked++
	r := m.nextGoodCheck(d, now)
	h := m.host(i)
	m.releases[h] = append(m.releases[h], r)
	m.eng.At(r, m.kAttempt, timerArg(i, 0, d.gen))
}

// attempt is a check of an expired droplet: it asks its host for a lease.
func (m *Model) attempt(now sim.Time, arg uint64) {
	i, _, gen := fromArg(arg)
	d := &m.drops[i]
	if d.state != expired || !m.current(d, gen) {
		return
	}
	m.send(now, i, d)
}

func (m *Model) send(now sim.Time, i uint32, d *droplet) {
	if out, _ := m.down(now); out { // the check itself fails; try when it can succeed
		d.state = expired
		m.eng.At(m.nextGoodCheck(d, now), m.kAttempt, timerArg(i, 0, d.gen))
		return
	}
	m.meter.Interval.Attempts++
	h := m.host(i)
	st := m.hosts[h]
	if !m.admit[h].Admit(m.epoch.Add(time.Duration(now)), st.Queued()) {
		m.meter.Interval.Rejected++
		d.state = expired
		m.eng.At(m.recheck(d, now), m.kAttempt, timerArg(i, 0, d.gen))
		return
	}
	d.gen++
	d.state = attempting
	st.Enqueue(now, service.Job{Queued: now, Client: i, Gen: d.gen})
	m.eng.At(now+sim.Time(m.cfg.EstablishTimeout), m.kTimeout, timerArg(i, 0, d.gen))
}

// timeout: the droplet gives up on its attempt and queues another at once.
// The stale attempt stays in the queue.
func (m *Model) timeout(now sim.Time, arg uint64) {
	i, _, gen := fromArg(arg)
	d := &m.drops[i]
	if d.state != attempting || !m.current(d, gen) {
		return
	}
	m.meter.Interval.TimedOut++
	m.send(now, i, d)
}

func (m *Model) done(now sim.Time, arg uint64) {
	st := m.hosts[service.StationOf(arg)]
	j, work, ok := st.Finish(now, arg)
	if !ok {
		return
	}
	d := &m.drops[j.Client]
	live := d.state == attempting && d.gen == j.Gen
	out, _ := m.down(now)
	good := live && !out
	m.meter.Complete(now-j.Queued, work, good)
	switch {
	case good:
		d.state = leased
		d.gen++ // its timeout is stale now
		m.nLeased++
		if m.nLeased == len(m.drops) && m.recovery < 0 && now >= m.TriggerEnd() {
			m.recovery = now
		}
	case live: // the dependency failed it: a fast failure, retried at a later check
		d.state = expired
		d.gen++
		m.eng.At(m.recheck(d, now), m.kAttempt, timerArg(j.Client, 0, d.gen))
	}
}

func (m *Model) act(now sim.Time, k uint64) {
	iv := m.hooks.Interventions[k]
	for h, st := range m.hosts {
		if iv.Restart {
			m.restart(now, h, st)
		}
		if iv.Admit != nil {
			m.admit[h] = service.AdmitterFor(iv.Admit, h)
		}
	}
}

// restart drops host h's queue and work in service. The restart breaks the
// droplets' connections, so each droplet with an attempt outstanding there
// sees a fast failure and asks again at its next good check, rather than
// waiting out its timeout.
func (m *Model) restart(now sim.Time, h int, st *service.Station) {
	m.meter.Interval.Dropped += uint64(st.Restart(now))
	lo := h * m.cfg.DropletsPerHost
	hi := min(lo+m.cfg.DropletsPerHost, len(m.drops))
	for i := lo; i < hi; i++ {
		d := &m.drops[i]
		if d.state == attempting {
			d.state = expired
			d.gen++
			m.eng.At(m.nextGoodCheck(d, now), m.kAttempt, timerArg(uint32(i), 0, d.gen))
		}
	}
}

func (m *Model) queued() int {
	n := 0
	for _, st := range m.hosts {
		n += st.Queued()
	}
	return n
}

// Run simulates to o.Horizon.
func (m *Model) Run(o service.Options) (service.Result, error) {
	if o.Horizon <= 0 || o.Interval <= 0 {
		return service.Result{}, fmt.Errorf("dwfm: horizon %v and interval %v must be above 0", o.Horizon, o.Interval)
	}
	res := service.Result{TriggerEnd: m.TriggerEnd()}
	if m.nLeased == len(m.drops) && len(m.outages) == 0 {
		m.recovery = 0
	}
	res.Interrupted, res.End = service.Drive(m.eng, o, func(t, dt sim.Time) service.Sample {
		return m.meter.Flush(t, dt, m.queued(), m.nLeased, len(m.drops)-m.nLeased)
	})
	// A trigger absorbed without a single expiry recovers the moment it ends.
	if m.recovery < 0 && m.nLeased == len(m.drops) && res.End >= res.TriggerEnd {
		m.recovery = res.TriggerEnd
	}
	res.Recovered = m.recovery >= 0
	if res.Recovered {
		res.Recovery = m.recovery - res.TriggerEnd
	}
	res.Ideal = m.ideal(res.TriggerEnd)
	res.Events = m.eng.Fired()
	res.Finish(m.meter, m.asked)
	return res, nil
}

// ideal is the slowest host's makespan lower bound: with its expired droplets
// sorted by release r_1 ≤ … ≤ r_n and s̄/c the mean base service time per
// worker, no schedule can finish before max_k r_k + (n−k+1)·s̄/c.
func (m *Model) ideal(end sim.Time) sim.Time {
	per := float64(m.sp.Dist.Mean()) / float64(m.sp.Workers)
	var worst sim.Time
	for _, rs := range m.releases {
		slices.Sort(rs)
		n := len(rs)
		for k, r := range rs {
			worst = max(worst, r+sim.Time(float64(n-k)*per)-end)
		}
	}
	return worst
}
