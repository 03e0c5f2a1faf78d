package dnsrace

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aftershock/aftershock/bench/sim"
)

// Enactors is the number of DNS Enactors (published: three, one per
// Availability Zone).
const Enactors = 3

// Law is a distribution of an Enactor's delays (model.Dist is one).
type Law interface {
	Sample(r *rand.Rand) sim.Time
	String() string
}

// Variant is the design under test.
type Variant string

// Variants.
const (
	Racy  Variant = "racy"  // as published: check once at the start of an apply
	Fixed Variant = "fixed" // compare-and-set at write, clean-up keeps the applied plan
)

// Config is the race's parameters.
type Config struct {
	// Delay is an Enactor's delay, drawn twice per apply: from the check to
	// the write of the record, and from the write to its clean-up (the rest
	// of its pass over the endpoints). ASSUMED: AWS published no figure.
	Delay Law
	// PlanInterval is how often the Planner produces a plan. ASSUMED.
	PlanInterval time.Duration
	// Cleanup is how many generations older than the one just applied
	// clean-up keeps: it deletes generations below applied−Cleanup. ASSUMED
	// (published only as "significantly older").
	Cleanup int
	// Repair is how long the record stays empty once emptied: the operators'
	// fix. Its default, 2h37m, is the published outage (23:48 to 02:25): a
	// calibration to the published window, not an output of the race.
	Repair time.Duration
	// Variant is Racy (published) or Fixed.
	Variant Variant
}

// Defaults for the assumed parameters and the published repair time.
const (
	DefaultPlanInterval = 10 * time.Second
	DefaultCleanup      = 10
	DefaultRepair       = 2*time.Hour + 37*time.Minute
	DefaultDelay        = "lognormal(2s,1.5)" // in model.Dist's syntax
)

// Bounds on the parameters.
const (
	MinPlanInterval = time.Millisecond
	MaxPlanInterval = 24 * time.Hour
	MaxCleanup      = 1000
	MinRepair       = time.Minute
	MaxRepair       = 30 * 24 * time.Hour
	// MaxPlans bounds the plans one race produces (its span ÷ plan interval),
	// and so its cost: about 3 events per plan and Enactor.
	MaxPlans = 10_000_000
)

// Validate checks c on its own; CheckSpan checks a span against MaxPlans.
// Errors name the parameters as a scenario file's [[trigger]] does.
func (c Config) Validate() error {
	switch {
	case c.Delay == nil:
		return fmt.Errorf("dnsrace: enactor_delay missing")
	case c.PlanInterval < MinPlanInterval || c.PlanInterval > MaxPlanInterval:
		return fmt.Errorf("dnsrace: plan_interval %v outside [%v, %v]", c.PlanInterval, MinPlanInterval, MaxPlanInterval)
	case c.Cleanup < 1 || c.Cleanup > MaxCleanup:
		return fmt.Errorf("dnsrace: cleanup_generations %d outside 1..%d", c.Cleanup, MaxCleanup)
	case c.Repair < MinRepair || c.Repair > MaxRepair:
		return fmt.Errorf("dnsrace: repair %v outside [%v, %v]", c.Repair, MinRepair, MaxRepair)
	case c.Variant != Racy && c.Variant != Fixed:
		return fmt.Errorf("dnsrace: variant %q unknown (want %s or %s)", c.Variant, Racy, Fixed)
	}
	return nil
}

// CheckSpan reports whether a race over span stays within MaxPlans.
func (c Config) CheckSpan(span time.Duration) error {
	if n := span / c.PlanInterval; n > MaxPlans {
		return fmt.Errorf("dnsrace: span %v ÷ plan_interval %v is %d plans, above the limit %d", span, c.PlanInterval, n, MaxPlans)
	}
	return nil
}
