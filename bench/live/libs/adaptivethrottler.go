package libs

import (
	"net/http"

	"github.com/failsafe-go/failsafe-go/adaptivethrottler"

	"github.com/aftershock/aftershock/bench/policy"
)

var adaptiveThrottlerPolicy = policy.Def{
	Name:  "failsafe-adaptive-throttler",
	Roles: []policy.Role{policy.RoleAdmission},
	Doc: "failsafe-go's adaptive throttler per host (Google SRE's client-side throttling, here in front of the host): " +
		"rejects with probability (executions − successes/0.9)/(executions + 1) over the last minute, at most 0.9; a request " +
		"that answered 5xx or 429 or whose client gave up counts as a failure. Refused: 429.",
	Source: failsafeGo + " adaptivethrottler (NewBuilder's defaults), through its standalone permit API",
	Params: []policy.Param{
		{Name: "failure-rate", Kind: policy.KindFraction, Default: "0.1", Doc: "failure rate above which it rejects (WithFailureRateThreshold)"},
		{Name: "executions", Kind: policy.KindWhole, Default: "0", Doc: "executions within the period before it rejects any (WithFailureRateThreshold)"},
		{Name: "period", Kind: policy.KindDuration, Default: "1m0s", Doc: "the thresholding period, wall time (WithFailureRateThreshold)"},
		{Name: "max-rejection", Kind: policy.KindFraction, Default: "0.9", Doc: "the highest rejection rate (WithMaxRejectionRate)"},
	},
	Notes: []string{
		wallTime,
		"failsafehttp.NewHandler records every request as a success (its inner function returns no result, so it never sees a status): the throttler is driven through TryAcquirePermit, RecordSuccess and RecordFailure instead",
	},
	Live: func(a policy.Args) (policy.LiveHooks, error) {
		mk := func() (adaptivethrottler.AdaptiveThrottler[*http.Response], error) {
			return built("failsafe-go", func() adaptivethrottler.AdaptiveThrottler[*http.Response] {
				b := adaptivethrottler.NewBuilder[*http.Response]()
				if a.Given("failure-rate") || a.Given("executions") || a.Given("period") {
					b = b.WithFailureRateThreshold(a.Float("failure-rate"), uint(a.Int("executions")), a.Duration("period"))
				}
				if a.Given("max-rejection") {
					b = b.WithMaxRejectionRate(a.Float("max-rejection"))
				}
				return b.Build()
			})
		}
		if _, err := mk(); err != nil {
			return policy.LiveHooks{}, err
		}
		return serverHooks(func(policy.LiveHost) func(http.Handler) http.Handler {
			t, _ := mk()
			return func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if !t.TryAcquirePermit() {
						http.Error(w, adaptivethrottler.ErrExceeded.Error(), http.StatusTooManyRequests)
						return
					}
					if serveCounting(next, w, r) {
						t.RecordSuccess()
					} else {
						t.RecordFailure()
					}
				})
			}
		}), nil
	},
}
