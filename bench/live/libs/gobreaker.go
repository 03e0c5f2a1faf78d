package libs

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/sony/gobreaker/v2"

	"github.com/aftershock/aftershock/bench/policy"
)

// errFailed is what a request that did not end well returns to gobreaker.
var errFailed = errors.New("libs: the request failed (5xx, 429, or its client gave up)")

var gobreakerPolicy = policy.Def{
	Name:  "gobreaker",
	Roles: []policy.Role{policy.RoleAdmission},
	Doc: "sony/gobreaker's circuit breaker per host, its zero Settings: trips after more than 5 failures in a row, stays " +
		"open 60 s, then lets 1 request through (half-open) and closes on its success; counts are cleared only on a state " +
		"change (Interval 0). A request that answered 5xx or 429 or whose client gave up is a failure. Open: 503.",
	Source: sonyGobreaker + " (NewCircuitBreaker with Settings{}: MaxRequests 1, Interval 0, Timeout 60 s, ReadyToTrip ConsecutiveFailures > 5)",
	Params: []policy.Param{
		{Name: "failures", Kind: policy.KindCount, Default: "5", Doc: "it trips after more than this many failures in a row (ReadyToTrip)"},
		{Name: "timeout", Kind: policy.KindDuration, Default: "1m0s", Doc: "how long it stays open, wall time (Settings.Timeout)"},
		{Name: "max-requests", Kind: policy.KindCount, Default: "1", Doc: "requests let through half-open, and successes in a row that close it (Settings.MaxRequests)"},
		{Name: "interval", Kind: policy.KindDuration, Default: "never (0)", Derived: true, Doc: "how often a closed breaker clears its counts, wall time (Settings.Interval)"},
		{Name: "bucket-period", Kind: policy.KindDuration, Default: "none (a fixed window)", Derived: true, Doc: "a rolling window of buckets this long over the interval (Settings.BucketPeriod)"},
	},
	Notes: []string{wallTime},
	Live: func(a policy.Args) (policy.LiveHooks, error) {
		var st gobreaker.Settings
		if a.Given("bucket-period") {
			if !a.Given("interval") {
				return policy.LiveHooks{}, fmt.Errorf("libs: bucket-period %v without an interval: the buckets divide the interval", a.Duration("bucket-period"))
			}
			if a.Duration("bucket-period") > a.Duration("interval") {
				return policy.LiveHooks{}, fmt.Errorf("libs: bucket-period %v longer than the interval %v (gobreaker would stretch the interval to it)", a.Duration("bucket-period"), a.Duration("interval"))
			}
			st.BucketPeriod = a.Duration("bucket-period")
		}
		if a.Given("interval") {
			st.Interval = a.Duration("interval")
		}
		if a.Given("timeout") {
			st.Timeout = a.Duration("timeout")
		}
		if a.Given("max-requests") {
			st.MaxRequests = uint32(a.Count("max-requests"))
		}
		if a.Given("failures") {
			n := uint32(a.Count("failures"))
			st.ReadyToTrip = func(c gobreaker.Counts) bool { return c.ConsecutiveFailures > n }
		}
		return serverHooks(func(h policy.LiveHost) func(http.Handler) http.Handler {
			s := st
			s.Name = fmt.Sprintf("host %d", h.Index)
			cb := gobreaker.NewCircuitBreaker[struct{}](s)
			return func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					_, err := cb.Execute(func() (struct{}, error) {
						if serveCounting(next, w, r) {
							return struct{}{}, nil
						}
						return struct{}{}, errFailed
					})
					if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
						http.Error(w, err.Error(), http.StatusServiceUnavailable)
					}
				})
			}
		}), nil
	},
}
