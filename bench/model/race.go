package model

import (
	"fmt"
	"time"

	"github.com/aftershock/aftershock/bench/dnsrace"
	"github.com/aftershock/aftershock/bench/sim"
)

// Race returns a dns-race trigger's race parameters, with dnsrace's
// defaults for the fields it leaves unset (zero).
func (t TriggerConfig) Race() dnsrace.Config {
	c := dnsrace.Config{
		Delay: t.EnactorDelay.Law, PlanInterval: time.Duration(t.PlanInterval), Cleanup: t.CleanupGenerations,
		Repair: time.Duration(t.Repair), Variant: dnsrace.Variant(t.Variant),
	}
	if c.Delay == nil {
		c.Delay = MustParseDist(dnsrace.DefaultDelay)
	}
	if c.PlanInterval == 0 {
		c.PlanInterval = dnsrace.DefaultPlanInterval
	}
	if c.Cleanup == 0 {
		c.Cleanup = dnsrace.DefaultCleanup
	}
	if c.Repair == 0 {
		c.Repair = dnsrace.DefaultRepair
	}
	if c.Variant == "" {
		c.Variant = dnsrace.Racy
	}
	return c
}

func (t TriggerConfig) raceSet() bool {
	return t.EnactorDelay.Law != nil || t.PlanInterval != 0 || t.CleanupGenerations != 0 || t.Repair != 0 || t.Variant != ""
}

func (t TriggerConfig) checkRace() error {
	if t.Factor != 0 || t.Workers != 0 {
		return fmt.Errorf("%s takes no factor or workers (factor %v, workers %d)", DNSRace, t.Factor, t.Workers)
	}
	if t.CleanupGenerations < 0 {
		return fmt.Errorf("%s cleanup_generations %d below 0", DNSRace, t.CleanupGenerations)
	}
	c := t.Race()
	if err := c.Validate(); err != nil {
		return err
	}
	return c.CheckSpan(time.Duration(t.Duration))
}

// Expand returns ts with every dns-race trigger replaced by the
// dependency-outage triggers its race produces with seed: one per time the
// race empties the record within [at, at+duration), lasting its repair time
// (none if the record never empties). Other triggers are kept as they are.
// The i-th trigger's race draws from its own seed, derived from seed and i.
// ts is not modified.
func Expand(ts []TriggerConfig, seed uint64) ([]TriggerConfig, error) {
	out := make([]TriggerConfig, 0, len(ts))
	for i, t := range ts {
		if t.Kind != DNSRace {
			out = append(out, t)
			continue
		}
		if err := t.check(); err != nil {
			return nil, fmt.Errorf("model: trigger %d: %w", i+1, err)
		}
		from := sim.Time(t.At)
		outages, _, err := dnsrace.Race(t.Race(), sim.Stream(seed, fmt.Sprintf("trigger/%d", i+1)).Uint64(), from, from+sim.Time(t.Duration))
		if err != nil {
			return nil, fmt.Errorf("model: trigger %d: %w", i+1, err)
		}
		for _, o := range outages {
			out = append(out, TriggerConfig{Kind: DependencyOutage, At: Duration(o.Start), Duration: Duration(o.End - o.Start)})
		}
	}
	return out, nil
}
