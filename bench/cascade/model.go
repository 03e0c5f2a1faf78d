package cascade

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/nlb"
	"github.com/aftershock/aftershock/bench/sim"
)

// Stage is a built model the cascade runs: its DWFM stage (a *dwfm.Model
// under its policy's hooks, built by the runner).
type Stage interface {
	Run(model.Options) (model.Result, error)
}

// unleased is a DWFM stage that integrates its droplet-hours without a
// lease exactly (a *dwfm.Model): up to end, independent of the sample
// interval.
type unleased interface {
	UnleasedHours(end sim.Time) float64
}

// Config is a cascade as it runs: its DWFM stage built, the later stages'
// configs (each one's section and station; the cascade gives each its
// input as the run goes) and policies' hooks, and the link. The runner
// (package bench) builds it from a cascade scenario.
type Config struct {
	Link Link
	// DWFM is the first stage; OutageStart the start of its first
	// dependency outage (0 if none), from which the later stages' own input
	// is held back until every lease is back.
	DWFM        Stage
	OutageStart sim.Time
	// NetProp and NLB are the later stages, each its section and its
	// [service] (the propagation station, each AZ's checker); their Input
	// and Targets are the cascade's to set, and left unset here.
	// NetPropHooks and NLBHooks are their policies.
	NetProp                netprop.Config
	NLB                    nlb.Config
	NetPropHooks, NLBHooks model.Hooks
}

// Validate checks c: a DWFM stage, the link, the NLB stage's section (the
// cascade, not the stage, switches its failover) and both later stages'
// stations (a queue and workers). The later stages' inputs are the
// cascade's, so the rest of their sections is checked when each is built.
func (c Config) Validate() error {
	if c.DWFM == nil {
		return fmt.Errorf("cascade: no dwfm stage")
	}
	if err := c.Link.Validate(); err != nil {
		return err
	}
	if err := c.NLB.NLB.Validate(); err != nil {
		return fmt.Errorf("cascade: stage nlb: %w", err)
	}
	if c.NLB.NLB.NoFailover {
		return fmt.Errorf("cascade: stage nlb sets no_failover: the cascade's [link] failover_off_at and failover_on_at (or the failover-off policy) set the switch")
	}
	for _, s := range []struct {
		name string
		sp   model.StationConfig
	}{{"netprop", c.NetProp.Service}, {"nlb", c.NLB.Service}} {
		if err := s.sp.Validate(); err != nil {
			return fmt.Errorf("cascade: stage %s: [service]: %w", s.name, err)
		}
		if s.sp.Delay || s.sp.QueueCapacity != 0 {
			return fmt.Errorf("cascade: stage %s: delay_station and queue_capacity are for the generic model", s.name)
		}
	}
	if c.NetProp.Input != nil || len(c.NLB.Targets) > 0 {
		return fmt.Errorf("cascade: the later stages' input and targets are the cascade's to set")
	}
	return nil
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
	// on; the NLB stage's start (NLBStart) if they never rose above.
	NLBRestored sim.Time
	EventEnd    sim.Time // the latest of the ends; -1 if any is

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
	// TriggerEnd, as the standalone runs report it); NetPropRan and NLBRan
	// say whether those stages ran (DWFM recovered, and the run was not
	// interrupted before them).
	DWFM, NetProp, NLB model.Result
	NetPropRan, NLBRan bool
	ReleaseOver        sim.Time // the link's release window, for the bound
	Interrupted        bool     // a stage was stopped before the horizon
	NLBTotals          nlb.Totals
	// NLBStart is the NLB stage's start: DWFM's recovery, or the stage's
	// first launch if that is later (a launch of the base stream before an
	// outage that does not start at 0 comes earlier, and the stage still
	// starts at the recovery); -1: the stage did not run. Its time-series
	// columns are empty before it.
	NLBStart    sim.Time
	PeakLatency float64 // the largest p99 propagation latency of a sample interval, seconds (NaN: none)
	Series      []Row   // one per sample interval of the timeline (DWFM's only where the others did not run)
}

// Clock is the wall clock of t as HH:MM (PDT for the preset), or "-" when t
// is -1: for tables; the summary's columns are RFC 3339 (ClockTime).
func (o Outcome) Clock(t sim.Time) string {
	if t < 0 {
		return "-"
	}
	return o.Start.Add(t.Duration()).Format("15:04")
}

// ClockTime is the wall clock of t; zero when t is -1.
func (o Outcome) ClockTime(t sim.Time) time.Time {
	if t < 0 {
		return time.Time{}
	}
	return o.Start.Add(t.Duration())
}

// Model is a cascade ready to run once.
type Model struct {
	cfg Config
	env model.Env
	out Outcome
	ran bool
}

var (
	_ Stage        = (*Model)(nil)
	_ model.Extras = (*Model)(nil)
)

// New checks c and returns its cascade, to run under env: its seed and its
// epoch (the DWFM stage's start) are every stage's. env.Hooks are unused:
// the DWFM stage is built under its own hooks, and c holds the later
// stages'. Every error about c comes from here, before anything runs.
func New(c Config, env model.Env) (*Model, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &Model{cfg: c, env: env}, nil
}

// Columns are the time series' extra columns: the DWFM stage's own (if it
// has any), then StageColumns.
func (m *Model) Columns() []string {
	var own []string
	if e, ok := m.cfg.DWFM.(model.Extras); ok {
		own = e.Columns()
	}
	return append(append([]string(nil), own...), StageColumns...)
}

// Hosts is its DWFM stage's hosts (0 when the stage does not say).
func (m *Model) Hosts() int {
	if h, ok := m.cfg.DWFM.(interface{ Hosts() int }); ok {
		return h.Hosts()
	}
	return 0
}

// Metrics are none: the cascade's measures are its summary columns
// (SummaryColumns) and its Outcome.
func (m *Model) Metrics() []model.Metric { return nil }

// Outcome is what the run produced (complete after Run).
func (m *Model) Outcome() Outcome { return m.out }

// Run runs the three stages in sequence, each to o's horizon at o's
// interval, checking each stage's invariants (model.Result.Check and every
// sample's); call it once. o.Observe sees one sample per interval of the
// timeline, after the last stage: DWFM's sample with the stages' columns in
// Extra (NaN where a stage did not run). o.Stop is polled by every stage; an
// interrupted stage ends the run there. The Result is the whole event's:
// recovered when every stage's end came by the horizon (Milestones.EventEnd),
// its recovery from the DWFM outage's end, its ideal DWFM's plus the link's
// release window (no policy ends propagation before the last held-back item
// is offered); its other measures (queue, waste, amplification, sojourn,
// refusals) are the DWFM stage's, and Events the three stages'.
func (m *Model) Run(o model.Options) (model.Result, error) {
	if m.ran {
		return model.Result{}, fmt.Errorf("cascade: a Model runs once")
	}
	m.ran = true
	if o.Horizon <= 0 || o.Interval <= 0 {
		return model.Result{}, fmt.Errorf("cascade: horizon %v and interval %v must be above 0", o.Horizon, o.Interval)
	}
	c, link := m.cfg, m.cfg.Link
	out := &m.out
	*out = Outcome{Start: m.env.Epoch, FirstOffer: -1, PeakLatency: math.NaN(), Milestones: never, ReleaseOver: sim.Time(link.ReleaseOver), NLBStart: -1}
	var samples []model.Sample
	var bad error // the first sample of a later stage that broke an invariant
	check := func(s model.Sample) {
		if bad == nil {
			bad = s.Check()
		}
	}

	// DWFM, to the horizon; the droplet-hours without a lease from the
	// stage's exact integral (from its samples for a stage without one).
	dres, err := c.DWFM.Run(model.Options{Horizon: o.Horizon, Interval: o.Interval, Stop: o.Stop,
		Observe: func(s model.Sample) {
			out.DropletHours += float64(s.Expired) * s.Interval.Duration().Hours()
			samples = append(samples, s)
		}})
	out.DWFM = dres
	if err = stageErr("dwfm", m.env.Seed, dres, err, nil); err != nil {
		return m.finish(o, samples, nil, nil), err
	}
	if u, ok := c.DWFM.(unleased); ok { // exact: the samples' snapshots depend on --interval
		out.DropletHours = u.UnleasedHours(dres.End)
	}
	if !dres.Recovered { // nothing is released: no later stage starts
		return m.finish(o, samples, nil, nil), nil
	}
	recovered := dres.TriggerEnd + dres.Recovery
	out.Milestones.DWFMRecovered = recovered // as the stage judged it so far, when it was interrupted
	if dres.Interrupted {
		return m.finish(o, samples, nil, nil), nil
	}

	// Network Manager: the held-back items from DWFM's recovery on.
	held := math.Round(link.ItemsPerDropletHour * out.DropletHours)
	if held > netprop.MaxSurge { // Sized bounds it before the run; kept for a caller that did not ask
		return m.finish(o, samples, nil, nil), fmt.Errorf("cascade: %.0f held-back items (%.0f droplet-hours × %g), above netprop's %d", held, out.DropletHours, link.ItemsPerDropletHour, netprop.MaxSurge)
	}
	out.HeldBack = int(held)
	pc := c.NetProp.NetProp
	pc.Surge, pc.SurgeAt, pc.SurgeOver = out.HeldBack, model.Duration(recovered), link.ReleaseOver
	in := &holdBack{in: netprop.NewStream(pc, o.Horizon, sim.Stream(m.env.Seed, "netprop/input")), from: c.OutageStart, until: recovered, first: -1, horizon: o.Horizon}
	pm, err := netprop.New(netprop.Config{NetProp: pc, Service: c.NetProp.Service, Input: in}, m.stage(c.NetPropHooks, o))
	if err != nil {
		return m.finish(o, samples, nil, nil), fmt.Errorf("cascade: stage netprop: %w", err)
	}
	visible := link.VisibleLatency
	if visible == 0 {
		visible = pc.Normal
	}
	var props []netprop.Interval
	pm.OnInterval = func(v netprop.Interval) {
		props = append(props, v)
		if !(v.P99 <= out.PeakLatency) && !math.IsNaN(v.P99) {
			out.PeakLatency = v.P99
		}
		if out.Milestones.PropSlow < 0 && v.P99 > time.Duration(pc.Normal).Seconds() {
			out.Milestones.PropSlow = v.T
		}
		if out.Milestones.PropUp < 0 && v.P99 > time.Duration(visible).Seconds() {
			out.Milestones.PropUp = v.T
		}
	}
	nc := c.NLB.NLB
	var targets []nlb.Target
	for z := range nc.Zones {
		for range nc.TargetsPerZone {
			targets = append(targets, nlb.Target{Zone: z})
		}
	}
	initial := len(targets)
	propAt := map[sim.Time][]sim.Time{} // propagated instants by launch instant, in finishing order
	pm.Output = func(launched, propagated sim.Time) {
		out.Launches++
		propAt[launched] = append(propAt[launched], propagated)
	}
	bad = nil
	out.NetProp, err = pm.Run(model.Options{Horizon: o.Horizon, Interval: o.Interval, Stop: o.Stop, Observe: check})
	out.NetPropRan, out.FirstOffer = true, in.first
	if err = stageErr("netprop", m.env.Seed, out.NetProp, err, bad); err != nil {
		return m.finish(o, samples, props, nil), err
	}
	if out.NetProp.Recovered {
		out.Milestones.PropNormal = out.NetProp.TriggerEnd + out.NetProp.Recovery
	}
	if out.NetProp.Interrupted {
		return m.finish(o, samples, props, nil), nil
	}

	// NLB: the initial fleet and every NLBEvery-th launch, in launch order,
	// registered at its launch; one still propagating at the horizon never
	// propagates within the run.
	targets = launchTargets(targets, in.launches, propAt, link.NLBEvery, nc.Zones)
	out.Targets = len(targets) - initial
	if link.ReachBefore > 0 {
		nc.ReachBefore = link.ReachBefore
	}
	// The stage preset's failover times are on its own clock: the link's
	// (none by default: the failover-off policy switches it) replace them.
	nc.FailoverOffAt, nc.FailoverOnAt = link.FailoverOffAt, link.FailoverOnAt
	nm, err := nlb.New(nlb.Config{NLB: nc, Service: c.NLB.Service, Targets: targets, From: recovered}, m.stage(c.NLBHooks, o))
	if err != nil {
		return m.finish(o, samples, props, nil), fmt.Errorf("cascade: stage nlb: %w", err)
	}
	var nlbs []nlb.Interval
	nm.OnInterval = func(v nlb.Interval) { nlbs = append(nlbs, v) }
	bad = nil
	out.NLB, err = nm.Run(model.Options{Horizon: o.Horizon, Interval: o.Interval, Stop: o.Stop, Observe: check})
	out.NLBRan = true
	if err = stageErr("nlb", m.env.Seed, out.NLB, err, bad); err != nil {
		return m.finish(o, samples, props, nlbs), err
	}
	out.NLBTotals = nm.Totals()
	// The stage starts at DWFM's recovery, or at its first launch if that is
	// later (the model's TriggerEnd, with From: recovered; a base-stream launch before
	// an outage that does not start at 0 registers earlier, but the stage's
	// shares, recovery, milestones, totals and series all count from here),
	// or at the recovery when none comes.
	start := max(out.NLB.TriggerEnd, recovered)
	out.NLBStart = start
	ms := &out.Milestones
	ms.NLBErrors = nm.ErrorsFrom()
	if out.NLB.Recovered {
		ms.ConnRestored = max(out.NLB.TriggerEnd+out.NLB.Recovery, start)
	}
	ms.FailoverOff, ms.FailoverOn = nm.FailoverSwitched()
	from, until := nm.CapacityErrors()
	ms.NLBRemovals, ms.NLBRestored = from, until
	switch {
	case from < 0:
		ms.NLBRestored = start
	case until >= out.NLB.End: // still above 1% at the end of the run
		ms.NLBRestored = -1
	}
	if !out.NLB.Interrupted && ms.PropNormal >= 0 && ms.NLBRestored >= 0 && ms.ConnRestored >= 0 {
		ms.EventEnd = max(ms.DWFMRecovered, ms.PropNormal, ms.NLBRestored, ms.ConnRestored)
	}
	return m.finish(o, samples, props, nlbs), nil
}

// launchTargets appends to targets every every-th of launches (their
// instants, in launch order) as an NLB target in zone k/every mod zones,
// registered at its launch and propagated when props says (the first
// instant left for its launch instant), or never within the run.
func launchTargets(targets []nlb.Target, launches []sim.Time, props map[sim.Time][]sim.Time, every, zones int) []nlb.Target {
	for i, at := range launches {
		p := sim.Time(math.MaxInt64)
		if q := props[at]; len(q) > 0 {
			p, props[at] = q[0], q[1:]
		}
		if k := i + 1; k%every == 0 {
			targets = append(targets, nlb.Target{Zone: k / every % zones, Launch: at, Propagated: p})
		}
	}
	return targets
}

// stage is the Env a later stage is built under: the cascade's seed and
// epoch, its own hooks, o's horizon.
func (m *Model) stage(h model.Hooks, o model.Options) model.Env {
	return model.Env{Seed: m.env.Seed, Epoch: m.env.Epoch, Hooks: h, Horizon: o.Horizon}
}

// stageErr is the error of a stage's run: its own error, else the first of
// its samples' broken invariants (bad), else its Result's, wrapped with the
// stage's name and the seed (a *model.Violation stays one to errors.As).
func stageErr(stage string, seed uint64, r model.Result, err, bad error) error {
	var v *model.Violation
	if err != nil && !errors.As(err, &v) {
		return fmt.Errorf("cascade: stage %s: %w", stage, err)
	}
	if err == nil {
		err = bad
	}
	if err == nil {
		err = r.Check()
	}
	if err != nil {
		return fmt.Errorf("cascade: stage %s, seed %d: %w", stage, seed, err)
	}
	return nil
}

// finish zips the stages' intervals into the series, hands each row to
// o.Observe and returns the event's Result (see Run).
func (m *Model) finish(o model.Options, d []model.Sample, p []netprop.Interval, n []nlb.Interval) model.Result {
	out := &m.out
	from := out.NLBStart
	if from < 0 { // stopped by an error within the stage: its rows from DWFM's recovery
		from = out.Milestones.DWFMRecovered
	}
	out.Series = series(d, p, n, from)
	out.Interrupted = out.DWFM.Interrupted || out.NetProp.Interrupted || out.NLB.Interrupted
	if o.Observe != nil {
		own := len(m.Columns()) - len(StageColumns)
		for _, r := range out.Series {
			o.Observe(r.sample(own))
		}
	}
	res := out.DWFM // its queue, waste, amplification, sojourn, totals and refusals
	res.Events = out.DWFM.Events + out.NetProp.Events + out.NLB.Events
	res.Interrupted = out.Interrupted
	for _, r := range []model.Result{out.NetProp, out.NLB} {
		if r.End > 0 {
			res.End = r.End // the last stage that ran: where the run stopped
		}
	}
	res.Ideal = -1
	if out.DWFM.Ideal >= 0 {
		res.Ideal = out.DWFM.Ideal + out.ReleaseOver
	}
	end := out.Milestones.EventEnd
	res.Recovered, res.Recovery = end >= 0, 0
	if res.Recovered {
		res.Recovery = end - out.DWFM.TriggerEnd
	}
	res.Undetermined = out.DWFM.Undetermined && !res.Recovered
	return res
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

// PublishedAt is the first instant after start whose clock (in start's
// zone) reads hhmm ("05:28"): a published time on the timeline of a run
// that starts at start.
func PublishedAt(start time.Time, hhmm string) (time.Time, error) {
	c, err := time.Parse("15:04", hhmm)
	if err != nil {
		return time.Time{}, fmt.Errorf("cascade: published time %q: want HH:MM", hhmm)
	}
	t := time.Date(start.Year(), start.Month(), start.Day(), c.Hour(), c.Minute(), 0, 0, start.Location())
	if !t.After(start) {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}
