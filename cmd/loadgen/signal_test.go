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
	bin := loadgenBinary(t)
	cases := []struct {
		name string
		send func(t *testing.T, pid int)
	}{
		{"SIGINT", func(t *testing.T, pid int) { syscall.Kill(pid, syscall.SIGINT) }},
		{"SIGTERM", func(t *testing.T, pid int) { syscall.Kill(pid, syscall.SIGTERM) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			previous := "previous complete results\n"
			os.WriteFile(filepath.Join(dir, "sweep.csv"), []byte(previous), 0o644)
			cmd := exec.Command(bin, "sweep", "--seeds", "1e5", "--droplets", "2000", "--parallel", "1", "--out", dir, "--max-total-events", "inf")
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its own group, as under timeout(1)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
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
			c.send(t, cmd.Process.Pid)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 30 s after %s", c.name)
			}
			if code := cmd.ProcessState.ExitCode(); code != 130 {
				t.Fatalf("exit %d after %s, want 130; stderr %q", code, c.name, stderr.String())
			}
			if strings.Contains(stderr.String(), "loadgen: quit") {
				t.Errorf("quit at once: %q", stderr.String())
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "sweep.csv")); string(b) != previous {
				t.Errorf("previous sweep.csv changed: %q", b)
			}
			rows := readRows(t, partial)
			if len(rows) < 2 || len(rows) >= 100_000 {
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

// TestBinarySignalTwiceCountsOnce: an attack (which, once stopped, waits
// up to a timeout for its attempts in flight) gets SIGTERM twice within
// 100 ms, as under timeout(1): the child, then its process group. Counted
// once: it exits 130 having written every file as .partial, complete=false.
// The old handler took the second for "Ctrl-C twice" and quit at once,
// leaving an empty summary.
func TestBinarySignalTwiceCountsOnce(t *testing.T) {
	bin := loadgenBinary(t)
	for _, gap := range []time.Duration{0, 10 * time.Millisecond, 50 * time.Millisecond} {
		t.Run(gap.String(), func(t *testing.T) {
			// A loaded machine may stall this test between the two signals
			// past 100 ms: that attack does not test the claim, and another
			// is started (three at most).
			for try := 1; ; try++ {
				if signalledTwice(t, bin, gap) {
					return
				}
				if try == 3 {
					t.Fatal("three times the two signals were more than 100 ms apart")
				}
			}
		})
	}
}

// signalledTwice runs an attack, signals it twice gap apart once its
// surge is in flight, and checks it stopped once; false (nothing checked)
// if the two signals were 100 ms or more apart.
func signalledTwice(t *testing.T, bin string, gap time.Duration) bool {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(bin, "attack", "--droplets", "250", "--time-scale", "150", "--out", dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	time.Sleep(1500 * time.Millisecond) // model 3m45s: the surge, attempts in flight
	if d := signalTwice(t, cmd.Process.Pid, -cmd.Process.Pid, gap); d >= 100*time.Millisecond {
		t.Logf("the two signals took %v, want them within 100 ms: again", d)
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		return false
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("still running 30 s after the signals")
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 || strings.Contains(stderr.String(), "loadgen: quit") {
		t.Fatalf("exit %d, stderr %q; want 130, stopped once", code, stderr.String())
	}
	rows := readRows(t, filepath.Join(dir, "summary.csv.partial"))
	if len(rows) != 1 || rows[0]["complete"] != "false" || rows[0]["scheduled"] == "0" {
		t.Fatalf("summary.csv.partial %v, want the attack's row, complete=false", rows)
	}
	return true
}

// signalTwice sends SIGTERM to the process pid and, gap later, to its group
// (-pid), as timeout(1) does, and returns how long the two took.
func signalTwice(t *testing.T, pid, group int, gap time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(gap)
	if err := syscall.Kill(group, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	return time.Since(start)
}
