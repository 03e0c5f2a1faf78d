package main

import (
	"context"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench/policy"
)

// TestPoliciesListsTheLiveOnes: loadgen policies lists every live-only
// policy (the libraries) under a heading that says they run only live and
// how their wall-clock durations read under --time-scale; sim refuses one
// in one line, exit 2.
func TestPoliciesListsTheLiveOnes(t *testing.T) {
	code, out, _ := runCLI(t, context.Background(), "policies")
	head := strings.Index(out, "\nLive mode only (loadgen serve, loadgen attack; loadgen sim refuses them)")
	if code != 0 || head < 0 || !strings.Contains(out[head:], "--time-scale S a duration d spans d·S of model time") {
		t.Fatalf("policies: exit %d, no live-only heading with the time scale:\n%s", code, out)
	}
	live := policy.LiveNames()
	if len(live) < 7 {
		t.Errorf("%d live-only policies, want the 7 libraries at least: %v", len(live), live)
	}
	for _, n := range live {
		i := strings.Index(out, "\n"+n+" (")
		if i < head || !strings.Contains(out[i:i+len(n)+40], "live only)") {
			t.Errorf("%s: not listed after the heading as live only", n)
		}
	}
	code, _, errOut := runCLI(t, context.Background(), "sim", "--policy", "failsafe-adaptive-limiter", "--out", t.TempDir())
	if code != 2 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "runs only in live mode") {
		t.Errorf("sim with a live-only policy: exit %d, %q; want 2 and one line", code, errOut)
	}
}
