package bench

import (
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench/scenario"
)

// TestParseParamKinds: durations make a Span, numbers a Real, integers a
// Whole only for a key that takes no fraction; midpoints read well; bad
// ranges, keys and tolerances are refused.
func TestParseParamKinds(t *testing.T) {
	sc, err := scenario.Load("metastable")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		key, lo, hi string
		kind        ParamKind
		value       string // Value at the midpoint
	}{
		{"trigger.1.duration", "100ms", "2s", Span, "1.05s"},
		{"trigger.1.factor", "1", "4", Real, "2.5"},
		{"clients.rate", "500", "900", Real, "700"},
		{"service.workers", "8", "13", Whole, "10"},
	} {
		p, err := ParseParam(sc, c.key, c.lo, c.hi)
		if err != nil {
			t.Fatal(err)
		}
		if v := p.Value(p.mid(p.Lo, p.Hi, p.DefaultTol())); p.Kind != c.kind || v != c.value {
			t.Errorf("%s %s..%s: kind %d, midpoint %q; want kind %d, %q", c.key, c.lo, c.hi, p.Kind, v, c.kind, c.value)
		}
	}
	for _, c := range []struct{ key, lo, hi, want string }{
		{"trigger.1.duration", "2s", "1s", "not below"},
		{"trigger.1.duration", "1s", "x", "two numbers"},
		{"service.workers", "0", "4", "service.workers"},
		{"service.nope", "1", "2", "nope"},
		{"", "1", "2", "no parameter"},
		{"service.workers", "1", "99999999999999999999", "beyond 2^53"},
	} {
		_, err := ParseParam(sc, c.key, c.lo, c.hi)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s..%s: error %v, want %q", c.key, c.lo, c.hi, err, c.want)
		}
	}
	p, _ := ParseParam(sc, "trigger.1.duration", "100ms", "2s")
	for _, tol := range []string{"0s", "3s", "-1s", "x"} {
		if _, err := p.ParseTol(tol); err == nil {
			t.Errorf("--tol %s accepted", tol)
		}
	}
}
