package cascade

import (
	"fmt"
	"math"
	"time"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/nlb"
	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/bench/sim"
)

// Run is one cascade: a file, the stages' policies, a seed.
type Run struct {
	File   *File
	Policy string // DWFM's policy spec; "" means none
	// NetPropPolicy and NLBPolicy are the other stages' specs ("": none):
	// admission and the queue roles act on netprop's station and on each
	// AZ's checker, velocity on the NLB's removals.
	NetPropPolicy, NLBPolicy string
	Seed                     uint64
	Droplets                 int           // DWFM's droplets when > 0 (the held-back work scales with it)
	Interval                 time.Duration // every stage's sample interval; 0: the DWFM scenario's
}

// Milestones are the cascade's instants on its timeline (virtual time from
// the DWFM scenario's start); -1 when a stage did not recover by the
// horizon. When DWFM does not recover, nothing is released and every
// milestone is -1.
type Milestones struct {
	DWFMRecovered sim.Time // every droplet leased again
	PropNormal    sim.Time // propagation latency back to normal
	// NLBRestored: the errors the NLB's removals cause (its capacity error
	// rate: AZs out of DNS, targets out of service) at or below 1% from then
	// on; the NLB stage's start (its first launch) if they never rose above.
	NLBRestored sim.Time
	EventEnd    sim.Time // the latest of the three; -1 if any is

	// The starts (-1: never): PropSlow, the end of the first sample interval
	// whose p99 propagation latency is above normal; PropUp, the first whose
	// p99 is above the link's visible_latency (visibly up); NLBErrors, the
	// first NLB tick (5 s) whose connection error rate is above 1%, as
	// NLBRestored is the end of the last.
	PropUp, NLBErrors, PropSlow sim.Time
	// ConnRestored is the end of the last tick whose connection error rate
	// (every failing connection, those to targets whose network state has
	// not propagated included) was above 1%; NLBRemovals, the first tick
	// whose capacity error rate was.
	ConnRestored, NLBRemovals sim.Time
	// FailoverOff and FailoverOn are the first NLB tick with automatic
	// failover off and the first after it with failover back on (-1: never):
	// the operators' switch, as the NLB stage saw it.
	FailoverOff, FailoverOn sim.Time
}

// never are the milestones of a run whose DWFM did not recover.
var never = Milestones{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}

// Outcome is what a cascade produced.
type Outcome struct {
	Start      time.Time // wall clock of virtual 0
	Milestones Milestones
	// DropletHours is the droplet-hours without a lease DWFM measured,
	// HeldBack the items released to netprop from DWFMRecovered, Targets
	// the launches that became the NLB's targets.
	DropletHours float64
	HeldBack     int
	Targets      int
	// FirstOffer is netprop's first item offered at or after the outage
	// began (-1: none); Launches the (launched, propagated) pairs it output.
	FirstOffer sim.Time
	Launches   int
	// Results of the three stages (each one's recovery from its own
	// TriggerEnd, as the standalone runs report it).
	DWFM, NetProp, NLB model.Result
	// NLBTotals are the NLB stage's measures over the run (zero when it did
	// not run); PeakLatency the largest p99 propagation latency of a sample
	// interval, seconds (NaN: none).
	NLBTotals   nlb.Totals
	PeakLatency float64
	// Series is the time series, one Row per sample interval of the
	// timeline (DWFM's only when DWFM did not recover).
	Series []Row
}

// Clock is the wall clock of t, or "-" when t is -1.
func (o Outcome) Clock(t sim.Time) string {
	if t < 0 {
		return "-"
	}
	return o.Start.Add(t.Duration()).Format("15:04")
}

// stages loads and checks the three stage scenarios.
func (r Run) stages() (d, p, n *scenario.Scenario, err error) {
	if r.File == nil {
		return nil, nil, nil, fmt.Errorf("cascade: no file")
	}
	load := func(stage, ref string, ok func(*scenario.Scenario) bool) (*scenario.Scenario, error) {
		sc, err := scenario.Load(ref)
		if err != nil {
			return nil, fmt.Errorf("cascade: stage %s: %w", stage, err)
		}
		if !ok(sc) {
			return nil, fmt.Errorf("cascade: stage %s: scenario %s has no [%s] section", stage, ref, stage)
		}
		return sc, nil
	}
	if d, err = load("dwfm", r.File.Stages.DWFM, func(s *scenario.Scenario) bool { return s.DWFM.Enabled() }); err != nil {
		return
	}
	if p, err = load("netprop", r.File.Stages.NetProp, func(s *scenario.Scenario) bool { return s.NetProp.Enabled() }); err != nil {
		return
	}
	n, err = load("nlb", r.File.Stages.NLB, func(s *scenario.Scenario) bool { return s.NLB.Enabled() })
	return
}

// Prepared is a Run whose stages are loaded and whose DWFM stage is built:
// every error about the inputs comes from Prepare.
type Prepared struct {
	run        Run
	ds, ps, ns *scenario.Scenario
	dwfm       *bench.Prepared
	unleased   float64 // droplet-hours without a lease, summed as DWFM runs
	samples    []model.Sample
	targets    []nlb.Target // the NLB stage's input, once built
	hp, hn     model.Hooks  // netprop's and nlb's policies
	ran        bool
}

// Prepare loads the stages and builds DWFM under the run's policy.
func (r Run) Prepare() (*Prepared, error) {
	p := &Prepared{run: r}
	var err error
	if p.ds, p.ps, p.ns, err = r.stages(); err != nil {
		return nil, err
	}
	if err := p.ns.NLB.Validate(); err != nil {
		return nil, fmt.Errorf("cascade: stage nlb: %w", err)
	}
	if p.ns.NLB.NoFailover {
		return nil, fmt.Errorf("cascade: stage nlb: scenario %s sets no_failover; the cascade's [link] sets the failover times", r.File.Stages.NLB)
	}
	build := func(stage, spec string, sp model.StationConfig, timeout model.Duration) (model.Hooks, error) {
		if spec == "" {
			return model.Hooks{}, nil
		}
		env := policy.Env{Capacity: sp.Capacity(), Workers: sp.Workers, MeanService: sp.ServiceTime.Mean().Duration(),
			Start: p.ds.Start, Timeout: time.Duration(timeout), Seed: r.Seed}
		h, err := policy.Build(spec, env)
		if err != nil {
			return h, fmt.Errorf("cascade: stage %s: %w", stage, err)
		}
		return h, nil
	}
	if p.hp, err = build("netprop", r.NetPropPolicy, p.ps.Service, p.ps.NetProp.Normal); err != nil {
		return nil, err
	}
	if p.hn, err = build("nlb", r.NLBPolicy, p.ns.Service, p.ns.NLB.CheckTimeout()); err != nil {
		return nil, err
	}
	dr := bench.Run{Scenario: p.ds, Policy: r.Policy, Seed: r.Seed, Droplets: r.Droplets, Interval: r.Interval,
		Observe: func(s model.Sample) {
			p.unleased += float64(s.Expired) * s.Interval.Duration().Hours()
			p.samples = append(p.samples, s)
		}}
	if p.dwfm, err = dr.Prepare(); err != nil {
		return nil, err
	}
	return p, nil
}

// Execute prepares r and runs it.
func (r Run) Execute() (Outcome, error) {
	p, err := r.Prepare()
	if err != nil {
		return Outcome{}, err
	}
	return p.Execute()
}

// Execute runs the three stages in sequence; call it once.
func (p *Prepared) Execute() (Outcome, error) {
	if p.ran {
		return Outcome{}, fmt.Errorf("cascade: a Prepared runs once")
	}
	p.ran = true
	r, ds, ps, ns := p.run, p.ds, p.ps, p.ns
	link := r.File.Link
	o := Outcome{Start: ds.Start, FirstOffer: -1, PeakLatency: math.NaN()}
	horizon := sim.Time(ds.Horizon)
	iv := sim.Time(p.dwfm.Scenario().Interval)

	// DWFM, to its horizon; the droplet-hours without a lease from its samples.
	out, err := p.dwfm.Execute()
	if err != nil {
		return Outcome{}, err
	}
	unleased := p.unleased
	o.DWFM, o.DropletHours = out.Result, unleased
	if !o.DWFM.Recovered { // nothing is released: no later stage starts
		o.Milestones = never
		o.Series = series(p.samples, nil, nil)
		return o, nil
	}
	recovered := o.DWFM.TriggerEnd + o.DWFM.Recovery
	o.Milestones.DWFMRecovered = recovered

	// Network Manager: the held-back items from DWFM's recovery on.
	held := math.Round(link.ItemsPerDropletHour * unleased)
	if held > netprop.MaxSurge {
		return Outcome{}, fmt.Errorf("cascade: %.0f held-back items (%.0f droplet-hours × %g), above netprop's %d", held, unleased, link.ItemsPerDropletHour, netprop.MaxSurge)
	}
	o.HeldBack = int(held)
	pc := ps.NetProp
	pc.Surge, pc.SurgeAt, pc.SurgeOver = o.HeldBack, model.Duration(recovered), link.ReleaseOver
	if pc.Surge == 0 && pc.BaseRate == 0 {
		return Outcome{}, fmt.Errorf("cascade: DWFM held nothing back (%.2f droplet-hours without a lease) and netprop has no base rate", unleased)
	}
	if err := pc.Validate(); err != nil {
		return Outcome{}, fmt.Errorf("cascade: stage netprop: %w", err)
	}
	outageStart := outageStart(ds)
	in := &holdBack{in: netprop.NewStream(pc, horizon, sim.Stream(r.Seed, "netprop/input")), from: outageStart, until: recovered, first: -1}
	pm, err := netprop.NewWithInput(pc, ps.Service, in, sim.Time(pc.SurgeEnd()), r.Seed, ds.Start, p.hp)
	if err != nil {
		return Outcome{}, fmt.Errorf("cascade: stage netprop: %w", err)
	}
	o.Milestones.PropUp, o.Milestones.PropSlow = -1, -1
	visible := link.VisibleLatency
	if visible == 0 {
		visible = pc.Normal
	}
	var props []netprop.Interval
	pm.OnInterval = func(v netprop.Interval) {
		props = append(props, v)
		if !(v.P99 <= o.PeakLatency) && !math.IsNaN(v.P99) {
			o.PeakLatency = v.P99
		}
		if o.Milestones.PropSlow < 0 && v.P99 > time.Duration(pc.Normal).Seconds() {
			o.Milestones.PropSlow = v.T
		}
		if o.Milestones.PropUp < 0 && v.P99 > time.Duration(visible).Seconds() {
			o.Milestones.PropUp = v.T
		}
	}
	var targets []nlb.Target
	nc := ns.NLB
	for z := range nc.Zones {
		for range nc.TargetsPerZone {
			targets = append(targets, nlb.Target{Zone: z})
		}
	}
	initial := len(targets)
	pm.Output = func(launched, propagated sim.Time) {
		if o.Launches++; o.Launches%link.NLBEvery == 0 {
			targets = append(targets, nlb.Target{Zone: o.Launches / link.NLBEvery % nc.Zones, Launch: launched, Propagated: propagated})
		}
	}
	if o.NetProp, err = pm.Run(model.Options{Seed: r.Seed, Horizon: horizon, Interval: iv}); err != nil {
		return Outcome{}, fmt.Errorf("cascade: stage netprop: %w", err)
	}
	if err := o.NetProp.Check(); err != nil {
		return Outcome{}, fmt.Errorf("cascade: stage netprop, seed %d: %w", r.Seed, err)
	}
	o.FirstOffer = in.first
	o.Milestones.PropNormal = -1
	if o.NetProp.Recovered {
		o.Milestones.PropNormal = o.NetProp.TriggerEnd + o.NetProp.Recovery
	}

	// NLB: the initial fleet and the launches netprop propagated.
	o.Targets = len(targets) - initial
	if link.ReachBefore > 0 {
		nc.ReachBefore = link.ReachBefore
	}
	// The stage preset's failover times are on its own clock: the link's
	// (none by default: the failover-off policy switches it) replace them.
	nc.FailoverOffAt, nc.FailoverOnAt = link.FailoverOffAt, link.FailoverOnAt
	p.targets = targets
	nlbs, err := p.runNLB(&o, nc, targets)
	if err != nil {
		return Outcome{}, err
	}
	o.Series = series(p.samples, props, nlbs)
	m := &o.Milestones
	m.EventEnd = max(m.DWFMRecovered, m.PropNormal, m.NLBRestored, m.ConnRestored)
	if m.PropNormal < 0 || m.NLBRestored < 0 || m.ConnRestored < 0 {
		m.EventEnd = -1
	}
	return o, nil
}

// runNLB runs the NLB stage on targets and sets its result and milestones.
func (p *Prepared) runNLB(o *Outcome, nc nlb.Config, targets []nlb.Target) ([]nlb.Interval, error) {
	nm, err := nlb.NewWithTargets(nc, p.ns.Service, targets, p.run.Seed, p.ds.Start, p.hn)
	if err != nil {
		return nil, fmt.Errorf("cascade: stage nlb: %w", err)
	}
	var nlbs []nlb.Interval
	nm.OnInterval = func(v nlb.Interval) { nlbs = append(nlbs, v) }
	if o.NLB, err = nm.Run(model.Options{Seed: p.run.Seed, Horizon: sim.Time(p.ds.Horizon), Interval: sim.Time(p.dwfm.Scenario().Interval)}); err != nil {
		return nil, fmt.Errorf("cascade: stage nlb: %w", err)
	}
	if err := o.NLB.Check(); err != nil {
		return nil, fmt.Errorf("cascade: stage nlb, seed %d: %w", p.run.Seed, err)
	}
	o.NLBTotals = nm.Totals()
	o.Milestones.NLBErrors = nm.ErrorsFrom()
	m := &o.Milestones
	m.ConnRestored = -1
	if o.NLB.Recovered {
		m.ConnRestored = o.NLB.TriggerEnd + o.NLB.Recovery
	}
	m.FailoverOff, m.FailoverOn = nm.FailoverSwitched()
	from, until := nm.CapacityErrors()
	m.NLBRemovals, m.NLBRestored = from, until
	switch {
	case from < 0:
		m.NLBRestored = o.NLB.TriggerEnd
	case until >= o.NLB.End: // still above 1% at the horizon
		m.NLBRestored = -1
	}
	return nlbs, nil
}

// outageStart is the start of the DWFM scenario's first dependency outage
// (0 if it has none).
func outageStart(sc *scenario.Scenario) sim.Time {
	ws, err := model.Windows(sc.Triggers, model.DependencyOutage)
	if err != nil || len(ws) == 0 {
		return 0
	}
	first := ws[0].Start
	for _, w := range ws[1:] {
		first = min(first, w.Start)
	}
	return first
}

// Published are the milestones of AWS's post-event summary
// (https://aws.amazon.com/message/101925/), PDT clock: every lease back;
// propagation latency up and back to normal; NLB connection errors from, and
// until failover was disabled (which "resolved the increased connection
// errors"); when monitoring detected the NLB's health-check failures; and
// when failover was re-enabled, the end of the NLB impact window AWS gives
// (05:30–14:09).
var Published = struct{ DWFMRecovered, PropUp, PropNormal, NLBErrors, NLBRestored, NLBDetected, FailoverOn string }{
	"05:28", "06:21", "10:36", "05:30", "09:36", "06:52", "14:09"}
