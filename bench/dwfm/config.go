package dwfm

import (
	"fmt"
	"slices"
	"time"

	"github.com/aftershock/aftershock/bench/model"
)

// Config is the model as New builds it: the scenario's [dwfm] section, its
// [service] section (each DWFM host's station) and its [[trigger]]s (the
// dependency outages; no other kind).
type Config struct {
	DWFM     Section
	Service  model.StationConfig
	Triggers []model.TriggerConfig
}

// Validate checks each section, that the triggers are dependency outages,
// at most 255 of them, and that no two overlap.
func (c Config) Validate() error {
	_, err := c.outages()
	return err
}

// outages validates c and returns its dependency outages, sorted.
func (c Config) outages() ([]model.Window, error) {
	if err := c.DWFM.Validate(); err != nil {
		return nil, err
	}
	if err := c.Service.Validate(); err != nil {
		return nil, err
	}
	ws, err := model.Windows(c.Triggers, model.DependencyOutage)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ws, func(a, b model.Window) int { return int(a.Start - b.Start) })
	for i := 1; i < len(ws); i++ {
		if ws[i].Start < ws[i-1].End {
			return nil, fmt.Errorf("dwfm: dependency outages %d and %d overlap", i, i+1)
		}
	}
	if len(ws) > 255 {
		return nil, fmt.Errorf("dwfm: %d outages, at most 255", len(ws))
	}
	return ws, nil
}

// Section is the [dwfm] section of a scenario file. It is decoded, validated
// and used as is.
type Section struct {
	Droplets         int            `toml:"droplets"`
	DropletsPerHost  int            `toml:"droplets_per_host"`
	CheckInterval    model.Duration `toml:"check_interval"`
	LeaseTTLMin      model.Duration `toml:"lease_ttl_min"`
	LeaseTTLMax      model.Duration `toml:"lease_ttl_max"`
	EstablishTimeout model.Duration `toml:"establish_timeout"`
}

// MaxDroplets bounds droplets (and droplets per host): droplet and host
// numbers are 24 bits in timer arguments.
const MaxDroplets = 1 << 24

// MinCheckInterval is the shortest check interval: below it the expiry
// timers of 2^24 droplets would fire faster than the run could simulate.
const MinCheckInterval = model.Duration(time.Millisecond)

// Enabled reports whether the scenario has a lease manager at all.
func (c Section) Enabled() bool { return c.Droplets > 0 }

// Hosts is the number of DWFM hosts: droplets divided by droplets per host,
// rounded up. Scaling Droplets scales Hosts, so per-host dynamics, and with
// them the timeline, stay the same at any scale. c must be valid.
func (c Section) Hosts() int { return (c.Droplets + c.DropletsPerHost - 1) / c.DropletsPerHost }

// Validate checks c.
func (c Section) Validate() error {
	switch {
	case c.Droplets < 1 || c.Droplets > MaxDroplets:
		return fmt.Errorf("dwfm: droplets %d outside 1..%d", c.Droplets, MaxDroplets)
	case c.DropletsPerHost < 1 || c.DropletsPerHost > MaxDroplets:
		return fmt.Errorf("dwfm: droplets_per_host %d outside 1..%d", c.DropletsPerHost, MaxDroplets)
	case c.LeaseTTLMax < c.LeaseTTLMin:
		return fmt.Errorf("dwfm: lease TTL range [%v, %v] must be ordered", c.LeaseTTLMin, c.LeaseTTLMax)
	case c.Hosts() >= MaxDroplets:
		return fmt.Errorf("dwfm: %d hosts, at most %d", c.Hosts(), MaxDroplets-1)
	}
	for _, err := range []error{
		model.InRange("check_interval", c.CheckInterval, MinCheckInterval, model.MaxSpan),
		model.InRange("lease_ttl_min", c.LeaseTTLMin, 1, model.MaxSpan),
		model.InRange("lease_ttl_max", c.LeaseTTLMax, 1, model.MaxSpan),
		model.InRange("establish_timeout", c.EstablishTimeout, 1, model.MaxSpan),
	} {
		if err != nil {
			return fmt.Errorf("dwfm: %w", err)
		}
	}
	return nil
}
