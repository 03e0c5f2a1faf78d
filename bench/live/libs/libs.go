package libs

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/throttle/httpmw"
)

// defs are the policies this package registers, one file each.
var defs = []*policy.Def{
	&adaptiveLimiterPolicy, &adaptiveThrottlerPolicy, &circuitBreakerPolicy, &bulkheadPolicy, &rateLimiterPolicy,
	&gobreakerPolicy, &retryPolicy,
}

func init() {
	for _, d := range defs {
		if err := policy.Register(*d); err != nil {
			panic(err) // a policy here is wrong: a bug
		}
	}
}

// failsafeGo and sonyGobreaker name the modules, as each policy's Source does.
const (
	failsafeGo    = "github.com/failsafe-go/failsafe-go v0.9.8"
	sonyGobreaker = "github.com/sony/gobreaker/v2 v2.4.0"
)

// wallTime is the note every policy here carries.
const wallTime = "reads the wall clock: live mode only; its durations are wall time (under --time-scale S a library duration d spans d·S of model time); live-realtime runs at scale 1"

// built runs a library's builder, turning a panic (failsafe-go's builders
// assert their arguments) into an error.
func built[T any](lib string, f func() T) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("libs: %s refused the setting: %v", lib, p)
		}
	}()
	return f(), nil
}

// serverHooks are live hooks whose middleware for host h is mw(h).
func serverHooks(mw func(h policy.LiveHost) func(http.Handler) http.Handler) policy.LiveHooks {
	return policy.LiveHooks{Server: mw}
}

// wallRate is a rate parameter per wall second: "Nx" is N times the host's
// capacity per model second, so N·capacity·scale per wall second; a plain
// number is per wall second already.
func wallRate(a policy.Args, name string, scale float64) float64 {
	if strings.HasSuffix(a.Raw(name), "x") {
		return a.Rate(name) * scale
	}
	return a.Rate(name)
}

// clientsTimeout is the clients' attempt timeout in wall time at scale.
func clientsTimeout(a policy.Args, scale float64) time.Duration {
	return time.Duration(float64(a.Env.Timeout) / scale)
}

// serveCounting serves r through next and reports whether it ended well
// (httpmw.DefaultOK: not 5xx nor 429, its client still there).
func serveCounting(next http.Handler, w http.ResponseWriter, r *http.Request) bool {
	s := &httpmw.StatusWriter{ResponseWriter: w}
	next.ServeHTTP(s, r)
	return httpmw.DefaultOK(s.Code(), r)
}
