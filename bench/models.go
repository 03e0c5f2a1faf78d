package bench

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/dwfm"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/nlb"
	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/bench/service"
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

// Registration declares one model to the runner: which scenarios are its
// (Enabled) and how a run of one is built. A model run under one policy
// spec (every built-in model but the cascade) fills Timeout, Cost and New:
// the runner builds the spec's hooks for the model's station and hands them
// to New in its Env. A model that resolves its spec itself (the cascade:
// one spec per stage) fills Plan instead.
type Registration struct {
	Name string
	// Enabled reports whether a scenario describes this model.
	Enabled func(sc *scenario.Scenario) bool
	// Timeout is how long the model's clients wait for an attempt, handed
	// to policies whose parameters scale with it (policy.Env.Timeout).
	Timeout func(sc *scenario.Scenario) time.Duration
	// Cost is an upper bound on a run's events and live heap under the
	// policy's hooks, checked against the run's Limits before anything is
	// built.
	Cost func(sc *scenario.Scenario, h model.Hooks) model.Cost
	// New builds the model of sc under env: the run's seed, epoch and
	// horizon, and the policy's hooks. It is the model's own
	// New(Config, model.Env), its Config taken from sc's sections. A model
	// of several stations says how many with a method Hosts() int
	// (Outcome.Hosts).
	New func(sc *scenario.Scenario, env model.Env) (Model, error)
	// Plan, when set, replaces Timeout, Cost and New: it resolves a run of
	// the scenario (overrides applied, triggers expanded for the seed)
	// under a policy spec ("none" when none was given) into the policies
	// built for the model, the run's estimated cost and its constructor.
	// Every error about the spec comes from here.
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
	// New builds the model under env, which holds what the run gives it
	// (seed, epoch, horizon); the plan adds the policy's hooks.
	New func(env model.Env) (Model, error)
}

// builtins are the models with sections of their own in a scenario file,
// in the order a Run tries them; generic, the generic model, takes every
// scenario that neither they nor a registered model (Register) take. The
// cascade (planCascade) takes one policy spec per stage, and builds its
// DWFM stage as the dwfm registration does.
var (
	builtins = []Registration{
		{Name: "cascade", Enabled: enabledCascade, Plan: planCascade, Columns: cascade.SummaryColumns},
		{Name: "dwfm", Enabled: enabledDWFM, Timeout: timeoutDWFM, Cost: costDWFM, New: newDWFM},
		{Name: "netprop", Enabled: enabledNetProp, Timeout: timeoutNetProp, Cost: costNetProp, New: newNetProp},
		{Name: "nlb", Enabled: enabledNLB, Timeout: timeoutNLB, Cost: costNLB, New: newNLB},
	}
	generic = Registration{Name: "service", Enabled: always, Timeout: timeoutService, Cost: costService, New: newService}
)

// registered holds the models added with Register; mu guards it, so
// Register may run while runs choose their models.
var registered struct {
	mu     sync.RWMutex
	models []Registration
}

// Register adds a model to those a Run chooses from. A Run tries the
// built-in models with sections of their own first (the cascade, dwfm,
// netprop, nlb: a scenario with [stages], [dwfm], [netprop] or [nlb] is
// theirs), then the registered ones in the order they were registered, and
// the generic model last, which takes any scenario left. A model outside
// this module cannot add a section to scenario files (they are decoded
// strictly), so its Enabled recognises its scenarios by what they already
// hold: their name, or the generic model's sections ([clients], [service],
// [[trigger]]) read its own way.
//
// docs/contributing.md, "Adding a model", has the steps; bench's
// TestAddAModel follows them with a model of test data.
//
// Register is meant for an init function; it is safe to call at any time,
// from any goroutine. It refuses r, and registers nothing, when its name is
// empty or taken, when Enabled is nil, or unless it fills either Plan or
// all of Timeout, Cost and New (and not both). The error starts
// "bench: register".
func Register(r Registration) error {
	if err := r.check(); err != nil {
		return fmt.Errorf("bench: register %q: %w", r.Name, err)
	}
	r.Columns = slices.Clone(r.Columns)
	registered.mu.Lock()
	defer registered.mu.Unlock()
	taken := func(o Registration) bool { return o.Name == r.Name }
	if r.Name == generic.Name || slices.ContainsFunc(builtins, taken) || slices.ContainsFunc(registered.models, taken) {
		return fmt.Errorf("bench: register %q: the name is taken", r.Name)
	}
	registered.models = append(registered.models, r)
	return nil
}

// check reports what makes r unfit to register.
func (r Registration) check() error {
	single := r.Timeout != nil || r.Cost != nil || r.New != nil
	switch {
	case r.Name == "":
		return fmt.Errorf("no Name")
	case r.Enabled == nil:
		return fmt.Errorf("no Enabled")
	case r.Plan != nil && single:
		return fmt.Errorf("both Plan and Timeout, Cost or New: fill one or the other")
	case r.Plan == nil && (r.Timeout == nil || r.Cost == nil || r.New == nil):
		return fmt.Errorf("neither Plan nor all of Timeout, Cost and New")
	}
	return nil
}

// Models are the models a Run chooses from, in the order it tries them:
// the first whose Enabled accepts the scenario runs it (see Register).
func Models() []Registration {
	registered.mu.RLock()
	defer registered.mu.RUnlock()
	return append(append(slices.Clone(builtins), registered.models...), generic)
}

// plan resolves a run of sc under spec with r's Plan, or else as a model
// of one station kind under one policy spec: the spec built against the
// station and r's Timeout, the cost r's Cost under its hooks, the model
// r's New with the hooks in its Env.
func (r Registration) plan(sc *scenario.Scenario, spec string, seed uint64) (Plan, error) {
	if r.Plan != nil {
		return r.Plan(sc, spec, seed)
	}
	if strings.ContainsAny(spec, " \t\n") {
		return Plan{}, fmt.Errorf("bench: policy %q: several specs (one per stage) are for a cascade; scenario %s is one model (%s): give one spec", spec, sc.Name, r.Name)
	}
	if stage, _, ok := cascade.SplitStage(spec); ok {
		return Plan{}, fmt.Errorf("bench: policy %q for stage %s: per-stage policies are for a cascade; scenario %s is one model (%s)", spec, stage, sc.Name, r.Name)
	}
	env := envOf(sc, r.Timeout(sc), sc.Start, seed)
	hooks, err := policy.Build(spec, env)
	if err != nil {
		return Plan{}, err
	}
	if err := Applies(spec, hooks, sc.NLB.Enabled(), sc.Name); err != nil {
		return Plan{}, err
	}
	return Plan{Policy: spec, Caveats: policy.Caveats(spec, env), Cost: r.Cost(sc, hooks),
		New: func(env model.Env) (Model, error) {
			env.Hooks = hooks
			return r.New(sc, env)
		}}, nil
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

func newDWFM(sc *scenario.Scenario, env model.Env) (Model, error) {
	if sc.Service.QueueCapacity != 0 || sc.Service.Delay {
		return nil, fmt.Errorf("bench: scenario %s: queue_capacity and delay_station are for the generic model, not [dwfm]", sc.Name)
	}
	return built(dwfm.New(dwfm.Config{DWFM: sc.DWFM, Service: sc.Service, Triggers: sc.Triggers}, env))
}

func timeoutService(sc *scenario.Scenario) time.Duration { return time.Duration(sc.Clients.Timeout) }

func costService(sc *scenario.Scenario, _ model.Hooks) model.Cost {
	return serviceConfig(sc).Cost(sc.Horizon)
}

func serviceConfig(sc *scenario.Scenario) service.Config {
	return service.Config{Clients: sc.Clients, Service: sc.Service, Triggers: sc.Triggers}
}

// newService builds the generic model with the zero Epoch (the Unix
// epoch), whatever the scenario's start: its controls have always counted
// from there, and a start would move the edges of wall-clock windows
// (throttle.Window's buckets), so outcomes of files with a start would
// change.
func newService(sc *scenario.Scenario, env model.Env) (Model, error) {
	env.Epoch = time.Time{}
	return built(service.New(serviceConfig(sc), env))
}

func enabledNetProp(sc *scenario.Scenario) bool { return sc.NetProp.Enabled() }

// timeoutNetProp: an item later than normal_latency is late (deadline-drop
// drops it from the queue, and it is offered again).
func timeoutNetProp(sc *scenario.Scenario) time.Duration { return time.Duration(sc.NetProp.Normal) }

func costNetProp(sc *scenario.Scenario, _ model.Hooks) model.Cost { return sc.NetProp.Cost(sc.Horizon) }

func newNetProp(sc *scenario.Scenario, env model.Env) (Model, error) {
	return built(netprop.New(netprop.Config{NetProp: sc.NetProp, Service: sc.Service}, env))
}

func enabledNLB(sc *scenario.Scenario) bool { return sc.NLB.Enabled() }

// timeoutNLB: a check waiting past its timeout has failed.
func timeoutNLB(sc *scenario.Scenario) time.Duration { return time.Duration(sc.NLB.CheckTimeout()) }

func costNLB(sc *scenario.Scenario, _ model.Hooks) model.Cost { return sc.NLB.Cost(sc.Horizon) }

func newNLB(sc *scenario.Scenario, env model.Env) (Model, error) {
	return built(nlb.New(nlb.Config{NLB: sc.NLB, Service: sc.Service}, env))
}

// built is m as a Model, or nil and err: never a nil *M in a non-nil Model.
func built[M Model](m M, err error) (Model, error) {
	if err != nil {
		return nil, err
	}
	return m, nil
}

// SummaryColumns are the own summary.csv columns (OwnColumns) of the model
// that runs sc, known before any run: a sweep's header.
func SummaryColumns(sc *scenario.Scenario) []string {
	return registration(sc).Columns
}

// registration returns the model that runs sc.
func registration(sc *scenario.Scenario) Registration {
	ms := Models()
	for _, r := range ms {
		if r.Enabled(sc) {
			return r
		}
	}
	return ms[len(ms)-1]
}
