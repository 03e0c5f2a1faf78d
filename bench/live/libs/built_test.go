package libs

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/policy"
	"github.com/failsafe-go/failsafe-go/adaptivelimiter"
)

// TestBuilderPanicIsAnError: a builder's panic (failsafe-go asserts its
// arguments) comes back as one line, not a crash.
func TestBuilderPanicIsAnError(t *testing.T) {
	_, err := built("failsafe-go", func() adaptivelimiter.AdaptiveLimiter[*http.Response] {
		return adaptivelimiter.NewBuilder[*http.Response]().WithLimits(30, 20, 25).Build()
	})
	if err == nil || !strings.HasPrefix(err.Error(), "libs: failsafe-go refused the setting: ") || strings.Contains(err.Error(), "\n") {
		t.Errorf("%v, want one line: libs: failsafe-go refused the setting", err)
	}
}

// TestClientsTimeoutIsWallTime: the clients' attempt timeout, in model
// time in the scenario, is model ÷ scale of wall time for a library (the
// adaptive limiter's default max wait with queueing=true): 800 ms at time
// scale 10 is 80 ms of wall time, at scale 1 800 ms.
func TestClientsTimeoutIsWallTime(t *testing.T) {
	a := policy.Args{Env: policy.Env{Timeout: 800 * time.Millisecond}}
	for scale, want := range map[float64]time.Duration{1: 800 * time.Millisecond, 10: 80 * time.Millisecond, 0.5: 1600 * time.Millisecond} {
		if got := clientsTimeout(a, scale); got != want {
			t.Errorf("scale %g: %v, want %v", scale, got, want)
		}
	}
}
