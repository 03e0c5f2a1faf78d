package dwfm

import (
	"fmt"
	"slices"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// Running host by host.
//
// DWFM hosts share nothing while they run: a droplet belongs to one host, a
// host's events draw from the host's own stream and its droplets' own keyed
// streams, and admission controls are built per host. What the fleet shares
// are the fleet-wide events at fixed instants (a dependency outage, an
// operator's intervention), and every engine fires its own copy of
// those for its own droplets. So each host runs in its own small engine, one
// host after another, a span of virtual time at a time: its droplets, queue
// and pending events stay in the processor's cache while it runs, instead of
// one fleet-wide engine touching a different host's memory at every event,
// which made the time per event grow with the fleet (10⁴ to 10⁷ droplets).
// Hosts of fewer than groupDroplets droplets share an engine with their
// neighbours (a group), so that tiny hosts do not cost an engine each.
//
// The outcome is the fleet-wide engine's: restricted to one host, the events
// fire in the same order (equal instants in the order they were scheduled,
// and every scheduling happens in the host's own events), and the fleet's
// measures are put together from the hosts' per instant, never maxed per
// host: each sample's counts, queue and leases are sums over the hosts at its
// instant, the peak queue the largest of those sums, and recovery the first
// instant at which every host is fully leased again (from the instants each
// host became fully leased or stopped being so: flips). The one thing the
// fleet-wide engine decided that this cannot see is the order of events of
// hosts in different groups at the same nanosecond; a flip to fully leased at the same
// instant as another host's flip away from it counts as coming after it.
//
// Timeouts, always EstablishTimeout after their attempt, go to the engine's
// fixed-delay lane (sim.Engine.Lane), a FIFO, instead of its heap: nine
// events in ten are timeouts in a collapsed run. A timeout then fires after
// the host's other events of the same nanosecond; none coincided in the runs
// checked (us-east-1 under none, operator and queue-size at 10⁵ and 10⁶
// droplets: every output byte for byte as with timeouts in the heap).

// spanIntervals is how many sample intervals each group runs before the
// next takes over; each span ends with the fleet's samples handed to Observe
// and Stop polled. A host's memory is brought back into cache once a span:
// us-east-1 at 10⁶ droplets (4 spans of 4 h) takes about 0.8 of the CPU time
// it takes in spans of 1 h, and a whole run in one span saves little more. A
// var for the tests.
var spanIntervals = 240

// maxShared bounds interventions: an index shares a fleet-wide event's arg
// with the group (24 bits each).
const maxShared = 1 << 24

func sharedArg(g, i int) uint64 { return uint64(g)<<24 | uint64(i) }

func fromShared(arg uint64) (g, i int) { return int(arg >> 24), int(arg & (1<<24 - 1)) }

// groupDroplets is about how many droplets share an engine: hosts of fewer
// droplets run in groups (consecutive hosts, one engine), so that a fleet of
// tiny hosts does not pay an engine (a few KiB) per host. A var for the
// tests.
var groupDroplets = 1000

// flip is an instant at which a host became fully leased (full) or stopped
// being so.
type flip struct {
	t    sim.Time
	full bool
}

// lease and unlease count a lease gained or lost at host h.
func (m *Model) lease(h int, now sim.Time) {
	m.integrate(h, now)
	m.leased[h]++
	if m.leased[h] == m.size(h) {
		m.flips = append(m.flips, flip{now, true})
	}
}

func (m *Model) unlease(h int, now sim.Time) {
	m.lastLapse = max(m.lastLapse, now)
	m.integrate(h, now)
	if m.leased[h] == m.size(h) {
		m.flips = append(m.flips, flip{now, false})
	}
	m.leased[h]--
}

// integrate adds host h's droplets without a lease since its last change
// to its integral, up to now.
func (m *Model) integrate(h int, now sim.Time) {
	if now > m.changed[h] {
		m.unleased[h] += float64(m.size(h)-m.leased[h]) * float64(now-m.changed[h])
		m.changed[h] = now
	}
}

// UnleasedHours is the droplet-hours without a lease from virtual 0 to end
// (the run's end), integrated exactly over every lease lapse and renewal:
// it does not depend on the sample interval. Call it after Run.
func (m *Model) UnleasedHours(end sim.Time) float64 {
	var ns float64
	for h := range m.unleased {
		ns += m.unleased[h]
		if end > m.changed[h] {
			ns += float64(m.size(h)-m.leased[h]) * float64(end-m.changed[h])
		}
	}
	return ns / float64(time.Hour)
}

// partial is the fleet's sums at one sample instant while the hosts run.
type partial struct {
	counts model.Counts
	queue  int
	leased int
}

// Run simulates to o.Horizon. Samples reach o.Observe once every host has run
// past them; o.Stop is polled between hosts and after each span, and a run
// stopped inside a span ends at the last sample handed out.
func (m *Model) Run(o model.Options) (model.Result, error) {
	if o.Horizon <= 0 || o.Interval <= 0 {
		return model.Result{}, fmt.Errorf("dwfm: horizon %v and interval %v must be above 0", o.Horizon, o.Interval)
	}
	res := model.Result{TriggerEnd: m.TriggerEnd()}
	N := len(m.drops)
	leased := N // fleet-wide, as of the last sample
	// Sample k is taken at ts(k), as model.Drive takes them.
	n := int((o.Horizon + o.Interval - 1) / o.Interval)
	ts := func(k int) sim.Time { return min(sim.Time(k+1)*o.Interval, o.Horizon) }
	span := min(spanIntervals, n)
	buf := make([]partial, span)
	prev := sim.Time(0)
	for lo := 0; lo < n; lo += span {
		hi := min(lo+span, n)
		clear(buf)
		// Stop is polled between spans only: a span stopped part way would
		// leave the groups before the stop ahead of the sample handed out,
		// their work (wasted, events, sojourns) in the run's measures, so
		// that an interrupted run's summary contradicted itself (sim_s 0,
		// 3.4 M events). A stop waits for the span: under a second at 10⁶
		// droplets.
		for g, e := range m.engs {
			m.eng = e
			h0, h1 := m.hostsOf(g)
			for k := lo; k < hi; k++ {
				e.RunUntil(ts(k))
				p := &buf[k-lo]
				p.counts.Add(m.meter.Interval)
				m.meter.Interval = model.Counts{}
				for h := h0; h < h1; h++ {
					p.queue += m.hosts[h].Queued()
					p.leased += m.leased[h]
				}
			}
		}
		for k := lo; k < hi; k++ {
			p := &buf[k-lo]
			m.meter.Interval = p.counts
			s := m.meter.Flush(ts(k), ts(k)-prev, p.queue, p.leased, N-p.leased)
			prev, leased = ts(k), p.leased
			if o.Observe != nil {
				o.Observe(s)
			}
		}
		res.End = prev
		if hi < n && o.Stop != nil && o.Stop() {
			res.Interrupted = true
			break
		}
	}
	rec := m.recovered(res.End)
	res.Recovered = rec >= 0
	if res.Recovered {
		res.Recovery = rec - res.TriggerEnd
	}
	res.Ideal = m.Bound(o.Horizon)
	// A run that ends before any policy could have recovered (the bound)
	// says nothing about the policy: undetermined, not "never".
	if !res.Recovered && !res.Interrupted && res.End < res.TriggerEnd+res.Ideal {
		res.Undetermined = true
	}
	var fired uint64
	for _, e := range m.engs {
		fired += e.Fired()
	}
	// The fleet-wide events fired once per group, and once in the fleet.
	res.Events = fired - m.shared + m.shared/uint64(len(m.engs))
	res.Finish(m.meter, m.asked)
	for _, h := range m.hosts {
		res.InFlight += uint64(h.Holding())
	}
	res.Refusals = model.CountRefusals(m.hooks, m.gates, m.hosts, m.retriesRefused)
	if !res.Interrupted {
		return res, m.check(res, leased)
	}
	return res, nil
}

// InvariantForGood is DWFM's recovery condition: recovered means every
// droplet holds a lease from the recovery instant to the end of the run.
const InvariantForGood = "recovered: every droplet leased from recovery_s to the horizon"

// check tests the recovery against what the droplets did, apart from the
// flips recovered reads: no lease lapsed after the recovery instant, and
// every droplet held one at the end (leased, from the last sample).
func (m *Model) check(res model.Result, leased int) error {
	if !res.Recovered {
		return nil
	}
	at := res.TriggerEnd + res.Recovery
	if m.lastLapse > at || leased != len(m.drops) {
		return &model.Violation{Invariant: InvariantForGood, Detail: fmt.Sprintf(
			"recovered at %v, yet a lease lapsed at %v and %d of %d droplets are leased at the end (%v)", at, m.lastLapse, leased, len(m.drops), res.End)}
	}
	return nil
}

// recovered is the instant from which every host stays fully leased up to
// end: the last instant a host's last droplet was leased again while every
// other host was fully leased, or the end of the last outage when none was
// short from then on; -1 when a host is short at end, or end comes before the
// last outage's end. A lease that lapses after the dependency returns (its
// droplet's first check after the outage came after the lease ran out) makes
// its host short again, and recovery waits for it.
func (m *Model) recovered(end sim.Time) sim.Time {
	slices.SortStableFunc(m.flips, func(a, b flip) int {
		switch {
		case a.t != b.t:
			return int(a.t - b.t)
		case a.full == b.full:
			return 0
		case a.full:
			return 1
		}
		return -1
	})
	te := m.TriggerEnd()
	if end < te {
		return -1
	}
	short := 0 // hosts not fully leased; all are at 0
	since := sim.Time(0)
	for _, f := range m.flips {
		if f.t > end {
			break
		}
		if !f.full {
			short++
			continue
		}
		if short--; short == 0 {
			since = f.t
		}
	}
	if short > 0 {
		return -1
	}
	return max(since, te)
}
