package dnsrace

import (
	"fmt"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// ConfigOf returns a dns-race trigger's race parameters, with the defaults
// for the fields it leaves unset (zero).
func ConfigOf(t model.TriggerConfig) Config {
	c := Config{
		Delay: t.EnactorDelay.Law, PlanInterval: time.Duration(t.PlanInterval), Cleanup: t.CleanupGenerations,
		Repair: time.Duration(t.Repair), Variant: Variant(t.Variant),
	}
	if c.Delay == nil {
		c.Delay = model.MustParseDist(DefaultDelay)
	}
	if c.PlanInterval == 0 {
		c.PlanInterval = DefaultPlanInterval
	}
	if c.Cleanup == 0 {
		c.Cleanup = DefaultCleanup
	}
	if c.Repair == 0 {
		c.Repair = DefaultRepair
	}
	if c.Variant == "" {
		c.Variant = Racy
	}
	return c
}

// CheckTrigger validates a dns-race trigger's race parameters (the kit's
// TriggerConfig.Validate checks the rest); a trigger of another kind passes.
func CheckTrigger(t model.TriggerConfig) error {
	if t.Kind != model.DNSRace {
		return nil
	}
	if t.CleanupGenerations < 0 {
		return fmt.Errorf("%s cleanup_generations %d below 0", model.DNSRace, t.CleanupGenerations)
	}
	c := ConfigOf(t)
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
func Expand(ts []model.TriggerConfig, seed uint64) ([]model.TriggerConfig, error) {
	out := make([]model.TriggerConfig, 0, len(ts))
	for i, t := range ts {
		if t.Kind != model.DNSRace {
			out = append(out, t)
			continue
		}
		err := t.Validate()
		if err == nil {
			err = CheckTrigger(t)
		}
		if err != nil {
			return nil, fmt.Errorf("dnsrace: trigger %d: %w", i+1, err)
		}
		from := sim.Time(t.At)
		outages, _, err := Race(ConfigOf(t), sim.Stream(seed, fmt.Sprintf("trigger/%d", i+1)).Uint64(), from, from+sim.Time(t.Duration))
		if err != nil {
			return nil, fmt.Errorf("dnsrace: trigger %d: %w", i+1, err)
		}
		for _, o := range outages {
			out = append(out, model.TriggerConfig{Kind: model.DependencyOutage, At: model.Duration(o.Start), Duration: model.Duration(o.End - o.Start)})
		}
	}
	return out, nil
}
