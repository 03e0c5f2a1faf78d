package nlb

import (
	"fmt"
	"time"

	"github.com/aftershock/aftershock/bench/sim"

	"github.com/aftershock/aftershock/bench/model"
)

// Config is the model as New builds it: the scenario's [nlb] section, its
// [service] section (each AZ's health checker) and, when a cascade feeds it,
// its targets. It takes no trigger: its launches are its trigger.
type Config struct {
	NLB     Section
	Service model.StationConfig
	// Targets, when not empty, replace the section's own schedule
	// (Schedule): the cascade's are the launches netprop propagated. The
	// section's fleet and launch fields are then unused; its zones still
	// count, and the targets must launch some at 0 (an initial fleet).
	Targets []Target
	// From, when later than the first launch, is the stage's start (the
	// cascade's: DWFM's recovery, before which launches of the base stream
	// may come): every measure counts from the first tick at or after it
	// (see Model.Run); 0: the first launch.
	From sim.Time
}

// Validate checks the section, the checker's station (a queue and workers)
// and the number of targets.
func (c Config) Validate() error {
	if err := c.NLB.Validate(); err != nil {
		return err
	}
	if err := c.Service.Validate(); err != nil {
		return fmt.Errorf("nlb: checker: %w", err)
	}
	if c.Service.Delay || c.Service.QueueCapacity != 0 {
		return fmt.Errorf("nlb: the checker has a queue and workers: delay_station and queue_capacity are for the generic model")
	}
	if len(c.Targets) > MaxTargets {
		return fmt.Errorf("nlb: %d targets, at most %d", len(c.Targets), MaxTargets)
	}
	return nil
}

// Section is the [nlb] section of a scenario file. Zero health-check fields
// take NLB's documented defaults (see the package doc). It is decoded,
// validated and used as is.
type Section struct {
	Zones          int            `toml:"zones"`
	TargetsPerZone int            `toml:"targets_per_zone"` // the initial fleet, propagated at 0
	Launches       int            `toml:"launches"`         // new targets of the surge
	LaunchAt       model.Duration `toml:"launch_at"`        // launched evenly over [launch_at, launch_at + launch_over)
	LaunchOver     model.Duration `toml:"launch_over"`
	// LaunchWeights spread the launches over the zones (zone i gets weight
	// i's share); empty: evenly.
	LaunchWeights []float64 `toml:"launch_weights"`
	// Propagation is each launch's delay from launch to propagated state.
	Propagation model.Dist `toml:"propagation_delay"`
	// ReachBefore is the chance that a check of a target not yet propagated
	// succeeds (assumed).
	ReachBefore float64 `toml:"reach_before"`
	// PassiveCatch is the share of the connections sent to an unreachable
	// path of a target whose state has not propagated that NLB's passive
	// health checks, which watch live connections, turn away to other
	// targets instead of letting fail (assumed; 0: none; 1: every one, so a
	// connection fails only when the capacity it can reach is short). They
	// change no target's health or service.
	PassiveCatch float64 `toml:"passive_catch"`
	// Load is the offered connections as a share of the registered fleet's
	// capacity (each target serves one unit; demand grows with the fleet
	// launched to serve it).
	Load float64 `toml:"load"`

	Interval           model.Duration `toml:"check_interval"`      // default 30 s
	Timeout            model.Duration `toml:"check_timeout"`       // default 10 s
	UnhealthyThreshold int            `toml:"unhealthy_threshold"` // default 2
	HealthyThreshold   int            `toml:"healthy_threshold"`   // default 5
	MinHealthy         int            `toml:"min_healthy"`         // DNS and routing failover minimum; default 1
	TTL                model.Duration `toml:"dns_ttl"`             // default 60 s; a multiple of Tick

	FlapWork     int `toml:"flap_work"`     // checker jobs per target entering or leaving service (assumed)
	FailoverWork int `toml:"failover_work"` // checker jobs per target of an AZ whose DNS state changes (assumed)

	// Failover is off over [failover_off_at, failover_on_at); unset (0):
	// never off, never back on. NoFailover turns it off for the whole run.
	FailoverOffAt model.Duration `toml:"failover_off_at"`
	FailoverOnAt  model.Duration `toml:"failover_on_at"`
	NoFailover    bool           `toml:"no_failover"`
}

// NLB's documented defaults.
const (
	DefaultInterval           = model.Duration(30 * time.Second)
	DefaultTimeout            = model.Duration(10 * time.Second)
	DefaultUnhealthyThreshold = 2
	DefaultHealthyThreshold   = 5
	DefaultMinHealthy         = 1
	DefaultTTL                = model.Duration(60 * time.Second)
)

// Tick is how often the model re-evaluates service, DNS and its measures.
const Tick = model.Duration(5 * time.Second)

// Limits.
const (
	MaxZones   = 64
	MaxTargets = 1 << 22
	MaxWork    = 1 << 10
)

// Enabled reports whether a scenario has an [nlb] section.
func (c Section) Enabled() bool { return c.Zones != 0 || c.TargetsPerZone != 0 || c.Launches != 0 }

// withDefaults fills the zero health-check fields.
func (c Section) withDefaults() Section {
	def := func(v *model.Duration, d model.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Interval, DefaultInterval)
	def(&c.Timeout, DefaultTimeout)
	def(&c.TTL, DefaultTTL)
	if c.UnhealthyThreshold == 0 {
		c.UnhealthyThreshold = DefaultUnhealthyThreshold
	}
	if c.HealthyThreshold == 0 {
		c.HealthyThreshold = DefaultHealthyThreshold
	}
	if c.MinHealthy == 0 {
		c.MinHealthy = DefaultMinHealthy
	}
	return c
}

// Validate checks c's ranges.
func (c Section) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Zones < 1 || c.Zones > MaxZones:
		return fmt.Errorf("nlb: zones %d outside 1..%d", c.Zones, MaxZones)
	case c.TargetsPerZone < 1 || c.TargetsPerZone > MaxTargets/c.Zones:
		return fmt.Errorf("nlb: targets_per_zone %d outside 1..%d", c.TargetsPerZone, MaxTargets/c.Zones)
	case c.Launches < 0 || c.Launches > MaxTargets:
		return fmt.Errorf("nlb: launches %d outside 0..%d", c.Launches, MaxTargets)
	case c.Launches > 0 && c.Propagation.Law == nil:
		return fmt.Errorf(`nlb: launches %d without propagation_delay (e.g. "lognormal(30m,0.5)")`, c.Launches)
	case len(c.LaunchWeights) != 0 && len(c.LaunchWeights) != c.Zones:
		return fmt.Errorf("nlb: %d launch_weights for %d zones", len(c.LaunchWeights), c.Zones)
	case !(c.ReachBefore >= 0 && c.ReachBefore <= 1):
		return fmt.Errorf("nlb: reach_before %g outside 0..1", c.ReachBefore)
	case !(c.PassiveCatch >= 0 && c.PassiveCatch <= 1):
		return fmt.Errorf("nlb: passive_catch %g outside 0..1", c.PassiveCatch)
	case !(c.Load > 0 && c.Load <= 10):
		return fmt.Errorf("nlb: load %g outside (0, 10] (a share of the registered fleet's capacity)", c.Load)
	case c.UnhealthyThreshold < 1 || c.UnhealthyThreshold > 255 || c.HealthyThreshold < 1 || c.HealthyThreshold > 255:
		return fmt.Errorf("nlb: thresholds unhealthy %d and healthy %d outside 1..255", c.UnhealthyThreshold, c.HealthyThreshold)
	case c.MinHealthy < 1 || c.MinHealthy > c.TargetsPerZone:
		return fmt.Errorf("nlb: min_healthy %d outside 1..targets_per_zone %d", c.MinHealthy, c.TargetsPerZone)
	case c.FlapWork < 0 || c.FlapWork > MaxWork || c.FailoverWork < 0 || c.FailoverWork > MaxWork:
		return fmt.Errorf("nlb: flap_work %d and failover_work %d outside 0..%d", c.FlapWork, c.FailoverWork, MaxWork)
	case c.FailoverOnAt != 0 && c.FailoverOnAt <= c.FailoverOffAt:
		return fmt.Errorf("nlb: failover_on_at %v not after failover_off_at %v", c.FailoverOnAt, c.FailoverOffAt)
	case c.NoFailover && (c.FailoverOffAt != 0 || c.FailoverOnAt != 0):
		return fmt.Errorf("nlb: no_failover with failover_off_at %v or failover_on_at %v: choose one", c.FailoverOffAt, c.FailoverOnAt)
	}
	for _, w := range c.LaunchWeights {
		if !(w >= 0 && w <= 1e6) {
			return fmt.Errorf("nlb: launch weight %g outside 0..1e6", w)
		}
	}
	for _, err := range []error{
		model.InRange("launch_at", c.LaunchAt, 0, model.MaxSpan),
		model.InRange("launch_over", c.LaunchOver, 0, model.MaxSpan),
		model.InRange("check_interval", c.Interval, model.Duration(time.Second), model.Duration(time.Hour)),
		model.InRange("check_timeout", c.Timeout, model.Duration(time.Millisecond), c.Interval),
		model.InRange("dns_ttl", c.TTL, 0, model.Duration(time.Hour)),
		model.InRange("failover_off_at", c.FailoverOffAt, 0, model.MaxSpan),
		model.InRange("failover_on_at", c.FailoverOnAt, 0, model.MaxSpan),
	} {
		if err != nil {
			return fmt.Errorf("nlb: %w", err)
		}
	}
	if c.TTL%Tick != 0 { // clients' answers age in whole ticks: a remainder would be dropped
		return fmt.Errorf("nlb: dns_ttl %v is not a multiple of the %v tick (0 is the default %v; the shortest caching is %v)", time.Duration(c.TTL), time.Duration(Tick), time.Duration(DefaultTTL), time.Duration(Tick))
	}
	return nil
}

// CheckTimeout is the check timeout in effect (the default when unset).
func (c Section) CheckTimeout() model.Duration { return c.withDefaults().Timeout }

// Targets is the number of targets a run registers.
func (c Section) Targets() int { return c.Zones*c.TargetsPerZone + c.Launches }

// Cost estimates a run of horizon h: a check per target per interval
// (offered, served and finished, with flap work of the same order), a tick
// every Tick, and at worst every check of the run queued at once.
func (c Section) Cost(h model.Duration) model.Cost {
	c = c.withDefaults()
	n := float64(c.Targets())
	checks := n * float64(h) / float64(c.Interval)
	ticks := float64(h) / float64(Tick)
	return model.Cost{Events: 3*checks + ticks, Bytes: n*targetBytes + checks*model.JobBytes}
}

// failoverOff reports whether automatic failover is off at offset t.
func (c Section) failoverOff(t model.Duration) bool {
	if c.NoFailover {
		return true
	}
	if c.FailoverOffAt == 0 && c.FailoverOnAt == 0 {
		return false
	}
	return t >= c.FailoverOffAt && (c.FailoverOnAt == 0 || t < c.FailoverOnAt)
}
