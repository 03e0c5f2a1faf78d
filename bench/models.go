package bench

import (
	"fmt"
	"time"

	"github.com/aftershock/aftershock/bench/dwfm"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/nlb"
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
)

// Registration declares one model to the runner.
type Registration struct {
	Name string
	// Enabled reports whether a scenario describes this model.
	Enabled func(sc *scenario.Scenario) bool
	// Timeout is how long the model's clients wait for an attempt, handed to
	// policies whose parameters scale with it.
	Timeout func(sc *scenario.Scenario) time.Duration
	// Cost estimates a run of the scenario under a policy's hooks before
	// anything is built: an upper bound on events and live heap.
	Cost func(sc *scenario.Scenario, hooks model.Hooks) model.Cost
	// New builds the model; hosts is its number of stations shown to the
	// user (0 when it has one service rather than a fleet).
	New func(sc *scenario.Scenario, seed uint64, epoch time.Time, hooks model.Hooks) (m Model, hosts int, err error)
}

// Models are the models a Run can choose from, in order: the first whose
// Enabled accepts the scenario runs it. Adding a model is a package under
// bench/ and one line here.
var Models = []Registration{
	{Name: "dwfm", Enabled: enabledDWFM, Timeout: timeoutDWFM, Cost: costDWFM, New: newDWFM},
	{Name: "netprop", Enabled: enabledNetProp, Timeout: timeoutNetProp, Cost: costNetProp, New: newNetProp},
	{Name: "nlb", Enabled: enabledNLB, Timeout: timeoutNLB, Cost: costNLB, New: newNLB},
	{Name: "service", Enabled: always, Timeout: timeoutService, Cost: costService, New: newService},
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

// registration returns the model that runs sc.
func registration(sc *scenario.Scenario) Registration {
	for _, r := range Models {
		if r.Enabled(sc) {
			return r
		}
	}
	return Models[len(Models)-1]
}
