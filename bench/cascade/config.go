package cascade

import (
	"fmt"
	"math"
	"time"
	"unsafe"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/nlb"
)

// Link is how one stage's output becomes the next one's input: the [link]
// section of a cascade file (see the package doc: all of it is assumed but
// the failover times).
type Link struct {
	ItemsPerDropletHour float64        `toml:"items_per_droplet_hour"`
	ReleaseOver         model.Duration `toml:"release_over"`
	NLBEvery            int            `toml:"nlb_every"`
	FailoverOffAt       model.Duration `toml:"failover_off_at"`
	FailoverOnAt        model.Duration `toml:"failover_on_at"`
	// VisibleLatency is the p99 propagation latency at which the latency
	// counts as visibly up (the prop_up milestone); unset: netprop's normal
	// latency.
	VisibleLatency model.Duration `toml:"visible_latency"`
	// ReachBefore, when set, replaces the NLB stage's reach_before (the
	// chance that a check or a connection reaches a target whose network
	// state has not propagated).
	ReachBefore float64 `toml:"reach_before"`
}

// MaxItemsPerDropletHour bounds the held-back work per droplet-hour.
const MaxItemsPerDropletHour = 1000

// Validate checks l's ranges.
func (l Link) Validate() error {
	switch {
	case !(l.ItemsPerDropletHour > 0 && l.ItemsPerDropletHour <= MaxItemsPerDropletHour):
		return fmt.Errorf("cascade: items_per_droplet_hour %g outside (0, %d]", l.ItemsPerDropletHour, MaxItemsPerDropletHour)
	case l.NLBEvery < 1:
		return fmt.Errorf("cascade: nlb_every %d below 1", l.NLBEvery)
	case !(l.ReachBefore >= 0 && l.ReachBefore <= 1):
		return fmt.Errorf("cascade: reach_before %g outside 0..1 (0: the nlb stage's)", l.ReachBefore)
	case l.FailoverOnAt != 0 && l.FailoverOnAt <= l.FailoverOffAt:
		return fmt.Errorf("cascade: failover_on_at %v not after failover_off_at %v", l.FailoverOnAt, l.FailoverOffAt)
	}
	for _, err := range []error{
		model.InRange("release_over", l.ReleaseOver, 0, model.MaxSpan),
		model.InRange("failover_off_at", l.FailoverOffAt, 0, model.MaxSpan),
		model.InRange("failover_on_at", l.FailoverOnAt, 0, model.MaxSpan),
		model.InRange("visible_latency", l.VisibleLatency, 0, model.MaxSpan),
	} {
		if err != nil {
			return fmt.Errorf("cascade: %w", err)
		}
	}
	return nil
}

// Replaced are the keys of the later stages' scenarios that the cascade
// replaces (by stage, then the key's path in the stage's file), with what
// replaces them: setting one changes nothing, so `--vary` refuses it.
var Replaced = map[string]map[string]string{
	"netprop": {
		"start": "the cascade's timeline is the dwfm stage's", "horizon": "the cascade's timeline is the dwfm stage's",
		"interval":         "every stage samples at the dwfm stage's interval",
		"netprop.surge":    "the held-back work is link.items_per_droplet_hour × the droplet-hours without a lease",
		"netprop.surge_at": "the held-back work is released when every lease is back", "netprop.surge_over": "link.release_over sets it",
	},
	"nlb": {
		"start": "the cascade's timeline is the dwfm stage's", "horizon": "the cascade's timeline is the dwfm stage's",
		"interval":      "every stage samples at the dwfm stage's interval",
		"nlb.launches":  "the NLB's launches are netprop's output, one in link.nlb_every",
		"nlb.launch_at": "the NLB's launches are netprop's output", "nlb.launch_over": "the NLB's launches are netprop's output",
		"nlb.launch_weights":    "the launches are spread over the zones in turn",
		"nlb.propagation_delay": "each launch propagates when netprop propagates it",
		"nlb.failover_off_at":   "link.failover_off_at (or the failover-off policy) sets it",
		"nlb.failover_on_at":    "link.failover_on_at (or the failover-off policy) sets it",
	},
}

// Sized are the later stages' inputs as large as the link can make them for
// a run of droplets over horizon: netprop with every droplet unleased for the
// whole horizon (its surge), the NLB with every item a launch (its launches).
// They bound the run's cost; an error says which stage's limit the bound
// passes, and which key to change.
func Sized(l Link, droplets int, horizon model.Duration, pc netprop.Section, nc nlb.Section) (netprop.Section, nlb.Section, error) {
	hours := time.Duration(horizon).Hours()
	held := math.Ceil(l.ItemsPerDropletHour * float64(droplets) * hours)
	if held > netprop.MaxSurge {
		return pc, nc, fmt.Errorf("cascade: the held-back work could reach %.4g items (link.items_per_droplet_hour %g × %d droplets × %.4g h), above netprop's %d: lower items_per_droplet_hour or the droplets",
			held, l.ItemsPerDropletHour, droplets, hours, netprop.MaxSurge)
	}
	pc.Surge = int(held)
	launches := math.Ceil((held + pc.BaseRate*time.Duration(horizon).Seconds()) / float64(l.NLBEvery))
	if initial := nc.Zones * nc.TargetsPerZone; launches > float64(nlb.MaxTargets-initial) {
		return pc, nc, fmt.Errorf("cascade: the NLB could get %.4g targets (%d initial, a launch in link.nlb_every %d of up to %.4g items), above nlb's %d: raise nlb_every",
			launches+float64(initial), initial, l.NLBEvery, held+pc.BaseRate*time.Duration(horizon).Seconds(), nlb.MaxTargets)
	}
	nc.Launches = int(launches)
	return pc, nc, nil
}

// SeriesBytes is the heap a run of samples sample intervals holds for its
// time series until the last stage ends (the rows are handed on only then):
// DWFM's samples and the later stages' intervals, each slice grown by
// appending (up to twice its length), and the zipped rows.
func SeriesBytes(samples float64) float64 {
	appended := unsafe.Sizeof(model.Sample{}) + unsafe.Sizeof(netprop.Interval{}) + unsafe.Sizeof(nlb.Interval{})
	return samples * float64(2*appended+unsafe.Sizeof(Row{}))
}
