package bench

import (
	"fmt"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/dwfm"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/nlb"
	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/bench/service"
	"github.com/aftershock/aftershock/bench/sim"
)

// Model is what every aftershock model offers a Run.
type Model interface {
	Run(model.Options) (model.Result, error)
}

var (
	_ Model = (*dwfm.Model)(nil)
	_ Model = (*service.Model)(nil)
	_ Model = (*netprop.Model)(nil)
	_ Model = (*nlb.Model)(nil)
	_ Model = (*cascade.Model)(nil)
)

// OwnColumns is a model with summary.csv columns of its own
// (results.Summary.Columns): the cascade's milestones and stages. Its
// values are read after the run.
type OwnColumns interface {
	SummaryColumns() []string
	SummaryValues() []string
}

// Registration declares one model to the runner.
type Registration struct {
	Name string
	// Enabled reports whether a scenario describes this model.
	Enabled func(sc *scenario.Scenario) bool
	// Plan resolves a run of the scenario (overrides applied, triggers
	// expanded for the seed) under a policy spec ("none" when none was
	// given): the policy built for the model, the run's estimated cost and
	// its constructor. Every error about the spec comes from here.
	Plan func(sc *scenario.Scenario, spec string, seed uint64) (Plan, error)
	// Columns are the model's own summary.csv columns, when it has any
	// (its models are OwnColumns with these).
	Columns []string
}

// Plan is a run resolved for its model.
type Plan struct {
	Policy  string     // the policy as the summary names it
	Caveats []string   // the policy's warnings on the scenario (policy.Caveats)
	Cost    model.Cost // an upper bound on events and live heap
	// New builds the model; hosts is its number of stations shown to the
	// user (0 when it has one service rather than a fleet).
	New func(epoch time.Time) (m Model, hosts int, err error)
}

// Models are the models a Run can choose from, in order: the first whose
// Enabled accepts the scenario runs it. Adding a model is a package under
// bench/ and one line here. A single model (single) takes one policy spec;
// the cascade (planCascade) one per stage, and builds its DWFM stage as the
// dwfm registration does.
var Models = []Registration{
	{Name: "cascade", Enabled: enabledCascade, Plan: planCascade, Columns: cascade.SummaryColumns},
	{Name: "dwfm", Enabled: enabledDWFM, Plan: single("dwfm", timeoutDWFM, costDWFM, newDWFM)},
	{Name: "netprop", Enabled: enabledNetProp, Plan: single("netprop", timeoutNetProp, costNetProp, newNetProp)},
	{Name: "nlb", Enabled: enabledNLB, Plan: single("nlb", timeoutNLB, costNLB, newNLB)},
	{Name: "service", Enabled: always, Plan: single("service", timeoutService, costService, newService)},
}

// single is the Plan of a model of one station kind under one policy spec:
// timeout is how long its clients wait for an attempt (handed to policies
// whose parameters scale with it), cost its estimate under the policy's
// hooks, build its constructor.
func single(name string, timeout func(*scenario.Scenario) time.Duration, cost func(*scenario.Scenario, model.Hooks) model.Cost,
	build func(sc *scenario.Scenario, seed uint64, epoch time.Time, hooks model.Hooks) (Model, int, error)) func(*scenario.Scenario, string, uint64) (Plan, error) {
	return func(sc *scenario.Scenario, spec string, seed uint64) (Plan, error) {
		if strings.ContainsAny(spec, " \t\n") {
			return Plan{}, fmt.Errorf("bench: policy %q: several specs (one per stage) are for a cascade; scenario %s is one model (%s): give one spec", spec, sc.Name, name)
		}
		if stage, _, ok := cascade.SplitStage(spec); ok {
			return Plan{}, fmt.Errorf("bench: policy %q for stage %s: per-stage policies are for a cascade; scenario %s is one model (%s)", spec, stage, sc.Name, name)
		}
		env := envOf(sc, timeout(sc), sc.Start, seed)
		hooks, err := policy.Build(spec, env)
		if err != nil {
			return Plan{}, err
		}
		if err := Applies(spec, hooks, sc.NLB.Enabled(), sc.Name); err != nil {
			return Plan{}, err
		}
		return Plan{Policy: spec, Caveats: policy.Caveats(spec, env), Cost: cost(sc, hooks),
			New: func(epoch time.Time) (Model, int, error) { return build(sc, seed, epoch, hooks) }}, nil
	}
}

// envOf is what a policy is built against: sc's station and clients.
func envOf(sc *scenario.Scenario, timeout time.Duration, start time.Time, seed uint64) policy.Env {
	sp := sc.Service
	return policy.Env{Capacity: sp.Capacity(), Workers: sp.Workers, MeanService: sp.ServiceTime.Mean().Duration(),
		Start: start, Timeout: timeout, Seed: seed}
}

func always(*scenario.Scenario) bool { return true }

func enabledDWFM(sc *scenario.Scenario) bool { return sc.DWFM.Enabled() }

func timeoutDWFM(sc *scenario.Scenario) time.Duration { return time.Duration(sc.DWFM.EstablishTimeout) }

func costDWFM(sc *scenario.Scenario, h model.Hooks) model.Cost {
	return sc.DWFM.Cost(sc.Horizon, len(sc.Triggers), h.Refuses())
}

func newDWFM(sc *scenario.Scenario, seed uint64, epoch time.Time, hooks model.Hooks) (Model, int, error) {
	if sc.Service.QueueCapacity != 0 || sc.Service.Delay {
		return nil, 0, fmt.Errorf("bench: scenario %s: queue_capacity and delay_station are for the generic model, not [dwfm]", sc.Name)
	}
	m, err := dwfm.New(sc.DWFM, sc.Service, sc.Triggers, seed, epoch, hooks)
	if err != nil {
		return nil, 0, err
	}
	return m, m.Hosts(), nil
}

func timeoutService(sc *scenario.Scenario) time.Duration { return time.Duration(sc.Clients.Timeout) }

func costService(sc *scenario.Scenario, _ model.Hooks) model.Cost {
	return serviceConfig(sc).Cost(sc.Horizon)
}

func serviceConfig(sc *scenario.Scenario) service.Config {
	return service.Config{Clients: sc.Clients, Service: sc.Service, Triggers: sc.Triggers}
}

func newService(sc *scenario.Scenario, seed uint64, _ time.Time, hooks model.Hooks) (Model, int, error) {
	m, err := service.NewModel(serviceConfig(sc), seed, hooks)
	return m, 0, err
}

func enabledNetProp(sc *scenario.Scenario) bool { return sc.NetProp.Enabled() }

// timeoutNetProp: an item later than normal_latency is late (deadline-drop
// drops it from the queue, and it is offered again).
func timeoutNetProp(sc *scenario.Scenario) time.Duration { return time.Duration(sc.NetProp.Normal) }

func costNetProp(sc *scenario.Scenario, _ model.Hooks) model.Cost { return sc.NetProp.Cost(sc.Horizon) }

func newNetProp(sc *scenario.Scenario, seed uint64, epoch time.Time, hooks model.Hooks) (Model, int, error) {
	m, err := netprop.New(sc.NetProp, sc.Service, seed, sim.Time(sc.Horizon), epoch, hooks)
	return m, 0, err
}

func enabledNLB(sc *scenario.Scenario) bool { return sc.NLB.Enabled() }

// timeoutNLB: a check waiting past its timeout has failed.
func timeoutNLB(sc *scenario.Scenario) time.Duration { return time.Duration(sc.NLB.CheckTimeout()) }

func costNLB(sc *scenario.Scenario, _ model.Hooks) model.Cost { return sc.NLB.Cost(sc.Horizon) }

func newNLB(sc *scenario.Scenario, seed uint64, epoch time.Time, hooks model.Hooks) (Model, int, error) {
	m, err := nlb.New(sc.NLB, sc.Service, seed, epoch, hooks)
	return m, sc.NLB.Zones, err
}

// SummaryColumns are the own summary.csv columns (OwnColumns) of the model
// that runs sc, known before any run: a sweep's header.
func SummaryColumns(sc *scenario.Scenario) []string {
	return registration(sc).Columns
}

// registration returns the model that runs sc.
func registration(sc *scenario.Scenario) Registration {
	for _, r := range Models {
		if r.Enabled(sc) {
			return r
		}
	}
	return Models[len(Models)-1]
}
