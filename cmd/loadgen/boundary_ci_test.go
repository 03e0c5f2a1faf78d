package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// TestBoundaryIntervalNotNarrowerThanABracket: two seeds whose last
// brackets are the same (10ms to 2.5s, a tolerance of 4s) agree on the
// midpoint exactly; the interval is still as wide as what each is known
// to, the bracket, not zero. (It printed "95% CI [1.3s, 1.3s]".)
func TestBoundaryIntervalNotNarrowerThanABracket(t *testing.T) {
	scn := filepath.Join(t.TempDir(), "spiky.toml")
	if err := os.WriteFile(scn, []byte(spikyScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errText := runCLI(t, context.Background(), "boundary", "--scenario", scn, "--param", "trigger.1.duration",
		"--lo", "10ms", "--hi", "5s", "--seeds", "2", "--tol", "4s", "--out", "")
	if code != 0 {
		t.Fatalf("exit %d, %s\n%s", code, errText, out)
	}
	m := regexp.MustCompile(`95% CI \[(\S+), (\S+)\]`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no interval in\n%s", out)
	}
	lo, err1 := time.ParseDuration(m[1])
	hi, err2 := time.ParseDuration(m[2])
	if err1 != nil || err2 != nil || hi-lo < 2*time.Second {
		t.Errorf("interval [%s, %s]: want at least the bracket's width (10ms to 2.5s)\n%s", m[1], m[2], out)
	}
}
