package main

import (
	"context"
	"strings"
	"testing"
)

// TestSimCascade: the cascade preset runs its three stages and prints each
// one's milestones (package cascade tests that they are the same for the
// same seed).
func TestSimCascade(t *testing.T) {
	args := []string{"sim", "--scenario", "us-east-1-cascade", "--policy", "operator", "--policy", "nlb=velocity:cap=10%,window=5m", "--droplets", "2e4", "--seed", "2"}
	code, out, errs := runCLI(t, context.Background(), args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"dwfm_recovered_clock", "prop_normal_clock", "nlb_restored_clock", "event_end_clock", "held back: ", "policies dwfm=operator nlb=velocity:cap=10%,window=5m"} {
		if !strings.Contains(out, w) {
			t.Errorf("no %q in\n%s", w, out)
		}
	}
}
