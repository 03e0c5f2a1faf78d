package libs

import (
	"fmt"
	"net/http"

	"github.com/failsafe-go/failsafe-go/bulkhead"
	"github.com/failsafe-go/failsafe-go/failsafehttp"

	"github.com/aftershock/aftershock/bench/policy"
)

var bulkheadPolicy = policy.Def{
	Name:  "failsafe-bulkhead",
	Roles: []policy.Role{policy.RoleAdmission},
	Doc: "failsafe-go's bulkhead per host, through failsafehttp.NewHandler: at most max requests inside at once, the rest " +
		"refused 429 at once (max wait 0, its default).",
	Source: failsafeGo + " bulkhead (New(maxConcurrency): no default concurrency; max wait 0)",
	Params: []policy.Param{
		{Name: "max", Kind: policy.KindCount, Default: "1w", Doc: "requests inside at once (bulkhead.New's maxConcurrency, required by the library: default here one per worker of the host)"},
		{Name: "max-wait", Kind: policy.KindDuration, Default: "none (0)", Derived: true, Doc: "how long a request waits for room (WithMaxWaitTime; wall time)"},
	},
	Notes: []string{wallTime},
	Live: func(a policy.Args) (policy.LiveHooks, error) {
		n := a.Count("max")
		if n < 1 {
			return policy.LiveHooks{}, fmt.Errorf("libs: max %d below 1: a bulkhead of no room refuses everything", n)
		}
		return serverHooks(func(policy.LiveHost) func(http.Handler) http.Handler {
			b := bulkhead.NewBuilder[*http.Response](uint(n))
			if a.Given("max-wait") {
				b = b.WithMaxWaitTime(a.Duration("max-wait"))
			}
			bh := b.Build()
			return func(next http.Handler) http.Handler { return failsafehttp.NewHandler(next, bh) }
		}), nil
	},
}
