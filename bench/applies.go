package bench

import (
	"errors"
	"fmt"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
)

// ErrNotApplicable marks a policy that would do nothing on a scenario's
// model: its run would look like one of a policy that acted and failed.
var ErrNotApplicable = errors.New("does not apply")

// Applies refuses hooks that switch health-check failover (failover-off)
// on a model without it (anything but nlb): they would do nothing there.
func Applies(spec string, h model.Hooks, failover bool, scenario string) error {
	if failover {
		return nil
	}
	for _, iv := range h.Interventions {
		if iv.Failover != model.FailoverUnchanged {
			return fmt.Errorf("bench: policy %q %w to scenario %s: it switches NLB's health-check failover, and %s has no [nlb] (it would do nothing)",
				spec, ErrNotApplicable, scenario, scenario)
		}
	}
	return nil
}

// Applicable is specs less those that do not apply to sc's model
// (ErrNotApplicable), in order: what a sweep of every policy runs.
func Applicable(sc *scenario.Scenario, specs []string) []string {
	var out []string
	for _, p := range specs {
		if _, err := (Run{Scenario: sc, Policy: p, Seed: 1}).Estimate(); !errors.Is(err, ErrNotApplicable) {
			out = append(out, p)
		}
	}
	return out
}

// standInClock is the start a policy is built against to learn whether it
// applies, on a scenario without a start clock of its own.
var standInClock = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// AppliesTo refuses spec on sc's model (ErrNotApplicable) before anything
// else about it: a policy that would do nothing there (failover-off on a
// model without failover) is refused as such even when it names clock
// times that sc, without a start clock, could not place (it is built
// against a stand-in clock to see what it does). nil otherwise, and for a
// spec that does not build at all: the run says what is wrong with it.
func AppliesTo(sc *scenario.Scenario, spec string) error {
	probe := *sc
	if probe.Start.IsZero() {
		probe.Start = standInClock
	}
	if spec == "" {
		spec = "none"
	}
	if _, err := registration(&probe).plan(&probe, spec, 1); errors.Is(err, ErrNotApplicable) {
		return err
	}
	return nil
}
