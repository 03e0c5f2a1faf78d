package policy

import (
	"strings"
	"testing"
	"time"
)

// AIMD's published 5 s timeout on a service where an attempt at the least
// limit (min in flight on the workers) takes longer marks every sample a
// drop: the caveat says so; scaled past that latency, or on a fast service,
// it is silent.
func TestCaveatsNameAnAIMDThatIsAFixedCap(t *testing.T) {
	slow := Env{Capacity: 4.0 / 15, Workers: 4, MeanService: 15 * time.Second}
	fast := Env{Capacity: 1000, Workers: 10, MeanService: 10 * time.Millisecond}
	for _, c := range []struct {
		spec string
		env  Env
		want string
	}{
		{"aimd", slow, "fixed cap"},
		{"aimd+fifo", slow, "min=20"},
		{"aimd:timeout=4x", slow, "about 1m15s"}, // 60 s: below 20/4 service times of 15 s
		{"aimd:timeout=75s", slow, "timeout=10x"},
		{"aimd:timeout=76s", slow, ""},
		{"aimd:timeout=10x", slow, ""},
		{"aimd:min=4", slow, "about 15s"}, // one service time at least
		{"aimd:min=4,timeout=16s", slow, ""},
		{"aimd", fast, ""},
		{"queue-size", slow, ""},
		{"not a spec", slow, ""},
	} {
		cs := Caveats(c.spec, c.env)
		got := strings.Join(cs, "; ")
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("Caveats(%q, mean %v) = %q, want one containing %q", c.spec, c.env.MeanService, got, c.want)
		}
	}
}
