package dwfm

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/throttle"
)

// Droplet states.
const (
	leased     uint8 = iota
	expired          // waiting for its next check to ask for a lease
	attempting       // an establishment attempt is outstanding
	reserved         // refused with a reservation: asks again when it falls due, and is let in
)

// droplet is one droplet's state; 24 bytes, as there are 10⁶ and more.
// sent identifies its live attempt among the jobs queued at its host: a
// droplet queues at most one attempt at any instant, so the instants of its
// queued jobs all differ. It is reset (noLive) whenever gen moves on.
type droplet struct {
	phase sim.Time // offset of its checks within CheckInterval
	sent  sim.Time // when its live attempt was queued; noLive when none is
	gen   uint32   // bumped whenever outstanding timers and attempts must go stale
	tries uint16   // attempts in the current request (0: none yet)
	state uint8
	fresh bool // its lease lapsed and it has not sent an attempt since: a request, counted at its first attempt
}

// noLive is a droplet's sent when it has no live attempt.
const noLive sim.Time = -1

// Model is the DWFM lease-manager model.
type Model struct {
	cfg     Section
	sp      model.StationConfig
	outages []model.Window // sorted, non-overlapping
	hooks   model.Hooks
	epoch   time.Time // wall time of virtual 0, handed to admission controls

	eng      *sim.Engine   // the engine of the group of hosts being run (see run.go)
	engs     []*sim.Engine // per group of hosts (see run.go): groups run one at a time, each in its own small engine
	group    int           // hosts per group
	draws    *draws        // per-droplet streams: phase, TTLs, work
	rngs     []*rand.Rand  // per host: check and backoff jitter
	drops    []droplet
	hosts    []*model.Station
	gates    []model.Gate
	retries  []throttle.RetryGate // nil: every retry allowed
	drop     []func(model.Job)    // per host: dropped work goes to m.dropped
	backoff  *backlog.Backoff     // nil: re-queue at once on a timeout (published)
	prev     []sim.Time           // per droplet, with a backoff: its last wait (decorrelated jitter needs it)
	maxTries int                  // attempts per request; 0: unlimited
	meter    *model.Meter
	leased   []int // per host: droplets holding a lease
	// unleased is per host ∫ (droplets without a lease) dt up to changed,
	// in droplet-nanoseconds: exact, whatever the sample interval.
	unleased  []float64
	changed   []sim.Time // per host: the last instant its lease count changed
	flips     []flip     // every instant a host became fully leased or stopped being so
	lastLapse sim.Time   // the last instant a lease lapsed (for the invariant check)
	asked     uint64     // lapses whose droplet sent an attempt for a new lease: the unique requests
	shared    uint64     // fleet-wide events (outage, act) fired, once per group's engine

	kExpire, kAttempt, kTimeout, kDone, kOutage, kAct sim.Kind

	// Per host, retries[h] if it counts first attempts or learns from
	// successes (nil entries otherwise); nil when retries is.
	retryReq []throttle.RequestObserver
	retryOK  []throttle.SuccessObserver

	retriesRefused uint64 // retries the retry gates refused

	// timed: some control hears of attempts (admission, client or retry
	// controls, now or from an intervention on). Without one, the wall times
	// handed to the gates go unused and are not computed.
	timed bool
}

// New validates cfg and builds the model under env: its seed, its epoch
// (the scenario's start, passed to admission controls so that rate limiters
// see realistic instants) and the policy's hooks.
func New(cfg Config, env model.Env) (*Model, error) {
	ws, err := cfg.outages()
	if err != nil {
		return nil, err
	}
	seed, hooks := env.Seed, env.Hooks
	m := &Model{cfg: cfg.DWFM, sp: cfg.Service, outages: ws, hooks: hooks, epoch: env.Start(), backoff: hooks.Backoff, maxTries: hooks.MaxAttempts,
		draws: newDraws(seed), meter: model.NewMeter()}
	m.timed = hooks.Admit != nil || hooks.Client != nil || hooks.Retry != nil
	if len(hooks.Interventions) > maxShared {
		return nil, fmt.Errorf("dwfm: %d interventions, at most %d", len(hooks.Interventions), maxShared)
	}
	H := m.cfg.Hosts()
	m.group = max(1, groupDroplets/m.cfg.DropletsPerHost)
	m.engs = make([]*sim.Engine, (H+m.group-1)/m.group)
	handlers := []sim.HandlerFunc{m.expire, m.attempt, m.timeout, m.done, m.outage, m.act}
	for g := range m.engs {
		e := sim.New()
		e.SetLaneDelay(sim.Time(m.cfg.EstablishTimeout)) // timeouts: a FIFO, not the heap
		for _, f := range handlers {
			e.Register(f) // the same Kinds in every engine
		}
		m.engs[g] = e
	}
	m.kExpire, m.kAttempt, m.kTimeout, m.kDone, m.kOutage, m.kAct = 0, 1, 2, 3, 4, 5

	P := sim.Time(m.cfg.CheckInterval)
	m.drops = make([]droplet, m.cfg.Droplets)
	for i := range m.drops {
		m.drops[i].phase = m.draws.phase(uint32(i), P)
		m.drops[i].sent = noLive
	}
	if m.backoff != nil {
		m.prev = make([]sim.Time, m.cfg.Droplets)
	}
	m.leased = make([]int, H)
	m.unleased, m.changed = make([]float64, H), make([]sim.Time, H)
	for h := range m.leased {
		m.leased[h] = m.size(h)
	}
	m.hosts = make([]*model.Station, H)
	m.gates = make([]model.Gate, H)
	m.drop = make([]func(model.Job), H)
	m.rngs = make([]*rand.Rand, H)
	if hooks.Retry != nil {
		m.retries = make([]throttle.RetryGate, H)
		m.retryReq = make([]throttle.RequestObserver, H)
		m.retryOK = make([]throttle.SuccessObserver, H)
	}
	work := func(c uint32) sim.Time { return m.sp.ServiceTime.Sample(m.draws.of(drawWork, c, 0)) }
	for h := range m.hosts {
		m.rngs[h] = hostStream(seed, h)
		m.drop[h] = func(j model.Job) { m.dropped(h, j) }
		q, err := backlog.New[model.Job](hooks.Queue, m.drop[h])
		if err != nil {
			return nil, fmt.Errorf("dwfm: %w", err)
		}
		m.hosts[h] = model.NewStation(&m.sp, model.Completions{Engine: m.engs[h/m.group], Kind: m.kDone, ID: uint32(h)}, m.rngs[h], q)
		m.hosts[h].SetWork(work)
		m.gates[h] = model.NewGate(model.AdmitterFor(hooks.Client, h), model.AdmitterFor(hooks.Admit, h))
		if hooks.Retry != nil {
			m.retries[h] = hooks.Retry(h)
			m.retryReq[h], _ = m.retries[h].(throttle.RequestObserver)
			m.retryOK[h], _ = m.retries[h].(throttle.SuccessObserver)
		}
	}
	// Every group's engine fires its own copy of the fleet-wide events, for
	// its own hosts, in the order the fleet's would.
	for g, e := range m.engs {
		for i, w := range ws {
			e.At(w.Start, m.kOutage, sharedArg(g, i))
		}
		for i, iv := range hooks.Interventions {
			e.At(iv.At, m.kAct, sharedArg(g, i))
		}
	}
	return m, nil
}

// Hosts is the number of DWFM hosts.
func (m *Model) Hosts() int { return len(m.hosts) }

// TriggerEnd is when the last dependency outage ends.
func (m *Model) TriggerEnd() sim.Time { return model.End(m.outages) }

func (m *Model) host(d uint32) int { return int(d) / m.cfg.DropletsPerHost }

// first and size are host h's first droplet and its number of droplets.
func (m *Model) first(h int) int { return h * m.cfg.DropletsPerHost }
func (m *Model) size(h int) int  { return min(m.cfg.DropletsPerHost, len(m.drops)-m.first(h)) }

// hostsOf is group g's hosts: [lo, hi).
func (m *Model) hostsOf(g int) (lo, hi int) { return g * m.group, min((g+1)*m.group, len(m.hosts)) }

// down reports whether the dependency is out at t, and until when.
func (m *Model) down(t sim.Time) (bool, sim.Time) {
	for _, w := range m.outages {
		if t >= w.Start && t < w.End {
			return true, w.End
		}
	}
	return false, 0
}

// upThroughout reports whether the dependency was up for all of [from, to]:
// establishment work needs it throughout, so work that overlapped an outage
// fails (and outage time is never usable capacity).
func (m *Model) upThroughout(from, to sim.Time) bool {
	for _, w := range m.outages {
		if w.Start <= to && w.End > from {
			return false
		}
	}
	return true
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
func (m *Model) recheck(i uint32, d *droplet, now sim.Time) sim.Time {
	P := int64(m.cfg.CheckInterval)
	t := now + sim.Time(P/2+m.rngs[m.host(i)].Int64N(P)+1)
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
func (m *Model) outage(now sim.Time, arg uint64) {
	g, w := fromShared(arg)
	m.shared++
	lo, hi := sim.Time(m.cfg.LeaseTTLMin), sim.Time(m.cfg.LeaseTTLMax)
	P := sim.Time(m.cfg.CheckInterval)
	h0, h1 := m.hostsOf(g)
	for i := m.first(h0); i < m.first(h1-1)+m.size(h1-1); i++ {
		d := &m.drops[i]
		if d.state != leased {
			continue
		}
		last := m.nextCheck(d, now) - P // the last check before the outage; it succeeded
		ttl := m.draws.ttl(uint32(i), int(w), lo, hi)
		m.eng.At(max(now, last+ttl), m.kExpire, timerArg(uint32(i), w, d.gen))
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
	d.fresh = true
	m.unlease(m.host(i), now)
	m.eng.At(m.nextGoodCheck(d, now), m.kAttempt, timerArg(i, 0, d.gen))
}

// attempt is a check of an expired droplet: it asks its host for a lease.
func (m *Model) attempt(now sim.Time, arg uint64) {
	i, _, gen := fromArg(arg)
	d := &m.drops[i]
	if (d.state != expired && d.state != reserved) || !m.current(d, gen) {
		return
	}
	m.send(now, i, d)
}

// send asks droplet i's host for a lease. A droplet holding a reservation
// (state reserved) redeems it: the server's control counted it when it booked
// it.
func (m *Model) send(now sim.Time, i uint32, d *droplet) {
	held := d.state == reserved
	if out, _ := m.down(now); out { // the check itself fails; try when it can succeed
		m.newRequest(i, d)
		m.eng.At(m.nextGoodCheck(d, now), m.kAttempt, timerArg(i, 0, d.gen))
		return
	}
	h := m.host(i)
	w := m.wall(now)
	if d.tries == 0 && m.retries != nil && m.retryReq[h] != nil {
		m.retryReq[h].Request(w)
	}
	d.tries++
	m.meter.Interval.Attempts++
	if d.fresh {
		m.asked++
		d.fresh = false
	}
	st := m.hosts[h]
	if ok, retryAt := m.gates[h].Reserve(w, st.Queued(), held); !ok {
		m.meter.Interval.Rejected++
		if !retryAt.IsZero() {
			m.reserve(now, i, d, retryAt)
			return
		}
		m.failed(now, i, d)
		return
	}
	d.gen++
	d.sent = now
	if !st.Enqueue(now, model.NewJob(now, i)) {
		m.meter.Interval.Rejected++
		m.gates[h].Answered(w, 0, false)
		m.gates[h].Left(w, 0, false)
		m.failed(now, i, d)
		return
	}
	d.state = attempting
	m.eng.Lane(m.kTimeout, timerArg(i, 0, d.gen))
}

func (m *Model) wall(now sim.Time) time.Time {
	if !m.timed {
		return time.Time{}
	}
	return m.epoch.Add(time.Duration(now))
}

// newRequest ends the droplet's current request: its next attempt, at a
// later check, starts a new one.
func (m *Model) newRequest(i uint32, d *droplet) {
	d.state = expired
	d.tries = 0
	if m.prev != nil {
		m.prev[i] = 0
	}
}

// failed: a fast failure ("request limit exceeded", a full queue, a dropped
// attempt, an error from the dependency). The droplet asks again at a later
// check, as a new request. The caller counts the attempt's end: rejected,
// dropped or completed.
func (m *Model) failed(now sim.Time, i uint32, d *droplet) {
	m.newRequest(i, d)
	m.eng.At(m.recheck(i, d, now), m.kAttempt, timerArg(i, 0, d.gen))
}

// reserve: refused, with a reservation falling due at retryAt (a
// Retry-After). The droplet asks again exactly then, instead of at its next
// jittered check, and is let in.
func (m *Model) reserve(now sim.Time, i uint32, d *droplet, retryAt time.Time) {
	m.newRequest(i, d)
	d.state = reserved
	m.eng.At(max(now, sim.Time(retryAt.Sub(m.epoch))), m.kAttempt, timerArg(i, 0, d.gen))
}

// timeout: the droplet gives up on its attempt and, by default, queues
// another at once; the stale one stays in the queue. A policy's backoff delays
// the retry, its attempt limit or retry gate can end the request instead (the
// droplet then asks again at a later check).
func (m *Model) timeout(now sim.Time, arg uint64) {
	i, _, gen := fromArg(arg)
	d := &m.drops[i]
	if d.state != attempting || !m.current(d, gen) {
		return
	}
	m.meter.Interval.TimedOut++
	h, w := m.host(i), m.wall(now)
	m.gates[h].Answered(w, time.Duration(m.cfg.EstablishTimeout), false)
	d.gen++ // the queued attempt is stale from now on
	d.sent = noLive
	if (m.maxTries > 0 && int(d.tries) >= m.maxTries) || m.retryRefused(h, w) {
		m.newRequest(i, d)
		m.eng.At(m.recheck(i, d, now), m.kAttempt, timerArg(i, 0, d.gen))
		return
	}
	if m.backoff == nil {
		m.send(now, i, d)
		return
	}
	wait := sim.Time(m.backoff.Delay(int(d.tries), time.Duration(m.prev[i]), m.rngs[h]))
	m.prev[i] = wait
	d.state = expired // waiting out the backoff; tries carries on
	m.eng.At(now+wait, m.kAttempt, timerArg(i, 0, d.gen))
}

// retryRefused asks host h's retry gate, if any, for a retry at w, and counts
// a refusal.
func (m *Model) retryRefused(h int, w time.Time) bool {
	if m.retries == nil || m.retries[h].Retry(w, true) {
		return false
	}
	m.retriesRefused++
	return true
}

func (m *Model) done(now sim.Time, arg uint64) {
	h := int(model.StationOf(arg))
	j, work, ok := m.hosts[h].Finish(now, arg)
	if !ok {
		return
	}
	d := &m.drops[j.Client]
	q := j.Queued()
	live := d.state == attempting && d.sent == q
	good := live && m.upThroughout(now-work, now)
	m.meter.Complete(now-q, work, good)
	w, sojourn := m.wall(now), time.Duration(now-q)
	m.gates[h].Left(w, sojourn, good)
	if !live {
		return // its droplet gave up on it already
	}
	m.gates[h].Answered(w, sojourn, good)
	if !good { // the dependency failed it
		d.gen++
		d.sent = noLive
		m.failed(now, j.Client, d)
		return
	}
	if m.retries != nil && m.retryOK[h] != nil {
		m.retryOK[h].Success(w, d.tries > 1)
	}
	d.state = leased
	d.gen++ // its timeout is stale now
	d.sent = noLive
	d.tries = 0
	if m.prev != nil {
		m.prev[j.Client] = 0
	}
	m.lease(h, now)
}

// dropped receives host h's work that its queue discipline or a restart
// dropped unworked. The host answers a live attempt with an error (or the
// restart breaks the connection), so the droplet sees a fast failure.
func (m *Model) dropped(h int, j model.Job) {
	now := m.eng.Now()
	m.meter.Interval.Dropped++
	w, sojourn := m.wall(now), time.Duration(now-j.Queued())
	m.gates[h].Left(w, sojourn, false)
	d := &m.drops[j.Client]
	if d.state != attempting || d.sent != j.Queued() {
		return
	}
	m.gates[h].Answered(w, sojourn, false)
	d.gen++
	d.sent = noLive
	m.failed(now, j.Client, d)
}

// act is intervention k at group g's hosts (every group's engine fires its
// own).
func (m *Model) act(now sim.Time, arg uint64) {
	g, k := fromShared(arg)
	m.shared++
	iv := m.hooks.Interventions[k]
	lo, hi := m.hostsOf(g)
	for h := lo; h < hi; h++ {
		if iv.Restart {
			m.hosts[h].Restart(now, m.drop[h])
		}
		if iv.Admit != nil {
			m.timed = true
			m.gates[h].SetServer(iv.Admit(h))
		}
	}
}
