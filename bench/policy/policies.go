package policy

import (
	"fmt"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/throttle"
)

func init() {
	register(&Def{
		Name:   "none",
		Doc:    "No throttle and no intervention: the service as it ran on 20 October until 04:14.",
		Source: "baseline",
		build:  func(args, Env) (model.Hooks, error) { return model.Hooks{}, nil },
	})
	register(&Def{
		Name:  "operator",
		Roles: []Role{RoleIntervention},
		Doc: "What the operators did: at 04:14 they throttled incoming work and restarted DWFM hosts " +
			"(restarts drop the queues; droplets whose requests were cut off ask again at their next check).",
		Source: "AWS post-event summary, 04:14 PDT; rate calibrated (see README)",
		Params: []Param{
			{"at", KindWhen, "04:14", "when: a clock time on the scenario's clock, or an offset from its start"},
			{"rate", KindRate, "0.8x", "the throttle: admitted attempts per second per host (×capacity with x). " +
				"ASSUMED 0.8x: no figure is published; 0.8 of nominal capacity puts the last lease near 05:28, as observed"},
			{"burst", KindCount, "4w", "token-bucket burst per host (default 4 × workers)"},
			{"restart", KindBool, "true", "restart every host at the same time"},
		},
		Notes: []string{
			"the throttle's rate is calibrated to the published recovery time; no figure is published",
			"every host restarts at the same instant",
		},
		build: func(a args, env Env) (model.Hooks, error) {
			at, err := a.when("at")
			if err != nil {
				return model.Hooks{}, err
			}
			h, err := admission(tokenBucket, same(throttle.NewTokenBucket))(a, env)
			return model.Hooks{Interventions: []model.Intervention{{
				At: at, Restart: a.boolean("restart"), Admit: h.Admit,
			}}}, err
		},
	})
	register(&Def{
		Name:  "failover-off",
		Roles: []Role{RoleIntervention},
		Doc: "What the NLB operators did: disable automatic health-check failover at a time and re-enable it later " +
			"(refused on a model without failover, such as DWFM: it would do nothing there).",
		Source: "AWS post-event summary: disabled 09:36 PDT, re-enabled 14:09 PDT",
		Params: []Param{
			{"at", KindWhen, "09:36", "when failover is disabled: a clock time or an offset from the start"},
			{"until", KindWhen, "14:09", "when it is re-enabled: a clock time or an offset from the start"},
		},
		build: func(a args, _ Env) (model.Hooks, error) {
			at, err := a.when("at")
			if err != nil {
				return model.Hooks{}, err
			}
			until, err := a.when("until")
			if err != nil {
				return model.Hooks{}, err
			}
			if until <= at {
				return model.Hooks{}, fmt.Errorf("until %v is not after at %v", until, at)
			}
			return model.Hooks{Interventions: []model.Intervention{
				{At: at, Failover: model.FailoverOff}, {At: until, Failover: model.FailoverOn}}}, nil
		},
	})
	register(&Def{
		Name:   "token-bucket",
		Roles:  []Role{RoleAdmission},
		Doc:    "A token bucket per host (golang.org/x/time/rate, AllowN: sheds, never queues), whatever the queue.",
		Source: "golang.org/x/time/rate",
		Params: []Param{
			{"rate", KindRate, "1x", "tokens per second per host (×capacity with x)"},
			{"burst", KindCount, "4w", "bucket size (default 4 × workers)"},
		},
		build: admission(tokenBucket, same(throttle.NewTokenBucket)),
	})
	register(&Def{
		Name:  "queue-size",
		Roles: []Role{RoleAdmission},
		Doc: "The mitigation AWS announced: admitted rate falls linearly with the waiting queue, " +
			"rate·(1 − queued/limit), per host.",
		Source: "AWS post-event summary, mitigations (EC2 data propagation)",
		Params: []Param{
			{"rate", KindRate, "2x", "admitted rate with an empty queue (×capacity with x); 2x settles the queue at half the limit"},
			{"limit", KindCount, "2w", "queue length at which admission stops (default 2 × workers: the queue settles at one per worker, enough to keep workers busy; " +
				"on us-east-1 at 10⁵ droplets, 2w recovers in 1.069 × ideal and 4w in 1.080 ×: a longer queue slows each establishment)"},
			{"burst", KindCount, "2w", "bucket size (default 2 × workers)"},
		},
		Notes: []string{
			"AWS published the idea (admitted rate falls with the waiting queue), not the law or its numbers: the linear law and the 2x/2w defaults are this suite's",
		},
		build: admission(func(a args) throttle.QueueSizeConfig {
			return throttle.QueueSizeConfig{Rate: a.rate("rate"), Limit: a.count("limit"), Burst: a.count("burst")}
		}, same(throttle.NewQueueSize)),
	})
}

// tokenBucket resolves the token bucket that token-bucket and operator share.
func tokenBucket(a args) throttle.TokenBucketConfig {
	return throttle.TokenBucketConfig{Rate: a.rate("rate"), Burst: a.count("burst")}
}
