package libs

import (
	"fmt"
	"net/http"

	"github.com/failsafe-go/failsafe-go/adaptivelimiter"
	"github.com/failsafe-go/failsafe-go/failsafehttp"

	"github.com/aftershock/aftershock/bench/policy"
)

var adaptiveLimiterPolicy = policy.Def{
	Name:  "failsafe-adaptive-limiter",
	Roles: []policy.Role{policy.RoleAdmission},
	Doc: "failsafe-go's adaptive concurrency limiter per host, through failsafehttp.NewHandler: the limit moves with the " +
		"p90 of recent execution times against their baseline (an average of the last 10 windows of 1-30 s and 50 samples); " +
		"a request over the limit is refused 429 (no queueing, unless queueing=true).",
	Source: failsafeGo + " adaptivelimiter (NewBuilder's defaults: limits 1, 200, 20; max limit factor 5)",
	Params: []policy.Param{
		{Name: "min", Kind: policy.KindCount, Default: "1", Doc: "the least limit (WithLimits)"},
		{Name: "max", Kind: policy.KindCount, Default: "200", Doc: "the greatest limit (WithLimits)"},
		{Name: "initial", Kind: policy.KindCount, Default: "20", Doc: "the limit at start (WithLimits)"},
		{Name: "max-limit-factor", Kind: policy.KindNumber, Default: "5", Doc: "the limit rises to at most this many times the requests in flight (WithMaxLimitFactor; at least 1)"},
		{Name: "queueing", Kind: policy.KindBool, Default: "false", Doc: "queue requests over the limit, rejecting gradually from 2 to 3 times the limit queued (WithQueueing(2, 3), BuildPrioritized's factors)"},
		{Name: "max-wait", Kind: policy.KindDuration, Default: "the clients' timeout", Derived: true, Doc: "with queueing, how long a request waits for a permit (WithMaxWaitTime; wall time)"},
	},
	Notes: []string{wallTime},
	Live: func(a policy.Args) (policy.LiveHooks, error) {
		lo, hi, init, f := a.Count("min"), a.Count("max"), a.Count("initial"), a.Float("max-limit-factor")
		switch {
		case lo > hi:
			return policy.LiveHooks{}, fmt.Errorf("libs: min %d above max %d (adaptivelimiter's WithLimits panics)", lo, hi)
		case init < lo || init > hi:
			return policy.LiveHooks{}, fmt.Errorf("libs: initial %d outside min %d .. max %d (adaptivelimiter's WithLimits panics)", init, lo, hi)
		case f < 1:
			return policy.LiveHooks{}, fmt.Errorf("libs: max-limit-factor %v below 1 (WithMaxLimitFactor panics)", f)
		case a.Given("max-wait") && !a.Bool("queueing"):
			return policy.LiveHooks{}, fmt.Errorf("libs: max-wait %v without queueing=true: a full limiter waits only with queueing", a.Duration("max-wait"))
		}
		mk := func(scale float64) (adaptivelimiter.AdaptiveLimiter[*http.Response], error) {
			return built("failsafe-go", func() adaptivelimiter.AdaptiveLimiter[*http.Response] {
				b := adaptivelimiter.NewBuilder[*http.Response]()
				if a.Given("min") || a.Given("max") || a.Given("initial") {
					b = b.WithLimits(uint(lo), uint(hi), uint(init))
				}
				if a.Given("max-limit-factor") {
					b = b.WithMaxLimitFactor(f)
				}
				if a.Bool("queueing") {
					wait := clientsTimeout(a, scale)
					if a.Given("max-wait") {
						wait = a.Duration("max-wait")
					}
					b = b.WithQueueing(2, 3).WithMaxWaitTime(wait)
				}
				return b.Build()
			})
		}
		if _, err := mk(1); err != nil {
			return policy.LiveHooks{}, err
		}
		return serverHooks(func(h policy.LiveHost) func(http.Handler) http.Handler {
			lim, _ := mk(h.Scale) // checked above
			return func(next http.Handler) http.Handler { return failsafehttp.NewHandler(next, lim) }
		}), nil
	},
}
