package libs

import (
	"fmt"
	"io"
	"net/http"

	"github.com/failsafe-go/failsafe-go"
	"github.com/failsafe-go/failsafe-go/budget"
	"github.com/failsafe-go/failsafe-go/failsafehttp"

	"github.com/aftershock/aftershock/bench/policy"
)

var retryPolicy = policy.Def{
	Name:  "failsafe-retry",
	Roles: []policy.Role{policy.RoleClient},
	Doc: "failsafe-go's HTTP retry policy on the droplets' side, one per host shared by its droplets, through " +
		"failsafehttp.NewRoundTripper: each attempt retries a 429, a 5xx (not 501) or a transport error up to 2 more times, " +
		"at once or after the answer's Retry-After, within the attempt's timeout; with its retry budget (retries at most " +
		"0.2 of the executions in flight, 3 at least).",
	Source: failsafeGo + " failsafehttp.NewRetryPolicyBuilder (2 retries, no delay but Retry-After) with budget.New() (max rate 0.2, min concurrency 3)",
	Params: []policy.Param{
		{Name: "retries", Kind: policy.KindWhole, Default: "2", Doc: "retries after the first request (WithMaxRetries)"},
		{Name: "budget", Kind: policy.KindBool, Default: "true", Doc: "with a retry budget (WithBudget(budget.New()))"},
		{Name: "budget-rate", Kind: policy.KindFraction, Default: "0.2", Doc: "the budget's max rate of retries among executions in flight (WithMaxRate)"},
		{Name: "budget-min", Kind: policy.KindWhole, Default: "3", Doc: "retries in flight the budget always allows (WithMinConcurrency)"},
	},
	Notes: []string{
		wallTime,
		"each attempt the droplet makes is one execution of the policy (one result in the files, its timeout over all its requests); the requests it sent are counted apart (requests on the wire)",
		"ReturnLastFailure, and the body of an answer it retries read and closed (OnRetryScheduled): by default failsafe-go returns an ExceededError in place of the last answer, and closes no answer it retries, so a long run would leak its connections",
	},
	Live: func(a policy.Args) (policy.LiveHooks, error) {
		if !a.Bool("budget") && (a.Given("budget-rate") || a.Given("budget-min")) {
			return policy.LiveHooks{}, fmt.Errorf("libs: budget-rate or budget-min with budget=false: there is no budget to set")
		}
		if a.Bool("budget") && a.Float("budget-rate") == 0 && a.Int("budget-min") == 0 {
			return policy.LiveHooks{}, fmt.Errorf("libs: budget-rate 0 and budget-min 0: a budget that allows no retry; give retries=0 instead")
		}
		return policy.LiveHooks{Client: func(policy.LiveHost) func(http.RoundTripper) http.RoundTripper {
			b := failsafehttp.NewRetryPolicyBuilder().ReturnLastFailure().
				OnRetryScheduled(func(e failsafe.ExecutionScheduledEvent[*http.Response]) {
					if r := e.LastResult(); r != nil && r.Body != nil {
						io.Copy(io.Discard, r.Body)
						r.Body.Close()
					}
				})
			if a.Given("retries") {
				b = b.WithMaxRetries(a.Int("retries"))
			}
			if a.Bool("budget") {
				bb := budget.NewBuilder()
				if a.Given("budget-rate") {
					bb = bb.WithMaxRate(a.Float("budget-rate"))
				}
				if a.Given("budget-min") {
					bb = bb.WithMinConcurrency(uint(a.Int("budget-min")))
				}
				b = b.WithBudget(bb.Build())
			}
			rp := b.Build()
			return func(next http.RoundTripper) http.RoundTripper { return failsafehttp.NewRoundTripper(next, rp) }
		}}, nil
	},
}
