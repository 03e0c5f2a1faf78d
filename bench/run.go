package bench

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/dnsrace"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/results"
)

// Run is one simulation: a scenario under a policy with a seed.
type Run struct {
	Scenario *scenario.Scenario
	Policy   string // a policy spec; "" means none
	Seed     uint64
	Droplets int           // DWFM (a cascade's dwfm stage too): overrides the scenario's droplet count when > 0
	Interval time.Duration // sample interval; 0: the scenario's
	Observe  func(model.Sample)
	Stop     func() bool // polled once per sample interval; true interrupts the run
	// Limits bound the run's estimated cost (zero fields: DefaultLimits).
	// Rows counts only when the caller writes a time series (WritesRows).
	Limits     Limits
	WritesRows bool
}

// Outcome is what a Run produced.
type Outcome struct {
	Summary results.Summary
	Result  model.Result
	Hosts   int            // the model's stations when it has several (DWFM hosts, a cascade's DWFM stage's, NLB's per-AZ checkers); else 0
	Metrics []model.Metric // the model's own measures of the run (model.Extras); nil if none
	// Cascade is a cascade's own outcome (its milestones, stages and time
	// series); nil for any other model.
	Cascade *cascade.Outcome
	// Violation is the invariant the run broke (a *model.Violation: a bug
	// in aftershock), nil when every one held. Execute returns it as its
	// error too, and the Summary says complete=false.
	Violation error
}

// hosted is a model of several stations (Outcome.Hosts).
type hosted interface{ Hosts() int }

// Prepared is a Run whose model is built and ready.
type Prepared struct {
	run    Run
	model  Model
	hosts  int
	sc     scenario.Scenario
	cols   []string // the model's extra time-series columns
	policy string   // the policy as the summary names it
}

// Caveats are the policy's warnings on the run's scenario (policy.Caveats):
// a part whose parameters make it something other than its name. nil when
// the run does not resolve (Prepare says why).
func (r Run) Caveats() []string {
	_, plan, err := r.resolve()
	if err != nil {
		return nil
	}
	return plan.Caveats
}

// PolicyName is the run's policy as its summary names it (a cascade's
// stages' specs in order, after the bundle they came from), or why the run
// does not resolve.
func (r Run) PolicyName() (string, error) {
	_, plan, err := r.resolve()
	return plan.Policy, err
}

// Prepare validates the run, checks its estimated cost against its Limits,
// and builds its model: every error about the inputs comes from here, before
// anything is simulated.
func (r Run) Prepare() (*Prepared, error) {
	sc, plan, err := r.resolve()
	if err != nil {
		return nil, err
	}
	if err := r.Limits.Check(r.estimate(&sc, plan)); err != nil {
		return nil, err
	}
	p := &Prepared{run: r, sc: sc, policy: plan.Policy}
	if p.model, err = plan.New(model.Env{Seed: r.Seed, Epoch: epoch(sc), Horizon: sim.Time(sc.Horizon)}); err != nil {
		return nil, err
	}
	if h, ok := p.model.(hosted); ok {
		p.hosts = h.Hosts()
	}
	if e, ok := p.model.(model.Extras); ok {
		if p.cols = e.Columns(); len(p.cols) > model.MaxExtra {
			return nil, fmt.Errorf("bench: model %s has %d extra columns, at most %d", registration(&sc).Name, len(p.cols), model.MaxExtra)
		}
	}
	return p, nil
}

// Estimate validates the run and returns its estimated cost without
// building it, for a caller that checks limits of its own (a sweep holds
// several runs at once).
func (r Run) Estimate() (Estimate, error) {
	sc, plan, err := r.resolve()
	if err != nil {
		return Estimate{}, err
	}
	return r.estimate(&sc, plan), nil
}

// resolve applies the run's overrides to its scenario (a cascade's
// droplets to its dwfm stage), validates it, expands its dns-race triggers
// (a cascade's dwfm stage's) for the seed, picks the model and plans the run
// under the policy.
func (r Run) resolve() (scenario.Scenario, Plan, error) {
	var none scenario.Scenario
	if r.Scenario == nil {
		return none, Plan{}, fmt.Errorf("bench: no scenario")
	}
	sc := *r.Scenario
	// A cascade's stages are shared with r.Scenario: each one changed here
	// is a copy.
	lease := &sc // the scenario whose [dwfm] the droplets set
	if sc.Stages.DWFM != nil {
		ds := *sc.Stages.DWFM
		sc.Stages.DWFM, lease = &ds, &ds
	}
	if r.Droplets < 0 {
		return none, Plan{}, fmt.Errorf("bench: droplets %d below 0", r.Droplets)
	}
	if r.Droplets > 0 {
		if !lease.DWFM.Enabled() {
			return none, Plan{}, fieldErrorf("bench: %s %d given but scenario %s has no [dwfm] section", field("droplets"), r.Droplets, sc.Name)
		}
		lease.DWFM.Droplets = r.Droplets
	}
	if r.Interval < 0 {
		return none, Plan{}, fmt.Errorf("bench: interval %v below 0", r.Interval)
	}
	if r.Interval > 0 {
		if err := model.InRange(field("interval"), model.Duration(r.Interval), scenario.MinInterval, sc.Horizon); err != nil {
			return none, Plan{}, fieldErrorf("bench: %v", err)
		}
		sc.Interval = model.Duration(r.Interval)
	}
	if err := sc.Validate(); err != nil { // again: the overrides may break it
		return none, Plan{}, err
	}
	if lease != &sc {
		if err := lease.Validate(); err != nil {
			return none, Plan{}, err
		}
	}
	// A dns-race trigger becomes the outages its race produces for this seed.
	triggers, err := dnsrace.Expand(lease.Triggers, r.Seed)
	if err != nil {
		return none, Plan{}, fmt.Errorf("bench: scenario %s: %w", sc.Name, err)
	}
	lease.Triggers = triggers
	plan, err := registration(&sc).plan(&sc, r.policy(), r.Seed)
	if err != nil {
		return none, Plan{}, err
	}
	return sc, plan, nil
}

// policy is the run's policy spec, none when not given.
func (r Run) policy() string {
	if r.Policy == "" {
		return "none"
	}
	return r.Policy
}

// estimate is the cost of running sc as planned.
func (r Run) estimate(sc *scenario.Scenario, plan Plan) Estimate {
	c := plan.Cost
	samples := float64(sc.Horizon)/float64(sc.Interval) + 1 // each one an event
	e := Estimate{Events: c.Events + samples, Bytes: c.Bytes}
	if r.WritesRows {
		e.Rows = samples
	}
	return e
}

// epoch is the wall time of virtual 0 handed to admission controls: the
// scenario's clock if it has one, else the Unix epoch.
func epoch(sc scenario.Scenario) time.Time {
	if sc.Start.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return sc.Start
}

// Scenario is the scenario as it will run (with overrides applied).
func (p *Prepared) Scenario() scenario.Scenario { return p.sc }

// Clock is the incident's local time at virtual time t; zero without a start.
func (p *Prepared) Clock(t sim.Time) time.Time {
	if p.sc.Start.IsZero() {
		return time.Time{}
	}
	return p.sc.Start.Add(t.Duration())
}

// Execute runs the prepared model to the horizon (or until Stop).
func (p *Prepared) Execute() (Outcome, error) {
	wall := time.Now()
	var violation error // the first sample that broke an invariant, then the result's
	res, err := p.model.Run(model.Options{
		Horizon: sim.Time(p.sc.Horizon), Interval: sim.Time(p.sc.Interval),
		Observe: func(s model.Sample) {
			if violation == nil {
				violation = s.Check()
			}
			if p.run.Observe != nil {
				p.run.Observe(s)
			}
		},
		Stop: p.run.Stop,
	})
	var v *model.Violation
	if err != nil && !errors.As(err, &v) {
		return Outcome{}, err
	}
	if violation == nil {
		violation = err // the model's own invariant (dwfm: recovery for good)
	}
	if violation == nil {
		violation = res.Check()
	}
	name := p.policy
	if name == "" { // a Prepared not from Prepare
		name = p.run.policy()
	}
	s := results.Summary{
		Scenario: p.sc.Name, Policy: name, Seed: p.run.Seed, Droplets: -1,
		Recovered: res.Recovered, Undefined: res.Undefined, Undetermined: res.Undetermined, RecoveryS: math.NaN(), IdealS: math.NaN(),
		PeakQueue: res.PeakQueue, WastedFraction: res.WastedFraction, Amplification: res.Amplification,
		Sojourn: res.Sojourn, Events: res.Events, SimS: res.End.Seconds(), Complete: !res.Interrupted,
		WallS:         time.Since(wall).Seconds(),
		AdmitRefusals: res.Refusals.Admission, ClientRefusals: res.Refusals.Client,
		RetryRefusals: res.Refusals.Retry, QueueDrops: res.Refusals.Queue,
	}
	lease, triggers := &p.sc, p.sc.Triggers // a cascade's are its dwfm stage's
	if p.sc.Stages.DWFM != nil {
		lease, triggers = p.sc.Stages.DWFM, p.sc.Stages.DWFM.Triggers
	}
	if lease.DWFM.Enabled() {
		s.Droplets = lease.DWFM.Droplets
	}
	out := Outcome{Summary: s, Result: res, Hosts: p.hosts}
	if oc, ok := p.model.(OwnColumns); ok {
		out.Summary.Columns, out.Summary.Values = oc.SummaryColumns(), oc.SummaryValues()
	}
	if cm, ok := p.model.(*cascade.Model); ok {
		co := cm.Outcome()
		out.Cascade = &co
	}
	if len(triggers) == 0 && !p.sc.NetProp.Enabled() && !p.sc.NLB.Enabled() {
		// No trigger (a dns-race whose record never emptied, or a file with
		// none): nothing to recover from, whatever the model reports.
		// netprop's surge and nlb's launches are their own triggers.
		out.Summary.Undefined, out.Summary.Recovered, out.Summary.Undetermined = true, false, false
		return p.checked(out, violation)
	}
	s = out.Summary
	if res.Recovered {
		s.RecoveryS = res.Recovery.Seconds()
		s.RecoveredClock = p.Clock(res.TriggerEnd + res.Recovery)
	}
	if res.Ideal >= 0 {
		s.IdealS = res.Ideal.Seconds()
	}
	out.Summary, out.Metrics = s, p.Metrics()
	return p.checked(out, violation)
}

// checked returns o, and when the run broke an invariant (err, from the
// model or model.Result.Check) o marked incomplete with an error naming the
// run: a violation is a bug, and its numbers are not a result.
func (p *Prepared) checked(o Outcome, err error) (Outcome, error) {
	if err == nil {
		return o, nil
	}
	o.Summary.Complete = false
	o.Violation = fmt.Errorf("bench: run %s/%s/seed %d: %w", p.sc.Name, o.Summary.Policy, p.run.Seed, err)
	return o, o.Violation
}

// Execute prepares and runs r.
func (r Run) Execute() (Outcome, error) {
	p, err := r.Prepare()
	if err != nil {
		return Outcome{}, err
	}
	return p.Execute()
}

// Row converts a sample to a timeseries.csv row.
func (p *Prepared) Row(s model.Sample) results.TimeSeriesRow {
	return results.TimeSeriesRow{
		T: s.T.Seconds(), Clock: p.Clock(s.T), Leased: s.Leased, Expired: s.Expired, Queue: s.Queue,
		Attempts: s.Attempts, Rejected: s.Rejected, Completed: s.Completed, Good: s.Good,
		TimedOut: s.TimedOut, Wasted: s.Wasted, Dropped: s.Dropped, GoodputPerS: s.GoodputPerS(),
		Arrivals: s.Arrivals, InService: s.InService, Abandoned: s.Abandoned, Extra: s.Extra[:len(p.cols)],
	}
}

// SummaryColumns are the model's own summary.csv columns (OwnColumns: the
// cascade's), nil when it has none.
func (p *Prepared) SummaryColumns() []string {
	if oc, ok := p.model.(OwnColumns); ok {
		return oc.SummaryColumns()
	}
	return nil
}

// Columns are the model's extra time-series columns (model.Extras), nil
// when it has none.
func (p *Prepared) Columns() []string { return p.cols }

// Metrics are the model's measures of the whole run (model.Extras), nil
// when it has none; complete after Execute.
func (p *Prepared) Metrics() []model.Metric {
	if e, ok := p.model.(model.Extras); ok {
		return e.Metrics()
	}
	return nil
}

// Run is the run p was prepared from.
func (p *Prepared) Run() Run { return p.run }
