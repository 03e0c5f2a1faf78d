package live

import (
	"fmt"
	"math"
	"time"

	"github.com/aftershock/aftershock/bench/dnsrace"
	"github.com/aftershock/aftershock/bench/dwfm"
	_ "github.com/aftershock/aftershock/bench/live/libs" // the libraries' live-only policies
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/bench/scenario"
)

// SmallName is the built-in scenario live mode runs by default: us-east-1's
// collapse shrunk to an 8 min horizon, a preset like any other (package
// scenario's presets/live-small.toml), so sim and loadgen scenarios take it
// too.
const SmallName = "live-small"

// Setup is a scenario and a policy as live mode runs them: a DWFM scenario
// with its overrides applied, its dependency outages, and the policy's hooks.
type Setup struct {
	Scenario scenario.Scenario
	DWFM     dwfm.Section
	Station  model.StationConfig
	Outages  []model.Window // sorted, non-overlapping, model time
	Hooks    model.Hooks
	Live     policy.LiveHooks // the policy's live-only parts (a library's middleware, a transport wrapper)
	Policy   string           // the spec as given ("none" when empty)
	Seed     uint64
}

// Scale limits: a scale below MinScale would stretch a run past any
// patience; above MaxScale a 15 s establishment takes under 150 µs of wall
// time, far below what timers here resolve.
const (
	MinScale = 1e-3
	MaxScale = 1e5
)

// CheckScale validates a time scale.
func CheckScale(s float64) error {
	if !(s >= MinScale && s <= MaxScale) || math.IsNaN(s) {
		return fmt.Errorf("live: time scale %v outside [%v, %v]", s, MinScale, MaxScale)
	}
	return nil
}

// Resolve builds a Setup: sc with droplets overriding its count when > 0,
// its dns-race triggers expanded for seed, and spec's hooks, live-only
// parts included (policy.BuildLive). Live mode serves the DWFM model only,
// and runs a policy's admission control (a live part's middleware), queue
// discipline and interventions in the server, its client-side control (a
// live part's transport wrapper), backoff, attempt limit and retry gate in
// the attacker.
func Resolve(sc *scenario.Scenario, spec string, droplets int, seed uint64) (*Setup, error) {
	s := *sc
	if !s.DWFM.Enabled() {
		return nil, fmt.Errorf("live: scenario %s has no [dwfm] section: live mode serves the DWFM model only", s.Name)
	}
	if droplets < 0 {
		return nil, fmt.Errorf("live: droplets %d below 0", droplets)
	}
	if droplets > 0 {
		s.DWFM.Droplets = droplets
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	triggers, err := dnsrace.Expand(s.Triggers, seed)
	if err != nil {
		return nil, fmt.Errorf("live: scenario %s: %w", s.Name, err)
	}
	s.Triggers = triggers
	ws, err := model.Windows(triggers, model.DependencyOutage)
	if err != nil {
		return nil, fmt.Errorf("live: scenario %s: %w", s.Name, err)
	}
	sortWindows(ws)
	for i := 1; i < len(ws); i++ {
		if ws[i].Start < ws[i-1].End {
			return nil, fmt.Errorf("live: scenario %s: dependency outages %d and %d overlap", s.Name, i, i+1)
		}
	}
	if spec == "" {
		spec = "none"
	}
	sp := s.Service
	env := policy.Env{Capacity: sp.Capacity(), Workers: sp.Workers, MeanService: sp.ServiceTime.Mean().Duration(),
		Start: s.Start, Timeout: time.Duration(s.DWFM.EstablishTimeout), Seed: seed}
	// Whether the policy applies comes first: built against a stand-in
	// clock when the scenario has none, so that one that would do nothing
	// here is refused as such, not for the clock times it names.
	probe := env
	if probe.Start.IsZero() {
		probe.Start = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if hooks, err := policy.Build(spec, probe); err == nil && switchesFailover(hooks) {
		return nil, fmt.Errorf("live: policy %q does not apply to live mode: it switches NLB's health-check failover, and live mode serves DWFM only (it would do nothing)", spec)
	}
	hooks, lh, err := policy.BuildLive(spec, env)
	if err != nil {
		return nil, err
	}
	return &Setup{Scenario: s, DWFM: s.DWFM, Station: sp, Outages: ws, Hooks: hooks, Live: lh, Policy: spec, Seed: seed}, nil
}

// switchesFailover reports whether hooks switch NLB's health-check
// failover.
func switchesFailover(h model.Hooks) bool {
	for _, iv := range h.Interventions {
		if iv.Failover != model.FailoverUnchanged {
			return true
		}
	}
	return false
}

func sortWindows(ws []model.Window) {
	for i := 1; i < len(ws); i++ {
		for j := i; j > 0 && ws[j].Start < ws[j-1].Start; j-- {
			ws[j], ws[j-1] = ws[j-1], ws[j]
		}
	}
}

// Hosts is the number of DWFM hosts.
func (s *Setup) Hosts() int { return s.DWFM.Hosts() }

// Host is droplet d's DWFM host.
func (s *Setup) Host(d int) int { return d / s.DWFM.DropletsPerHost }

// TriggerEnd is when the last dependency outage ends (model time).
func (s *Setup) TriggerEnd() time.Duration { return time.Duration(model.End(s.Outages)) }

// Horizon is the scenario's horizon (model time).
func (s *Setup) Horizon() time.Duration { return time.Duration(s.Scenario.Horizon) }

// Down reports whether the dependency is out at model time t.
func (s *Setup) Down(t time.Duration) bool {
	for _, w := range s.Outages {
		if t >= time.Duration(w.Start) && t < time.Duration(w.End) {
			return true
		}
	}
	return false
}

// UpThroughout reports whether the dependency was up for all of [from, to]
// (model time): establishment needs it throughout, as in package dwfm.
func (s *Setup) UpThroughout(from, to time.Duration) bool {
	for _, w := range s.Outages {
		if time.Duration(w.Start) <= to && time.Duration(w.End) > from {
			return false
		}
	}
	return true
}
