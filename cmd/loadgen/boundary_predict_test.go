package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// boundary --predict starts each seed's bisection from the predicted edge:
// fewer runs than plain bisection, and a boundary within both searches'
// tolerance of plain bisection's.
func TestBoundaryFromPrediction(t *testing.T) {
	runs := map[bool]int{}
	edge := map[bool]string{}
	for _, pred := range []bool{false, true} {
		dir := t.TempDir()
		args := []string{"boundary", "--droplets", "10000", "--param", "trigger.1.duration", "--lo", "10m", "--hi", "2h37m", "--tol", "1m", "--seeds", "2", "--out", dir}
		if pred {
			args = append(args, "--predict")
		}
		code, stdout, stderr := runCLI(t, context.Background(), args...)
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, stderr)
		}
		if pred && !strings.Contains(stderr, "predicted edge in [") {
			t.Errorf("--predict: stderr %q does not say where it starts", stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, "boundary.csv"))
		if err != nil {
			t.Fatal(err)
		}
		runs[pred] = strings.Count(string(b), "\n") - 1
		for _, l := range strings.Split(stdout, "\n") {
			if strings.HasPrefix(l, "boundary ") {
				edge[pred] = strings.Fields(l)[1]
			}
		}
	}
	if runs[true] >= runs[false] {
		t.Errorf("runs: %d from the prediction, %d plain; want fewer", runs[true], runs[false])
	}
	a, _ := time.ParseDuration(edge[false])
	b, _ := time.ParseDuration(edge[true])
	if a == 0 || b == 0 || (a-b).Abs() > 2*time.Minute {
		t.Errorf("boundary %s plain, %s from the prediction; want both, within two tolerances", edge[false], edge[true])
	}
}
