package policy

import (
	"github.com/aftershock/aftershock/throttle"
)

var retryBudgetPolicy = Def{
	Name:   "retry-budget",
	Roles:  []Role{RoleRetryGate},
	Doc:    "Retries allowed up to ratio × requests plus min-per-s × ttl over a ttl window, per host.",
	Source: "Finagle / Linkerd retry budgets",
	Params: []Param{
		{Name: "ratio", Kind: KindFraction, Default: ftoa(throttle.DefaultRetryBudget.Ratio), Doc: "retries per request"},
		{Name: "min-per-s", Kind: KindNumber, Default: ftoa(throttle.DefaultRetryBudget.MinPerSecond), Doc: "retries per second always allowed"},
		{Name: "ttl", Kind: KindDuration, Default: dur(throttle.DefaultRetryBudget.TTL), Doc: "window"},
	},
	Notes: []string{
		"one budget per host, shared by its clients (Finagle and Linkerd keep one per client)",
		"kept as 10 one-second buckets: a sum covers 9-10 s of the 10 s TTL",
	},
	Build: retryGate(func(a Args) throttle.RetryBudgetConfig {
		return throttle.RetryBudgetConfig{Ratio: a.Float("ratio"), MinPerSecond: a.Float("min-per-s"),
			TTL: a.Duration("ttl"), Buckets: throttle.DefaultRetryBudget.Buckets}
	}, same(throttle.NewRetryBudget)),
}
