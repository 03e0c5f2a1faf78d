package nlb

import (
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// tickH is a tick in hours, for the target-hours the velocity control keeps.
var tickH = time.Duration(Tick).Hours()

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

// dnsCapacity is the capacity in DNS: each AZ's routed targets (last
// counted) times its DNS weight.
func (m *Model) dnsCapacity() float64 {
	var c float64
	for z, w := range m.dnsW {
		c += w * float64(m.routed[z])
	}
	return c
}

// targetMayLeave asks the velocity control, when it paces single targets,
// whether a target of zone z may leave service now; c is the capacity in
// DNS, which a granted removal lowers. A target whose removal takes nothing
// from DNS (its AZ is out of DNS, or failed open at the last tick and routes
// to it anyway) needs no leave.
func (m *Model) targetMayLeave(now sim.Time, z int, c *float64) bool {
	if m.vel == nil || !m.velT || m.dnsW[z] == 0 || m.open[z] {
		return true
	}
	u := m.dnsW[z]
	if !m.vel.AllowN(m.wall(now), *c, u) {
		m.iv.KeptInService += u * tickH
		m.tot.KeptInService += u * tickH
		m.tot.VelocityCuts++
		return false
	}
	*c -= u
	return true
}

// tick re-evaluates service and DNS and takes the measures.
//
// Targets first: with failover on, a target follows its health (a healthy
// one enters service, an unhealthy one leaves, paced only if the velocity
// control covers single targets); with failover off, health-check results
// remove nothing and every registered target is routed (the summary: turning
// failover off brought the available capacity back into service). Then each
// AZ's counts, then DNS (see the package doc): an AZ with at least
// min_healthy healthy targets, or any AZ when every one is below it
// (fail-open) or failover is off, is wholly in DNS at once; an AZ below it
// is drained from DNS by automatic failover, as fast as the velocity control
// lets its capacity go. Last the measures, for clients that hold the DNS
// answer of one TTL ago.
func (m *Model) tick(now sim.Time, _ uint64) {
	m.eng.At(now+sim.Time(Tick), m.kTick, 0)
	if !m.begun && now >= m.start { // the stage starts: what came before it is not the stage's
		m.begun = true
		m.tot, m.iv, m.ivTicks = Totals{}, Interval{}, 0
		m.lastBad, m.firstBad, m.firstCap, m.lastCap = -1, -1, -1, -1
	}
	off := m.forcedOff || m.cfg.failoverOff(model.Duration(now))
	switch {
	case off && !m.wasOff && m.offAt < 0:
		m.offAt = now
	case !off && m.wasOff && m.onAt < 0:
		m.onAt = now
	}
	m.wasOff = off
	c := m.dnsCapacity() // the capacity in DNS as the last tick left it
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
		} else if !want && t.inService && m.targetMayLeave(now, int(z), &c) {
			t.inService = false
			m.iv.Removed++
			m.tot.Removed++
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
	allBad := true
	for z := range m.dnsW {
		m.routed[z] = m.inSvc[z]
		m.open[z] = m.healthy[z] < m.cfg.MinHealthy
		if m.open[z] { // routing fail-open: every target of the AZ
			m.routed[z] = m.reg[z]
		}
		allBad = allBad && m.healthy[z] < m.cfg.MinHealthy
	}
	if allBad && !off {
		m.tot.FailOpenTicks++
	}
	for z, w := range m.dnsW {
		if w < 1 && (off || allBad || m.healthy[z] >= m.cfg.MinHealthy) {
			if w == 0 { // the address returns
				m.work(now, z, m.cfg.FailoverWork*m.reg[z])
			}
			m.dnsW[z] = 1
		}
	}
	if !off && !allBad {
		m.failover(now)
	}
	m.pos = (m.pos + 1) % (len(m.ring) / len(m.dnsW))
	copy(m.ring[m.pos*len(m.dnsW):], m.dnsW)
	next := (m.pos + 1) % (len(m.ring) / len(m.dnsW))
	view := m.ring[next*len(m.dnsW) : (next+1)*len(m.dnsW)] // the answer of one TTL ago
	m.measure(now, view)
	if m.onTick != nil {
		m.onTick(now, off)
	}
}

// failover drains from DNS every AZ below min_healthy healthy targets: it
// wants the AZ's whole capacity in DNS out (its routed targets times its DNS
// weight), asks the velocity control for it, if there is one, with the
// capacity in DNS, and takes out what it grants; the rest stays in DNS, is
// counted as kept (target-hours), and is asked for again at the next tick.
// A failover begins at the tick an AZ wholly in DNS starts to leave it (the
// control grants some of it: its weight drops below 1), counted once then
// however many ticks it drains; the ticks an unhealthy AZ waits at weight 1
// because the window grants nothing begin none, and an AZ that recovers
// before any grant has had no failover. It is complete when its weight
// reaches 0 (with no control, in the same tick it begins): its address has
// left DNS, which costs its checker failover_work per target.
func (m *Model) failover(now sim.Time) {
	c := m.dnsCapacity()
	for z, w := range m.dnsW {
		if w == 0 || m.healthy[z] >= m.cfg.MinHealthy || m.reg[z] == 0 {
			continue
		}
		routed := float64(m.routed[z])
		want := w * routed
		g := want
		if m.vel != nil && want > 0 {
			g = m.vel.Grant(m.wall(now), c, want)
		}
		if g <= 1e-9*want { // a rounding residue of a spent window: nothing granted
			g = 0
		}
		if kept := want - g; kept > 1e-9*want {
			m.iv.KeptInDNS += kept * tickH
			m.tot.KeptInDNS += kept * tickH
			m.tot.VelocityCuts++
			m.dnsW[z] = w - g/routed
		} else {
			m.dnsW[z] = 0
			m.tot.FailoversCompleted++
			m.work(now, z, m.cfg.FailoverWork*m.reg[z])
		}
		if w == 1 && m.dnsW[z] < 1 { // the weight has left 1: a failover begins
			m.iv.Failovers++
			m.tot.Failovers++
		}
		c -= g
		m.iv.Drained += g
		m.tot.Drained += g
	}
}

// measure takes the tick's capacity fraction and connection error rates for
// clients resolving with the DNS weights in view: each AZ receives the
// connections in proportion to its weight; all connections that fail, and
// the share of them the NLB's removals cause (beyond the capacity it routes
// to, counting every routed target as reachable).
func (m *Model) measure(now sim.Time, view []float64) {
	var registered int
	var weights float64
	for z, w := range view {
		registered += m.reg[z]
		weights += w
	}
	load := m.cfg.Load * float64(registered)
	var capacity, lost, removed float64
	for z, w := range view {
		if w == 0 {
			continue
		}
		routed, reach := m.inSvc[z], m.reachSvc[z]
		if m.healthy[z] < m.cfg.MinHealthy { // routing fail-open: every target of the AZ
			routed, reach = m.reg[z], m.reachAll[z]
		}
		capacity += w * reach
		lz := load * w / weights
		removed += max(lz-float64(routed), 0) // as if every routed target were reachable
		if routed == 0 {
			lost += lz
			continue
		}
		// Connections spread over the routed targets; passive health checks
		// turn PassiveCatch of those bound for unreachable paths to others;
		// the reachable capacity bounds what is served.
		turned := reach + m.cfg.PassiveCatch*(float64(routed)-reach)
		if l := lz - min(lz*turned/float64(routed), reach); l > 1e-9*lz { // not a rounding error
			lost += l
		}
	}
	frac := capacity / float64(max(registered, 1))
	var errRate, capRate float64
	if load > 0 {
		errRate, capRate = lost/load, removed/load
	}
	unprop := errRate - capRate
	if unprop < 1e-12 { // rounding: every error is the removals'
		unprop = 0
	}
	m.iv.CapacityFraction += frac
	m.iv.ConnErrorRate += errRate
	m.iv.CapacityErrorRate += capRate
	m.iv.UnpropagatedErrorRate += unprop
	m.ivTicks++
	m.tot.CapacityLostTargetH += (float64(registered) - capacity) * time.Duration(Tick).Hours()
	if now >= m.start { // the stage's ticks: the shares are of its connections
		m.loadSum += load
		m.errSum += errRate * load
		m.capSum += capRate * load
		m.unpropSum += unprop * load
	}
	if capRate > RestoredErrors {
		m.lastCap = now
		if m.firstCap < 0 {
			m.firstCap = now
		}
	}
	if errRate > RestoredErrors {
		m.lastBad = now
		if m.firstBad < 0 {
			m.firstBad = now
		}
	}
}
