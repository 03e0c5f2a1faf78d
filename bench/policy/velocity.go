package policy

import (
	"fmt"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/throttle"
)

var velocityPolicy = Def{
	Name:  "velocity",
	Roles: []Role{RoleRetryGate, RoleVelocity},
	Doc: "A velocity control: at most max retries released per host in any window; in a model that takes capacity out of service " +
		"(nlb: AZ DNS failover on health checks), at most cap of the capacity in service leaves within any window, the rest of a " +
		"larger removal later (capacity leaves gradually).",
	Source: "AWS post-event summary (NLB velocity control)",
	Params: []Param{
		{Name: "max", Kind: KindCount, Default: "16", Doc: "retries per window"},
		{Name: "window", Kind: KindDuration, Default: "1m", Doc: "sliding window"},
		{Name: "cap", Kind: KindShare, Default: "10%", Doc: "capacity that may leave per window: a percentage of the capacity in service before the window's removals"},
		{Name: "targets", Kind: KindBool, Default: "false", Doc: "also pace single targets leaving service (AWS announced the control for AZ failover only); reported apart"},
	},
	Notes: []string{
		"AWS announced a velocity control for NLB capacity removal and published no figure: the 10% default is this suite's, to be swept",
		"applying it to retries, and its 16 per minute, are this suite's choices; a model uses the part that applies to it",
	},
	Build: func(a Args) (model.Hooks, error) {
		h, err := retryGate(func(a Args) throttle.VelocityConfig {
			return throttle.VelocityConfig{Max: a.Count("max"), Window: a.Duration("window")}
		}, same(newVelocityRetries))(a)
		if err != nil {
			return h, err
		}
		c := throttle.CapacityVelocityConfig{Share: a.Share("cap"), Window: a.Duration("window")}
		if err := c.Validate(); err != nil {
			return h, err
		}
		h.Velocity = func() *throttle.CapacityVelocity {
			v, err := throttle.NewCapacityVelocity(c)
			if err != nil { // validated above
				panic(fmt.Sprintf("policy: a validated config failed to Build: %v", err))
			}
			return v
		}
		h.VelocityTargets = a.Bool("targets")
		return h, nil
	},
}

// velocityRetries gates retries with a velocity control: at most Max retries
// released per Window.
type velocityRetries struct{ v *throttle.Velocity }

func (g velocityRetries) Retry(now time.Time, _ bool) bool { return g.v.Allow(now, 1) }

func newVelocityRetries(c throttle.VelocityConfig) (velocityRetries, error) {
	v, err := throttle.NewVelocity(c)
	return velocityRetries{v}, err
}

var _ throttle.RetryGate = velocityRetries{}
