package libs

import (
	"fmt"
	"net/http"
	"time"

	"github.com/failsafe-go/failsafe-go/failsafehttp"
	"github.com/failsafe-go/failsafe-go/ratelimiter"

	"github.com/aftershock/aftershock/bench/policy"
)

var rateLimiterPolicy = policy.Def{
	Name:  "failsafe-rate-limiter",
	Roles: []policy.Role{policy.RoleAdmission},
	Doc: "failsafe-go's smooth rate limiter per host, through failsafehttp.NewHandler: one request per 1/rate at most, " +
		"the rest refused 429 at once (max wait 0, its default).",
	Source: failsafeGo + " ratelimiter (NewSmoothWithMaxRate: no default rate; max wait 0)",
	Params: []policy.Param{
		{Name: "rate", Kind: policy.KindRate, Default: "1x", Doc: "requests per second (the library requires one: default here the host's capacity; Nx is N × capacity per model second, converted to wall time)"},
		{Name: "max-wait", Kind: policy.KindDuration, Default: "none (0)", Derived: true, Doc: "how long a request waits for its turn (WithMaxWaitTime; wall time)"},
	},
	Notes: []string{wallTime},
	Live: func(a policy.Args) (policy.LiveHooks, error) {
		if !a.Given("rate") && a.Env.Capacity <= 0 {
			return policy.LiveHooks{}, fmt.Errorf("libs: rate 1x of a host without a capacity: give a rate per second")
		}
		return serverHooks(func(h policy.LiveHost) func(http.Handler) http.Handler {
			// The library spaces executions by a whole interval: at least
			// 1 ns.
			every := max(time.Nanosecond, time.Duration(float64(time.Second)/wallRate(a, "rate", h.Scale)))
			b := ratelimiter.NewSmoothBuilderWithMaxRate[*http.Response](every)
			if a.Given("max-wait") {
				b = b.WithMaxWaitTime(a.Duration("max-wait"))
			}
			rl := b.Build()
			return func(next http.Handler) http.Handler { return failsafehttp.NewHandler(next, rl) }
		}), nil
	},
}
