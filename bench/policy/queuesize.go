package policy

import (
	"github.com/aftershock/aftershock/throttle"
)

var queueSizePolicy = Def{
	Name:  "queue-size",
	Roles: []Role{RoleAdmission},
	Doc: "The mitigation AWS announced: admitted rate falls linearly with the waiting queue, " +
		"rate·(1 − queued/limit), per host.",
	Source: "AWS post-event summary, mitigations (EC2 data propagation)",
	Params: []Param{
		{Name: "rate", Kind: KindRate, Default: "2x", Doc: "admitted rate with an empty queue (×capacity with x); 2x settles the queue at half the limit"},
		{Name: "limit", Kind: KindCount, Default: "2w", Doc: "queue length at which the refill stops (the bucket's burst is still spent: a surge queues up to limit + burst; default 2 × workers: the queue settles at one per worker, enough to keep workers busy; " +
			"on us-east-1 at 10⁵ droplets, 2w recovers in 1.069 × ideal and 4w in 1.080 ×: a longer queue slows each establishment)"},
		{Name: "burst", Kind: KindCount, Default: "2w", Doc: "bucket size (default 2 × workers)"},
	},
	Notes: []string{
		"AWS published the idea (admitted rate falls with the waiting queue), not the law or its numbers: the linear law and the 2x/2w defaults are this suite's",
	},
	Build: admission(func(a Args) throttle.QueueSizeConfig {
		return throttle.QueueSizeConfig{Rate: a.Rate("rate"), Limit: a.Count("limit"), Burst: a.Count("burst")}
	}, same(throttle.NewQueueSize)),
}
