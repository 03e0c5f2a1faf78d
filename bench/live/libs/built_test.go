package libs

import (
	"net/http"
	"strings"
	"testing"

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
