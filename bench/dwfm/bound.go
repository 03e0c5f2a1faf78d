package dwfm

import (
	"slices"

	"github.com/aftershock/aftershock/bench/sim"
)

// Bound is the least recovery time any policy could achieve on this run,
// measured from the end of the last outage: a lower bound that holds in every
// run, not in expectation. It depends only on the seed and the scenario (every
// droplet's check phase, lease TTLs and establishment work are its own draws),
// so every policy is measured against the same number.
//
// The droplets that must be leased after the last outage, set A, and the
// first instant r_j each can ask: with one outage, exactly the droplets whose
// lease lapses in it (no check between the outage's start and the lease's
// expiry found the dependency up), each asking at its first check after the
// lapse that finds the dependency up. With several, the droplets whose TTL
// from the last outage's start is at most that outage's length: their lease
// lapses in it whatever happened before (the last renewal precedes the
// outage), and they ask no earlier than its end, r_j = end; droplets still
// recovering from an earlier outage depend on the policy and are left out.
// No work succeeds if the dependency was out at any time during it, so the
// outages themselves are never capacity.
//
// Droplet j's establishment costs at least its own work S_j (any attempt's
// base service time; growth only adds to it), started no earlier than r_j, on
// one of its host's c workers. So the last of a host's droplets in A, sorted
// by r_1 ≤ … ≤ r_n, is leased no earlier than
//
//	max( max_k r_k + Σ_{i≥k} S_i / c,  max_j r_j + S_j ):
//
// after r_k the host must still do the work of every droplet asking at or
// after r_k. The bound is the largest over hosts, minus the end of the last
// outage (0 when no droplet must be leased again).
//
// A run ending at horizon sees only the lapses before it: a droplet whose
// lease would lapse at or after the horizon is leased throughout the run, and
// is left out (counting it would put the bound past anything the run can
// measure). With several outages a droplet counts only if its lease lapses
// before the horizon whatever its last renewal (last outage's start + TTL).
func (m *Model) Bound(horizon sim.Time) sim.Time {
	end := m.TriggerEnd()
	if len(m.outages) == 0 {
		return 0
	}
	P := sim.Time(m.cfg.CheckInterval)
	lo, hi := sim.Time(m.cfg.LeaseTTLMin), sim.Time(m.cfg.LeaseTTLMax)
	last := len(m.outages) - 1
	w := m.outages[last]
	c := float64(m.sp.Workers)
	type job struct{ r, s sim.Time }
	var jobs []job
	var worst sim.Time
	for h := range m.hosts {
		jobs = jobs[:0]
		first := h * m.cfg.DropletsPerHost
		for i := first; i < min(first+m.cfg.DropletsPerHost, len(m.drops)); i++ {
			ttl := m.draws.ttl(uint32(i), last, lo, hi)
			var r sim.Time
			if last == 0 {
				// The droplet's checks are at its initial phase until its
				// first attempt, which follows the outage.
				d := droplet{phase: m.draws.phase(uint32(i), P)}
				expiry := max(w.Start, m.nextCheck(&d, w.Start)-P+ttl)
				if m.nextGoodCheck(&d, w.Start) <= expiry || expiry >= horizon {
					continue // renewed by a check after the outage, or lapses after the run
				}
				r = m.nextGoodCheck(&d, expiry)
			} else {
				if ttl > w.End-w.Start || w.Start+ttl >= horizon {
					continue
				}
				r = w.End
			}
			jobs = append(jobs, job{r, m.sp.ServiceTime.Sample(m.draws.of(drawWork, uint32(i), 0))})
		}
		slices.SortFunc(jobs, func(a, b job) int { return int(a.r - b.r) })
		var sum sim.Time // Σ_{i≥k} S_i
		for k := len(jobs) - 1; k >= 0; k-- {
			sum += jobs[k].s
			worst = max(worst, jobs[k].r+sim.Time(float64(sum)/c)-end, jobs[k].r+jobs[k].s-end)
		}
	}
	return worst
}
