package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimAssert: assertions that hold exit 0; failed ones exit 1 with one
// line each, after the files are written.
func TestSimAssert(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runCLI(t, context.Background(), "sim", "--policy", "queue-size", "--droplets", "2000", "--out", dir,
		"--assert", "recovered", "--assert", "recovery_ratio<=1.2", "--assert", "wasted_fraction<0.5")
	if code != 0 {
		t.Fatalf("queue-size: exit %d, %s", code, stderr)
	}
	code, out, stderr := runCLI(t, context.Background(), "sim", "--droplets", "2000", "--out", dir,
		"--assert", "recovered", "--assert", "recovery_s<2h", "--assert", "complete==true", "--assert", "amplification>=1")
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if code != 1 || len(lines) != 1+2 || !strings.HasPrefix(lines[0], "wrote ") ||
		lines[1] != "loadgen: verdict: recovered failed: recovered is false (scenario us-east-1, policy none, seed 1, 2000 droplets)" ||
		lines[2] != "loadgen: verdict: recovery_s<2h failed: recovery_s is empty (never recovered) (scenario us-east-1, policy none, seed 1, 2000 droplets)" {
		t.Fatalf("none: exit %d, stderr\n%s\nwant 1, the files written and one line per failed assertion", code, stderr)
	}
	if !strings.Contains(out, "recovered      no") {
		t.Errorf("summary not printed:\n%s", out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.csv"))
	if err != nil || !strings.Contains(string(b), ",none,") {
		t.Errorf("summary.csv of the failed run: %v\n%s", err, b)
	}
	// Without files too.
	if code, _, stderr := runCLI(t, context.Background(), "sim", "--droplets", "2000", "--out", "", "--assert", "recovered"); code != 1 || strings.Count(stderr, "\n") != 1 {
		t.Errorf("--out '': exit %d, %q", code, stderr)
	}
}

// TestSweepAssert: an assertion fails when any run fails it, and its line
// counts the runs.
func TestSweepAssert(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runCLI(t, context.Background(), "sweep", "--policies", "none,queue-size", "--droplets", "2000", "--out", dir,
		"--assert", "recovered", "--assert", "complete", "--assert", "peak_queue>=0")
	if code != 1 || !strings.Contains(stderr, "loadgen: verdict: recovered failed in 1 of 2 runs, first: recovered is false (scenario us-east-1, policy none, seed 1, 2000 droplets)\n") ||
		strings.Count(stderr, "loadgen: ") != 1 {
		t.Fatalf("exit %d, stderr\n%s\nwant 1 and one line for recovered", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "sweep.csv")); err != nil {
		t.Errorf("sweep.csv not written: %v", err)
	}
	if code, _, stderr := runCLI(t, context.Background(), "sweep", "--policies", "queue-size", "--droplets", "2000", "--out", "", "--assert", "recovered"); code != 0 {
		t.Errorf("queue-size recovered: exit %d, %s", code, stderr)
	}
}
