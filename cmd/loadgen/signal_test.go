package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBinaryStopsOnSignal builds loadgen and stops a million-seed sweep with
// SIGINT and with SIGTERM once runs have reached the disk: it exits 130 at
// once, the previous sweep.csv is as it was, and sweep.csv.partial holds only
// finished runs, each complete. (The in-process tests cover the same paths
// through the context main cancels; this one proves the wiring.)
func TestBinaryStopsOnSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "loadgen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			previous := "previous complete results\n"
			os.WriteFile(filepath.Join(dir, "sweep.csv"), []byte(previous), 0o644)
			cmd := exec.Command(bin, "sweep", "--seeds", "1e6", "--droplets", "2000", "--parallel", "1", "--out", dir)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			partial := filepath.Join(dir, "sweep.csv.partial")
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				b, _ := os.ReadFile(partial)
				if strings.Count(string(b), "\n") >= 3 {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatal("no run reached sweep.csv.partial in 30 s")
				}
			}
			cmd.Process.Signal(sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 30 s after %v", sig)
			}
			if code := cmd.ProcessState.ExitCode(); code != 130 {
				t.Fatalf("exit %d after %v, want 130; stderr %q", code, sig, stderr.String())
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "sweep.csv")); string(b) != previous {
				t.Errorf("previous sweep.csv changed: %q", b)
			}
			rows := readRows(t, partial)
			if len(rows) < 2 || len(rows) >= 3_000_000 {
				t.Fatalf("%d rows in sweep.csv.partial", len(rows))
			}
			for i, r := range rows {
				if r["complete"] != "true" || r["policy"] != "none" || r["seed"] != strconv.Itoa(i+1) {
					t.Fatalf("row %d: %v; want finished runs only, in order", i, r)
				}
			}
		})
	}
}
