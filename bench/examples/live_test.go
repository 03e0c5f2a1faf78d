package examples_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/live/loopback"
	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/results"
)

// capInFlight is a user's own net/http middleware, written with no
// knowledge of aftershock: at most n requests inside the handler at once,
// any more answered 503 at once.
func capInFlight(n int) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		inside := make(chan struct{}, n)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case inside <- struct{}{}:
				defer func() { <-inside }()
				next.ServeHTTP(w, r)
			default:
				http.Error(w, "busy", http.StatusServiceUnavailable)
			}
		})
	}
}

// init registers the middleware as the live-only policy "cap-in-flight":
// Live instead of Build, so live mode (loadgen serve, loadgen attack, package
// loopback) puts it in front of each DWFM host, and the simulator, which has
// no handler to wrap, refuses it. A control that takes time as an argument
// (a throttle.Admitter, as pace in register_test.go) is registered with Build
// instead and runs in both.
func init() {
	err := policy.Register(policy.Def{
		Name:   "cap-in-flight",
		Roles:  []policy.Role{policy.RoleAdmission},
		Doc:    "At most max requests inside each host's handler at once; any more answered 503 at once.",
		Source: "package examples",
		Params: []policy.Param{
			{Name: "max", Kind: policy.KindCount, Default: "1w", Doc: "requests inside at once per host (default one per worker)"},
		},
		Live: func(a policy.Args) (policy.LiveHooks, error) {
			n := a.Count("max")
			return policy.LiveHooks{Server: func(policy.LiveHost) func(http.Handler) http.Handler { return capInFlight(n) }}, nil
		},
	})
	if err != nil {
		panic(err)
	}
}

// tiny is a DWFM collapse small enough for an example: 100 droplets on one
// host of 4 workers (20 ms of work plus 4 ms per queued attempt), 300 ms
// timeouts, a 2 s outage, a 20 s horizon, in real time.
const tiny = `
name = "tiny"
horizon = "20s"
interval = "1s"
[dwfm]
droplets = 100
droplets_per_host = 100
check_interval = "250ms"
lease_ttl_min = "200ms"
lease_ttl_max = "1s"
establish_timeout = "300ms"
[service]
workers = 4
service_time = "lognormal(20ms,0.25)"
growth_per_queued = "4ms"
max_service_time = "500ms"
[[trigger]]
kind = "dependency-outage"
at = "1s"
duration = "2s"
`

// Rank a user's own middleware live, on real sockets on loopback, against
// queue-size, with none for scale: each policy's server and droplets run in
// this process in real time (time scale 1), one after the other, each until
// every droplet holds a lease again or the 20 s horizon. Capping the
// requests inside at the host's workers recovers, as queue-size does; none
// stays collapsed and ranks last. (One seed each, so no test can tell the
// two that recovered apart; `loadgen compare` ranks seeds 1-5 the same way
// from the summary.csv files of loadgen attack.)
func Example_rankMiddlewareLive() {
	sc, err := scenario.Parse("tiny", []byte(tiny))
	if err != nil {
		panic(err)
	}
	var rows []results.Summary
	for _, p := range []string{"queue-size", "cap-in-flight", "none"} {
		set, err := live.Resolve(sc, p, 0, 1)
		if err != nil {
			panic(err)
		}
		o, err := loopback.Run(context.Background(), loopback.Config{Setup: set, Scale: 1, StopWhenLeased: true})
		if err != nil {
			panic(err)
		}
		rows = append(rows, loopback.Row(set, 1, o))
	}
	rk, err := results.Rank(rows, "none")
	if err != nil {
		panic(err)
	}
	sort.Slice(rk.Rows, func(i, j int) bool { return rk.Rows[i].Policy < rk.Rows[j].Policy })
	last := ""
	for _, r := range rk.Rows {
		fmt.Printf("%-14s recovered %d/%d\n", r.Policy, r.Recovered, r.Runs)
		if r.Rank == len(rk.Rows) {
			last = r.Policy
		}
	}
	fmt.Println("ranked last:", last)
	// Output:
	// cap-in-flight  recovered 1/1
	// none           recovered 0/1
	// queue-size     recovered 1/1
	// ranked last: none
}
