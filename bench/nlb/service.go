package nlb

import (
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

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
	off := m.forcedOff || m.cfg.failoverOff(model.Duration(now))
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

// measure takes the tick's capacity fraction and connection error rates for
// clients resolving to the AZs in view: all connections that fail, and the
// share of them the NLB's removals cause (beyond the capacity it routes to,
// counting every routed target as reachable).
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
	var capacity, lost, removed float64
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
		removed += max(lz-float64(routed), 0) // as if every routed target were reachable
		if routed == 0 {
			lost += lz
			continue
		}
		// Connections spread over the routed targets; passive health checks
		// turn PassiveCatch of those bound for unreachable paths to others;
		// the reachable capacity bounds what is served.
		turned := reach + m.cfg.PassiveCatch*(float64(routed)-reach)
		lost += lz - min(lz*turned/float64(routed), reach)
	}
	frac := capacity / float64(max(registered, 1))
	errRate := lost / load
	m.iv.CapacityFraction += frac
	m.iv.ConnErrorRate += errRate
	m.ivTicks++
	m.tot.CapacityLostH += (1 - frac) * time.Duration(Tick).Hours()
	m.errSum += errRate
	m.nTicks++
	capRate := removed / load
	m.iv.CapacityErrorRate += capRate
	m.capSum += capRate
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
