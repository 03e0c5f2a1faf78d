package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestMessagesNameWhatTheUserGave: a refusal names the flag that is wrong,
// not others the user did not set (serve named --max-inflight and --for
// beside a bad --max-queued), and no internal package (bench:, live:,
// record:, results:) or command twice.
func TestMessagesNameWhatTheUserGave(t *testing.T) {
	flag := regexp.MustCompile(`--[a-z][a-z0-9-]*`)
	for _, args := range [][]string{
		{"serve", "--max-queued", "-1"},
		{"serve", "--for", "-1s"},
		{"attack", "--interval", "-1s"},
		{"attack", "--duration", "-1s"},
		{"boundary", "--scenario", "metastable", "--param", "clients.rate", "--lo", "900", "--hi", "100"},
		{"boundary", "--scenario", "metastable", "--param", "clients.rate", "--lo", "100", "--hi", "900", "--tol", "1e-12"},
		{"sim", "--droplets", "1e6", "--max-events", "1e6"},
		{"sweep", "--shard", "0/2000000"},
		{"serve", "--scenario", "mm1"},
	} {
		code, _, errs := runCLI(t, context.Background(), args...)
		if code != 2 {
			t.Errorf("%q: exit %d", args, code)
		}
		msg, _, _ := strings.Cut(errs, "; run 'loadgen")
		for _, f := range flag.FindAllString(msg, -1) {
			given := false
			for _, a := range args {
				given = given || a == f
			}
			if !given && !strings.Contains(msg, "raise the limit with "+f) {
				t.Errorf("%q: %q names %s, which was not given", args, errs, f)
			}
		}
		for _, internal := range []string{"bench:", "live:", "record:", "results:", args[0] + ": " + args[0] + ":"} {
			if strings.Contains(errs, internal) {
				t.Errorf("%q: %q says %q", args, errs, internal)
			}
		}
		if !strings.HasPrefix(errs, "loadgen: "+args[0]+": ") {
			t.Errorf("%q: %q, want it to start with the command", args, errs)
		}
	}
}

// TestSweepAllLeavesOutFailoverOff: --policies all on us-east-1 runs every
// policy but failover-off, NLB's switch, and says so: 29 policies, the
// README's 145 runs at 5 seeds.
func TestSweepAllLeavesOutFailoverOff(t *testing.T) {
	code, out, errs := runCLI(t, context.Background(), "sweep", "--policies", "all", "--droplets", "1000", "--out", "")
	if code != 0 || !strings.Contains(errs, "leaving out failover-off") || strings.Contains(out, "failover-off") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	rows := 0
	for _, l := range strings.Split(out, "\n")[1:] {
		if l != "" && !strings.HasPrefix(l, "note:") && !strings.HasPrefix(l, " ") {
			rows++
		}
	}
	if rows != 29 {
		t.Errorf("%d policies in the table, want 29 (145 runs at 5 seeds)", rows)
	}
}
