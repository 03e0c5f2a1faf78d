package bench_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/bench/testdata/drain"
)

// The steps of docs/contributing.md, "Adding a model", followed for a
// model outside the module's own: steps 1 to 4 are package drain (test
// data), step 5 is this registration, added with bench.Register since the
// built-in table is not this file's to edit. drain has no section of its
// own in a scenario file (only package scenario could add one), so it
// takes the scenarios named drain-*, reading their [clients] rate, their
// [service] and their [[trigger]]s.
var drainModel = bench.Registration{
	Name:    "drain",
	Enabled: func(sc *scenario.Scenario) bool { return strings.HasPrefix(sc.Name, "drain-") },
	Timeout: func(sc *scenario.Scenario) time.Duration { return time.Duration(sc.Clients.Timeout) },
	Cost:    func(sc *scenario.Scenario, _ model.Hooks) model.Cost { return drainConfig(sc).Cost(sc.Horizon) },
	New: func(sc *scenario.Scenario, env model.Env) (bench.Model, error) {
		m, err := drain.New(drainConfig(sc), env)
		if err != nil {
			return nil, err
		}
		return m, nil
	},
}

func drainConfig(sc *scenario.Scenario) drain.Config {
	return drain.Config{Rate: sc.Clients.Rate, Service: sc.Service, Triggers: sc.Triggers}
}

// liar is a drain model with a bug: it reports one completion more than it
// served, so its runs break an invariant that model.Result.Check tests.
type liar struct{ *drain.Model }

func (l liar) Run(o model.Options) (model.Result, error) {
	r, err := l.Model.Run(o)
	r.Totals.Completed++
	return r, err
}

func init() {
	lying := drainModel
	lying.Name = "drain-liar"
	lying.Enabled = func(sc *scenario.Scenario) bool { return strings.HasPrefix(sc.Name, "liar-") }
	lying.New = func(sc *scenario.Scenario, env model.Env) (bench.Model, error) {
		m, err := drain.New(drainConfig(sc), env)
		if err != nil {
			return nil, err
		}
		return liar{m}, nil
	}
	for _, r := range []bench.Registration{drainModel, lying} {
		if err := bench.Register(r); err != nil {
			panic(err)
		}
	}
}

// drainSpike is a scenario for drain: a station of capacity 100/s at half
// load, tripled for ten minutes (a backlog of about 30,000 requests), which
// then drains at 50/s: recovery in about ten minutes.
const drainSpike = `
name = "drain-spike"
horizon = "1h"
interval = "1m"

[clients]
rate = 50

[service]
workers = 1
service_time = "exp(10ms)"

[[trigger]]
kind = "load-spike"
at = "10m"
duration = "10m"
factor = 3
`

// TestAddAModel: a model added by the contributing doc's steps runs end to
// end through bench.Run, chosen by its registration, under a policy whose
// hooks reach it through its Env, with its invariants checked: a run that
// breaks one is reported as a violation, not as a result.
func TestAddAModel(t *testing.T) {
	sc, err := scenario.Parse("drain-spike", []byte(drainSpike))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, r := range bench.Models() {
		names[r.Name] = true
	}
	if !names["drain"] || bench.Models()[len(bench.Models())-1].Name != "service" {
		t.Fatalf("models %v: want drain registered, the generic model last", names)
	}

	o, err := bench.Run{Scenario: sc, Seed: 1}.Execute()
	if err != nil {
		t.Fatal(err)
	}
	s := o.Summary
	if !s.Complete || !s.Recovered || s.RecoveryS < 5*60 || s.RecoveryS > 20*60 || s.Policy != "none" || s.Scenario != "drain-spike" {
		t.Fatalf("summary %+v: want complete and recovered, about 10 minutes after the spike", s)
	}
	if s.PeakQueue < 20_000 || o.Result.TriggerEnd != sim.Time(20*time.Minute) {
		t.Errorf("peak queue %d, trigger end %v: want the spike's backlog, its end at 20m", s.PeakQueue, o.Result.TriggerEnd)
	}
	if s.AdmitRefusals != -1 {
		t.Errorf("admission refusals %d without a control, want -1", s.AdmitRefusals)
	}

	// The policy's hooks reach the model: queue-size refuses part of the
	// spike, and the backlog drains sooner.
	q, err := bench.Run{Scenario: sc, Policy: "queue-size", Seed: 1}.Execute()
	if err != nil {
		t.Fatal(err)
	}
	if q.Summary.AdmitRefusals <= 0 || !q.Summary.Recovered || q.Summary.RecoveryS >= s.RecoveryS {
		t.Errorf("queue-size: %d refused, recovered %v in %.0f s (none: %.0f s): want refusals and a faster drain",
			q.Summary.AdmitRefusals, q.Summary.Recovered, q.Summary.RecoveryS, s.RecoveryS)
	}

	t.Logf("none: recovered %.0f s after the spike, peak queue %d; queue-size: %.0f s, %d refused",
		s.RecoveryS, s.PeakQueue, q.Summary.RecoveryS, q.Summary.AdmitRefusals)

	// Same seed, same outcome.
	again, err := bench.Run{Scenario: sc, Seed: 1}.Execute()
	if err != nil || again.Summary.RecoveryS != s.RecoveryS || again.Result.Events != o.Result.Events {
		t.Errorf("seed 1 again: %v, recovery %v and %d events, want %v and %d", err, again.Summary.RecoveryS, again.Result.Events, s.RecoveryS, o.Result.Events)
	}

	// A model that breaks an invariant is caught by the runner.
	lie := *sc
	lie.Name = "liar-spike"
	bad, err := bench.Run{Scenario: &lie, Seed: 1}.Execute()
	var v *model.Violation
	if !errors.As(err, &v) || v.Invariant != model.InvariantConserved || bad.Summary.Complete {
		t.Fatalf("a model that miscounts: %v (complete %v), want the %q invariant broken", err, bad.Summary.Complete, model.InvariantConserved)
	}
}

// TestRegisterRefuses: Register refuses an incomplete, ambiguous or
// repeated registration, and registers nothing then.
func TestRegisterRefuses(t *testing.T) {
	plan := func(*scenario.Scenario, string, uint64) (bench.Plan, error) { return bench.Plan{}, nil }
	for name, c := range map[string]struct {
		edit func(*bench.Registration)
		want string
	}{
		"taken":        {func(r *bench.Registration) {}, `bench: register "drain": the name is taken`},
		"built-in":     {func(r *bench.Registration) { r.Name = "dwfm" }, "the name is taken"},
		"generic":      {func(r *bench.Registration) { r.Name = "service" }, "the name is taken"},
		"no name":      {func(r *bench.Registration) { r.Name = "" }, "no Name"},
		"no enabled":   {func(r *bench.Registration) { r.Name, r.Enabled = "x1", nil }, "no Enabled"},
		"no cost":      {func(r *bench.Registration) { r.Name, r.Cost = "x2", nil }, "neither Plan nor all of Timeout, Cost and New"},
		"plan and new": {func(r *bench.Registration) { r.Name, r.Plan = "x3", plan }, "both Plan and"},
	} {
		r := drainModel
		c.edit(&r)
		n := len(bench.Models())
		if err := bench.Register(r); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
		if len(bench.Models()) != n {
			t.Errorf("%s: a refused registration was added", name)
		}
	}
}
