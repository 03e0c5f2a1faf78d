package libs

import (
	"fmt"
	"net/http"

	"github.com/failsafe-go/failsafe-go/circuitbreaker"

	"github.com/aftershock/aftershock/bench/policy"
)

var circuitBreakerPolicy = policy.Def{
	Name:  "failsafe-circuit-breaker",
	Roles: []policy.Role{policy.RoleAdmission},
	Doc: "failsafe-go's circuit breaker per host, count based: opens after 1 failure (of the last 1), stays open 1 minute, " +
		"then lets 1 request through and closes after 1 success (NewBuilder's defaults); a request that answered 5xx or 429 " +
		"or whose client gave up is a failure. Open: 429.",
	Source: failsafeGo + " circuitbreaker (NewBuilder's defaults), through its standalone permit API",
	Params: []policy.Param{
		{Name: "failures", Kind: policy.KindCount, Default: "1", Doc: "failures that open it (WithFailureThresholdRatio)"},
		{Name: "of", Kind: policy.KindCount, Default: "as failures", Derived: true, Doc: "out of the last this many executions (WithFailureThresholdRatio)"},
		{Name: "successes", Kind: policy.KindCount, Default: "as failures", Derived: true, Doc: "successes in a row that close it from half-open (WithSuccessThreshold)"},
		{Name: "delay", Kind: policy.KindDuration, Default: "1m0s", Doc: "how long it stays open, wall time (WithDelay)"},
	},
	Notes: []string{
		wallTime,
		"failsafehttp.NewHandler records every request as a success (its inner function returns no result): the breaker is driven through TryAcquirePermit, RecordSuccess and RecordFailure instead",
	},
	Live: func(a policy.Args) (policy.LiveHooks, error) {
		f, of := a.Count("failures"), a.Count("failures")
		if a.Given("of") {
			of = a.Count("of")
		}
		if of < f {
			return policy.LiveHooks{}, fmt.Errorf("libs: failures %d out of %d: a breaker cannot count more failures than executions", f, of)
		}
		mk := func() (circuitbreaker.CircuitBreaker[*http.Response], error) {
			return built("failsafe-go", func() circuitbreaker.CircuitBreaker[*http.Response] {
				b := circuitbreaker.NewBuilder[*http.Response]()
				if a.Given("failures") || a.Given("of") {
					b = b.WithFailureThresholdRatio(uint(f), uint(of))
				}
				if a.Given("successes") {
					b = b.WithSuccessThreshold(uint(a.Count("successes")))
				}
				if a.Given("delay") {
					b = b.WithDelay(a.Duration("delay"))
				}
				return b.Build()
			})
		}
		if _, err := mk(); err != nil {
			return policy.LiveHooks{}, err
		}
		return serverHooks(func(policy.LiveHost) func(http.Handler) http.Handler {
			cb, _ := mk()
			return func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if !cb.TryAcquirePermit() {
						http.Error(w, circuitbreaker.ErrOpen.Error(), http.StatusTooManyRequests)
						return
					}
					if serveCounting(next, w, r) {
						cb.RecordSuccess()
					} else {
						cb.RecordFailure()
					}
				})
			}
		}), nil
	},
}
