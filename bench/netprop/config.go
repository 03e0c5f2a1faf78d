package netprop

import (
	"fmt"
	"time"

	"github.com/aftershock/aftershock/bench/model"
)

// Config is the model as New builds it: the scenario's [netprop] section,
// its [service] section (the propagation station) and, when a cascade feeds
// it, its input. It takes no trigger: its surge is its trigger.
type Config struct {
	NetProp Section
	Service model.StationConfig
	// Input, when set, replaces the section's own stream (NewStream up to
	// the run's horizon): the cascade feeds the stage the work DWFM held
	// back. The section's surge_at and surge_over still say when the
	// held-back work has all been offered (SurgeEnd), the instant recovery
	// counts from; its base_rate and surge need not be set.
	Input Input
}

// Validate checks the section (that it offers some input only when Input
// is nil) and the station, which must have a queue and workers.
func (c Config) Validate() error {
	if err := c.NetProp.check(c.Input == nil); err != nil {
		return err
	}
	if err := c.Service.Validate(); err != nil {
		return fmt.Errorf("netprop: %w", err)
	}
	if c.Service.Delay || c.Service.QueueCapacity != 0 {
		return fmt.Errorf("netprop: the propagation station has a queue and workers: delay_station and queue_capacity are for the generic model")
	}
	return nil
}

// Section is the [netprop] section of a scenario file: the input of a
// standalone run and the measure of normal latency. It is decoded, validated
// and used as is.
type Section struct {
	// BaseRate is the items per second offered in normal operation (a
	// Poisson stream), before, during and after the surge.
	BaseRate float64 `toml:"base_rate"`
	// Surge is the number of held-back items, offered evenly over
	// [SurgeAt, SurgeAt + SurgeOver) (all at SurgeAt when SurgeOver is 0).
	Surge     int            `toml:"surge"`
	SurgeAt   model.Duration `toml:"surge_at"`
	SurgeOver model.Duration `toml:"surge_over"`
	// LaunchShare is the share of items that are launches (the rest are
	// terminations); only launches make instances that become reachable.
	LaunchShare float64 `toml:"launch_share"`
	// Normal is the latency at or under which propagation counts as normal.
	Normal model.Duration `toml:"normal_latency"`
	// RetryAfter is how long a refused or dropped item is held before it is
	// offered again; DefaultRetryAfter when unset.
	RetryAfter model.Duration `toml:"retry_after"`
}

// DefaultRetryAfter is RetryAfter when a file sets none (assumed).
const DefaultRetryAfter = model.Duration(30 * time.Second)

// Limits on the input.
const (
	MaxSurge    = 1 << 26
	MaxBaseRate = 1e5
)

// Enabled reports whether a scenario has a [netprop] section.
func (c Section) Enabled() bool { return c != Section{} }

// Validate checks c's ranges, and that it offers some input.
func (c Section) Validate() error { return c.check(true) }

// check checks c's ranges, and when input is set that it offers some.
func (c Section) check(input bool) error {
	switch {
	case !(c.BaseRate >= 0 && c.BaseRate <= MaxBaseRate):
		return fmt.Errorf("netprop: base_rate %g outside 0..%g per second", c.BaseRate, float64(MaxBaseRate))
	case c.Surge < 0 || c.Surge > MaxSurge:
		return fmt.Errorf("netprop: surge %d outside 0..%d", c.Surge, MaxSurge)
	case input && c.BaseRate == 0 && c.Surge == 0:
		return fmt.Errorf("netprop: no input: set base_rate or surge")
	case !(c.LaunchShare >= 0 && c.LaunchShare <= 1):
		return fmt.Errorf("netprop: launch_share %g outside 0..1", c.LaunchShare)
	case c.Normal == 0:
		return fmt.Errorf(`netprop: normal_latency missing (e.g. normal_latency = "2m")`)
	}
	for _, err := range []error{
		model.InRange("surge_at", c.SurgeAt, 0, model.MaxSpan),
		model.InRange("surge_over", c.SurgeOver, 0, model.MaxSpan),
		model.InRange("normal_latency", c.Normal, 1, model.MaxSpan),
		model.InRange("retry_after", c.RetryAfter, 0, model.MaxSpan),
	} {
		if err != nil {
			return fmt.Errorf("netprop: %w", err)
		}
	}
	return nil
}

// SurgeEnd is when the last held-back item is offered.
func (c Section) SurgeEnd() time.Duration { return time.Duration(c.SurgeAt + c.SurgeOver) }

// retryAfter is RetryAfter or its default.
func (c Section) retryAfter() model.Duration {
	if c.RetryAfter == 0 {
		return DefaultRetryAfter
	}
	return c.RetryAfter
}

// Items estimates the items a run of horizon h offers: the surge plus the
// base stream's mean.
func (c Section) Items(h model.Duration) float64 {
	return float64(c.Surge) + c.BaseRate*time.Duration(h).Seconds()
}

// Cost estimates a run, upper-bound-minded: each item is offered, served
// and finished, and may be refused and offered again every retry_after for
// the whole horizon.
func (c Section) Cost(h model.Duration) model.Cost {
	n := c.Items(h)
	return model.Cost{Events: n * (4 + float64(h)/float64(c.retryAfter())), Bytes: n * (itemBytes + model.JobBytes)}
}
