package nlb

import (
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

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

// dropper is zone z's handler of jobs its queue discipline or a restart
// dropped unworked: no result (as for a refused check), and the admission
// control hears that the job left, so a concurrency limit frees its slot.
func (m *Model) dropper(z int) func(model.Job) {
	return func(j model.Job) {
		now := m.eng.Now()
		m.meter.Interval.Dropped++
		m.gates[z].Left(m.wall(now), (now - j.Queued()).Duration(), false)
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
		// A target never yet in service is in its initial checks: one
		// success brings it into service (NLB's troubleshooting guide);
		// a target that was in service needs HealthyThreshold.
		if t.succ >= uint8(m.cfg.HealthyThreshold) || !t.served {
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
