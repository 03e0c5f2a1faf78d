package policy

import (
	"fmt"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/throttle"
)

// none, the baseline, and the interventions: what operators did at fixed
// times.

var nonePolicy = Def{
	Name:   "none",
	Doc:    "No throttle and no intervention: the service as it ran on 20 October until 04:14.",
	Source: "baseline",
	Build:  func(Args) (model.Hooks, error) { return model.Hooks{}, nil },
}

var operatorPolicy = Def{
	Name:  "operator",
	Roles: []Role{RoleIntervention},
	Doc: "What the operators did: at 04:14 they throttled incoming work and restarted DWFM hosts " +
		"(restarts drop the queues; droplets whose requests were cut off ask again at their next check).",
	Source: "AWS post-event summary, 04:14 PDT; rate calibrated (see docs/validation.md)",
	Params: []Param{
		{Name: "at", Kind: KindWhen, Default: "04:14", Doc: "when: a clock time on the scenario's clock, or an offset from its start"},
		{Name: "rate", Kind: KindRate, Default: "0.8x", Doc: "the throttle: admitted attempts per second per host (×capacity with x). " +
			"ASSUMED 0.8x: no figure is published; 0.8 of nominal capacity puts the last lease near 05:28, as observed"},
		{Name: "burst", Kind: KindCount, Default: "4w", Doc: "token-bucket burst per host (default 4 × workers)"},
		{Name: "restart", Kind: KindBool, Default: "true", Doc: "restart every host at the same time"},
	},
	Notes: []string{
		"the throttle's rate is calibrated to the published recovery time; no figure is published",
		"every host restarts at the same instant",
	},
	Build: func(a Args) (model.Hooks, error) {
		at, err := a.When("at")
		if err != nil {
			return model.Hooks{}, err
		}
		h, err := admission(tokenBucket, same(throttle.NewTokenBucket))(a)
		return model.Hooks{Interventions: []model.Intervention{{
			At: at, Restart: a.Bool("restart"), Admit: h.Admit,
		}}}, err
	},
}

var failoverOffPolicy = Def{
	Name:  "failover-off",
	Roles: []Role{RoleIntervention},
	Doc: "What the NLB operators did: disable automatic health-check failover at a time and re-enable it later " +
		"(refused on a model without failover, such as DWFM: it would do nothing there).",
	Source: "AWS post-event summary: disabled 09:36 PDT, re-enabled 14:09 PDT",
	Params: []Param{
		{Name: "at", Kind: KindWhen, Default: "09:36", Doc: "when failover is disabled: a clock time or an offset from the start"},
		{Name: "until", Kind: KindWhen, Default: "14:09", Doc: "when it is re-enabled: a clock time or an offset from the start " +
			"(by default 14:09, or never, failover staying off to the horizon, when at is at or after 14:09)"},
	},
	Build: func(a Args) (model.Hooks, error) {
		at, err := a.When("at")
		if err != nil {
			return model.Hooks{}, err
		}
		until, err := a.When("until")
		if err != nil {
			return model.Hooks{}, err
		}
		off := model.Intervention{At: at, Failover: model.FailoverOff}
		if !a.Given("until") && until <= at { // a late switch, no end given: off to the horizon
			return model.Hooks{Interventions: []model.Intervention{off}}, nil
		}
		if until <= at {
			return model.Hooks{}, fmt.Errorf("until %v is not after at %v", until, at)
		}
		return model.Hooks{Interventions: []model.Intervention{off, {At: until, Failover: model.FailoverOn}}}, nil
	},
}
