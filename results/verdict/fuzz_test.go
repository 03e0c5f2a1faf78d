package verdict

import (
	"strings"
	"testing"

	"github.com/aftershock/aftershock/results"
)

// FuzzParse: any expression parses or gives a one-line error prefixed
// "verdict: ", never a panic; what parses keeps its text and checks a row
// without panicking.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"recovered", "!recovered", "recovery_s<7200", "recovery_ratio<=1.2", "wasted_fraction<0.1",
		"recovery_s<2h", "peak_queue>=1e6", "policy==queue-size", "x", "<", "recovery_s<", "recovery_s<<1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		a, err := Parse(expr)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "verdict: ") || strings.Contains(msg, "\n") {
				t.Fatalf("Parse(%q): error %q is not one line prefixed verdict:", expr, msg)
			}
			return
		}
		if a.String() != strings.TrimSpace(expr) {
			t.Fatalf("Parse(%q) keeps %q", expr, a.String())
		}
		Check(nil, a)
		Check([]results.Summary{row(true, 100), row(false, 0)}, a)
	})
}
