package bench

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/aftershock/aftershock/bench/dnsrace"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/results"
)

// Run is one simulation: a scenario under a policy with a seed.
type Run struct {
	Scenario *scenario.Scenario
	Policy   string // a policy spec; "" means none
	Seed     uint64
	Droplets int           // DWFM only: overrides the scenario's droplet count when > 0
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
	Hosts   int            // DWFM hosts (0 for a generic model)
	Metrics []model.Metric // the model's own measures of the run (model.Extras); nil if none
	// Violation is the invariant the run broke (a *model.Violation: a bug
	// in aftershock), nil when every one held. Execute returns it as its
	// error too, and the Summary says complete=false.
	Violation error
}

// Prepared is a Run whose model is built and ready.
type Prepared struct {
	run   Run
	model Model
	hosts int
	sc    scenario.Scenario
	cols  []string // the model's extra time-series columns
}

// Caveats are the policy's warnings on the run's scenario (policy.Caveats):
// a part whose parameters make it something other than its name. nil when
// the run does not resolve (Prepare says why).
func (r Run) Caveats() []string {
	sc, reg, _, err := r.resolve()
	if err != nil {
		return nil
	}
	return policy.Caveats(r.policy(), env(&sc, reg, r.Seed))
}

// Prepare validates the run, checks its estimated cost against its Limits,
// and builds its model: every error about the inputs comes from here, before
// anything is simulated.
func (r Run) Prepare() (*Prepared, error) {
	sc, reg, hooks, err := r.resolve()
	if err != nil {
		return nil, err
	}
	if err := r.Limits.Check(r.estimate(&sc, reg, hooks)); err != nil {
		return nil, err
	}
	p := &Prepared{run: r, sc: sc}
	if p.model, p.hosts, err = reg.New(&sc, r.Seed, epoch(sc), hooks); err != nil {
		return nil, err
	}
	if e, ok := p.model.(model.Extras); ok {
		if p.cols = e.Columns(); len(p.cols) > model.MaxExtra {
			return nil, fmt.Errorf("bench: model %s has %d extra columns, at most %d", reg.Name, len(p.cols), model.MaxExtra)
		}
	}
	return p, nil
}

// Estimate validates the run and returns its estimated cost without
// building it, for a caller that checks limits of its own (a sweep holds
// several runs at once).
func (r Run) Estimate() (Estimate, error) {
	sc, reg, hooks, err := r.resolve()
	if err != nil {
		return Estimate{}, err
	}
	return r.estimate(&sc, reg, hooks), nil
}

// resolve applies the run's overrides to its scenario, validates it, picks
// the model and builds the policy's hooks.
func (r Run) resolve() (scenario.Scenario, Registration, model.Hooks, error) {
	var none scenario.Scenario
	if r.Scenario == nil {
		return none, Registration{}, model.Hooks{}, fmt.Errorf("bench: no scenario")
	}
	r.Policy = r.policy()
	sc := *r.Scenario
	if r.Droplets < 0 {
		return none, Registration{}, model.Hooks{}, fmt.Errorf("bench: droplets %d below 0", r.Droplets)
	}
	if r.Droplets > 0 {
		if !sc.DWFM.Enabled() {
			return none, Registration{}, model.Hooks{}, fmt.Errorf("bench: --droplets %d given but scenario %s has no [dwfm] section", r.Droplets, sc.Name)
		}
		sc.DWFM.Droplets = r.Droplets
	}
	if r.Interval < 0 {
		return none, Registration{}, model.Hooks{}, fmt.Errorf("bench: interval %v below 0", r.Interval)
	}
	if r.Interval > 0 {
		if err := model.InRange("--interval", model.Duration(r.Interval), scenario.MinInterval, sc.Horizon); err != nil {
			return none, Registration{}, model.Hooks{}, fmt.Errorf("bench: %w", err)
		}
		sc.Interval = model.Duration(r.Interval)
	}
	if err := sc.Validate(); err != nil { // again: the overrides may break it
		return none, Registration{}, model.Hooks{}, err
	}
	// A dns-race trigger becomes the outages its race produces for this seed.
	triggers, err := dnsrace.Expand(sc.Triggers, r.Seed)
	if err != nil {
		return none, Registration{}, model.Hooks{}, fmt.Errorf("bench: scenario %s: %w", sc.Name, err)
	}
	sc.Triggers = triggers
	reg := registration(&sc)
	hooks, err := policy.Build(r.Policy, env(&sc, reg, r.Seed))
	if err != nil {
		return none, Registration{}, model.Hooks{}, err
	}
	if err := Applies(r.Policy, hooks, sc.NLB.Enabled(), sc.Name); err != nil {
		return none, Registration{}, model.Hooks{}, err
	}
	return sc, reg, hooks, nil
}

// policy is the run's policy spec, none when not given.
func (r Run) policy() string {
	if r.Policy == "" {
		return "none"
	}
	return r.Policy
}

// env is what a policy is built against: sc's station and clients.
func env(sc *scenario.Scenario, reg Registration, seed uint64) policy.Env {
	sp := sc.Service
	return policy.Env{Capacity: sp.Capacity(), Workers: sp.Workers, MeanService: sp.ServiceTime.Mean().Duration(),
		Start: sc.Start, Timeout: reg.Timeout(sc), Seed: seed}
}

// estimate is the cost of running sc with reg's model under hooks.
func (r Run) estimate(sc *scenario.Scenario, reg Registration, hooks model.Hooks) Estimate {
	c := reg.Cost(sc, hooks)
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

// Hosts is the number of DWFM hosts (0 for a generic model).
func (p *Prepared) Hosts() int { return p.hosts }

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
		Seed: p.run.Seed, Horizon: sim.Time(p.sc.Horizon), Interval: sim.Time(p.sc.Interval),
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
	s := results.Summary{
		Scenario: p.sc.Name, Policy: p.run.Policy, Seed: p.run.Seed, Droplets: -1,
		Recovered: res.Recovered, Undefined: res.Undefined, Undetermined: res.Undetermined, RecoveryS: math.NaN(), IdealS: math.NaN(),
		PeakQueue: res.PeakQueue, WastedFraction: res.WastedFraction, Amplification: res.Amplification,
		Sojourn: res.Sojourn, Events: res.Events, SimS: res.End.Seconds(), Complete: !res.Interrupted,
		WallS:         time.Since(wall).Seconds(),
		AdmitRefusals: res.Refusals.Admission, ClientRefusals: res.Refusals.Client,
		RetryRefusals: res.Refusals.Retry, QueueDrops: res.Refusals.Queue,
	}
	if p.run.Policy == "" {
		s.Policy = "none"
	}
	if p.sc.DWFM.Enabled() {
		s.Droplets = p.sc.DWFM.Droplets
	}
	if len(p.sc.Triggers) == 0 && !p.sc.NetProp.Enabled() && !p.sc.NLB.Enabled() {
		// No trigger (a dns-race whose record never emptied, or a file with
		// none): nothing to recover from, whatever the model reports.
		// netprop's surge and nlb's launches are their own triggers.
		s.Undefined, s.Recovered, s.Undetermined = true, false, false
		return p.checked(Outcome{Summary: s, Result: res, Hosts: p.hosts}, violation)
	}
	if res.Recovered {
		s.RecoveryS = res.Recovery.Seconds()
		s.RecoveredClock = p.Clock(res.TriggerEnd + res.Recovery)
	}
	if res.Ideal >= 0 {
		s.IdealS = res.Ideal.Seconds()
	}
	return p.checked(Outcome{Summary: s, Result: res, Hosts: p.hosts, Metrics: p.Metrics()}, violation)
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
