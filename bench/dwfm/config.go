package dwfm

import (
	"fmt"
	"time"
)

// Config is the [dwfm] section of a scenario file.
type Config struct {
	Droplets         int           `scn:"droplets,nonneg"`
	DropletsPerHost  int           `scn:"droplets_per_host,nonneg"`
	Zones            int           `scn:"zones,nonneg"`
	CheckInterval    time.Duration `scn:"check_interval,nonneg"`
	LeaseTTLMin      time.Duration `scn:"lease_ttl_min,nonneg"`
	LeaseTTLMax      time.Duration `scn:"lease_ttl_max,nonneg"`
	EstablishTimeout time.Duration `scn:"establish_timeout,nonneg"`
}

// Enabled reports whether the scenario has a lease manager at all.
func (c Config) Enabled() bool { return c.Droplets > 0 }

// Hosts is the number of DWFM hosts: droplets divided by droplets per host,
// rounded up. Scaling Droplets scales Hosts, so per-host dynamics, and with
// them the timeline, stay the same at any scale.
func (c Config) Hosts() int { return (c.Droplets + c.DropletsPerHost - 1) / c.DropletsPerHost }

// Validate checks c.
func (c Config) Validate() error {
	switch {
	case c.Droplets < 1 || c.Droplets > 1<<24:
		return fmt.Errorf("dwfm: droplets %d outside 1..16777216", c.Droplets)
	case c.DropletsPerHost < 1:
		return fmt.Errorf("dwfm: droplets_per_host %d below 1", c.DropletsPerHost)
	case c.Zones < 1:
		return fmt.Errorf("dwfm: zones %d below 1", c.Zones)
	case c.CheckInterval <= 0:
		return fmt.Errorf("dwfm: check_interval %v must be above 0", c.CheckInterval)
	case c.LeaseTTLMin <= 0 || c.LeaseTTLMax < c.LeaseTTLMin:
		return fmt.Errorf("dwfm: lease TTL range [%v, %v] must be positive and ordered", c.LeaseTTLMin, c.LeaseTTLMax)
	case c.EstablishTimeout <= 0:
		return fmt.Errorf("dwfm: establish_timeout %v must be above 0", c.EstablishTimeout)
	case c.Hosts() >= 1<<24:
		return fmt.Errorf("dwfm: %d hosts exceed 2^24", c.Hosts())
	}
	return nil
}
