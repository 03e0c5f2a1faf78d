package policy

import (
	"github.com/aftershock/aftershock/throttle"
)

var circuitBreakerPolicy = Def{
	Name:   "circuit-breaker",
	Roles:  []Role{RoleClient},
	Doc:    "Clients stop sending to a host whose failure ratio over a window passes a threshold, wait a cooldown, then probe.",
	Source: "Nygard, Release It! (closed/open/half-open)",
	Params: []Param{
		{Name: "ratio", Kind: KindFraction, Default: ftoa(throttle.DefaultCircuitBreaker.FailureRatio), Doc: "failure ratio that opens the breaker"},
		{Name: "min-requests", Kind: KindCount, Default: itoa(throttle.DefaultCircuitBreaker.MinRequests), Doc: "outcomes needed in the window before it may open"},
		{Name: "window", Kind: KindDuration, Default: dur(throttle.DefaultCircuitBreaker.Window), Doc: "history kept"},
		{Name: "cooldown", Kind: KindDuration, Default: dur(throttle.DefaultCircuitBreaker.Cooldown), Doc: "time open before probing"},
		{Name: "probes", Kind: KindCount, Default: itoa(throttle.DefaultCircuitBreaker.Probes), Doc: "attempts let through when half-open"},
	},
	Notes: []string{
		"one breaker per host, shared by all its clients (Hystrix keeps one per client process)",
		"a failure is an error, a fast refusal or the client's own timeout",
	},
	Build: client(func(a Args) throttle.CircuitBreakerConfig {
		return throttle.CircuitBreakerConfig{FailureRatio: a.Float("ratio"), MinRequests: a.Count("min-requests"),
			Window: a.Duration("window"), Buckets: throttle.DefaultCircuitBreaker.Buckets, Cooldown: a.Duration("cooldown"), Probes: a.Count("probes")}
	}, same(throttle.NewCircuitBreaker)),
}
