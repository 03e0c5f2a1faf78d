package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/results"
)

// spikyScenario is the metastable preset at 40% of its size: four workers
// at 70% load whose clients retry at once; a 2× spike at 10 s; 20 s of
// virtual time (runs of a few milliseconds). A spike of 0.1–0.5 s (by seed)
// leaves it collapsed.
const spikyScenario = `name = "spiky"
horizon = "20s"
interval = "1s"

[clients]
rate = 280
timeout = "100ms"
max_attempts = 3

[service]
workers = 4
service_time = "exp(10ms)"

[[trigger]]
kind = "load-spike"
at = "10s"
duration = "1s"
factor = 2
`

// TestShardsMergeIntoTheSingleSweep: a sweep of 8 runs (2 policies × 2
// seeds × 2 values of a key) split into n = 1, 3 and 7 shards, run as n
// loadgen processes started at once, each with only the count on its
// command line and its index in JOB_COMPLETION_INDEX (n = 1, 3) or
// SLURM_ARRAY_TASK_ID (n = 7), merges (loadgen merge, shards given in
// reverse) into exactly the file the single sweep writes, and the shards'
// files concatenated in name order with one header are the same bytes.
func TestShardsMergeIntoTheSingleSweep(t *testing.T) {
	dir := t.TempDir()
	scn := filepath.Join(dir, "tiny.toml") // spiky at a tenth of the load: runs of a few thousand events
	tiny := strings.NewReplacer("rate = 280", "rate = 28", "workers = 4", "workers = 1").Replace(spikyScenario)
	if err := os.WriteFile(scn, []byte(tiny), 0o644); err != nil {
		t.Fatal(err)
	}
	sweep := []string{"sweep", "--scenario", scn, "--policies", "none,queue-size", "--seeds", "2",
		"--vary", "trigger.1.duration=100ms,1s", "--parallel", "2", "--wall=false"}
	one := filepath.Join(dir, "one")
	if code, _, e := runCLI(t, context.Background(), append(sweep, "--out", one)...); code != 0 {
		t.Fatal(e)
	}
	single, err := os.ReadFile(filepath.Join(one, "sweep.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if rows := bytes.Count(single, []byte("\n")) - 1; rows != 8 {
		t.Fatalf("single sweep: %d rows, want 8", rows)
	}
	for _, n := range []int{1, 3, 7} {
		out := filepath.Join(dir, fmt.Sprint("shards", n))
		env := "JOB_COMPLETION_INDEX"
		if n == 7 {
			env = "SLURM_ARRAY_TASK_ID"
		}
		var (
			files  []string
			procs  []*exec.Cmd
			stderr []*strings.Builder
		)
		for i := 0; i < n; i++ {
			cmd := loadgenProcess(append(sweep, "--shard", strconv.Itoa(n), "--out", out), env+"="+strconv.Itoa(i))
			stderr = append(stderr, new(strings.Builder))
			cmd.Stderr = stderr[i]
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			procs = append(procs, cmd)
			files = append(files, filepath.Join(out, fmt.Sprintf("sweep.shard-%d-of-%d.csv", i, n)))
		}
		for i, cmd := range procs {
			if err := cmd.Wait(); err != nil {
				t.Fatalf("shard %d of %d: %v, %s", i, n, err, stderr[i])
			}
			if e := stderr[i].String(); !strings.HasSuffix(strings.TrimSpace(e), files[i]) {
				t.Errorf("shard %d of %d: stderr %q, want it to name %s", i, n, e, files[i])
			}
		}
		rev := make([]string, n)
		for i, f := range files {
			rev[n-1-i] = f
		}
		merged := filepath.Join(out, "sweep.csv")
		if code, _, e := runCLI(t, context.Background(), append(append([]string{"merge"}, rev...), "--out", merged)...); code != 0 {
			t.Fatalf("merge of %d shards: %s", n, e)
		}
		got, err := os.ReadFile(merged)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, single) {
			t.Errorf("%d shards merged differ from the single sweep:\n%s\nwant\n%s", n, got, single)
		}
		glob, _ := filepath.Glob(filepath.Join(out, "sweep.shard-*.csv"))
		sort.Strings(glob)
		var cat bytes.Buffer
		for i, f := range glob {
			b, _ := os.ReadFile(f)
			if i > 0 {
				_, b, _ = bytes.Cut(b, []byte("\n"))
			}
			cat.Write(b)
		}
		if len(glob) != n || cat.String() != string(got) {
			t.Errorf("%d shards: %d files; concatenated they differ from the merged file", n, len(glob))
		}
	}
}

// loadgenProcess is loadgen with args as a process of its own: this test
// binary, running only TestLoadgenProcess, with the environment less any
// shard index, plus env.
func loadgenProcess(args []string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestLoadgenProcess$", "--"}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "JOB_COMPLETION_INDEX=") && !strings.HasPrefix(kv, "SLURM_ARRAY_TASK_ID=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(append(cmd.Env, "LOADGEN_TEST_PROCESS=1"), env...)
	return cmd
}

// TestLoadgenProcess is not a test of its own: started by loadgenProcess, it
// runs loadgen with the arguments after "--" and exits with its status.
func TestLoadgenProcess(t *testing.T) {
	if os.Getenv("LOADGEN_TEST_PROCESS") != "1" {
		t.Skip("runs loadgen in a process started by loadgenProcess")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(app{stdout: os.Stdout, stderr: os.Stderr}.run(context.Background(), args))
}

// TestMergeToStdoutInTheOrderGiven: files not named as shards merge in the
// order given, to stdout without --out.
func TestMergeToStdoutInTheOrderGiven(t *testing.T) {
	dir := t.TempDir()
	head := strings.Join(results.SweepHeader, ",") + "\n"
	a := filepath.Join(dir, "a.csv")
	b := filepath.Join(dir, "b.csv")
	scn := filepath.Join(dir, "spiky.toml")
	if err := os.WriteFile(scn, []byte(spikyScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	one := filepath.Join(dir, "one")
	if code, _, e := runCLI(t, context.Background(), "sweep", "--scenario", scn, "--policies", "none,queue-size", "--out", one); code != 0 {
		t.Fatal(e)
	}
	full, _ := os.ReadFile(filepath.Join(one, "sweep.csv"))
	lines := strings.SplitAfter(string(full), "\n")
	if lines[0] != head {
		t.Fatalf("header %q, want %q", lines[0], head)
	}
	os.WriteFile(a, []byte(head+lines[2]), 0o644)
	os.WriteFile(b, []byte(head+lines[1]), 0o644)
	code, out, e := runCLI(t, context.Background(), "merge", a, b)
	if code != 0 || e != "" || out != head+lines[2]+lines[1] {
		t.Errorf("exit %d, stderr %q, stdout %q; want a's row then b's", code, e, out)
	}
}

// TestBoundaryCommandFindsWhatASweepConfirms: loadgen boundary on the
// generic model brackets each seed's boundary within --tol; loadgen sweep at
// the least length any seed recovered from and the greatest any did not
// confirms it for at least 3 of the 4 seeds each; boundary.csv holds every
// run.
func TestBoundaryCommandFindsWhatASweepConfirms(t *testing.T) {
	dir := t.TempDir()
	scn := filepath.Join(dir, "spiky.toml")
	if err := os.WriteFile(scn, []byte(spikyScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, e := runCLI(t, context.Background(), "boundary", "--scenario", scn, "--param", "trigger.1.duration",
		"--lo", "10ms", "--hi", "5s", "--tol", "40ms", "--seeds", "4", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	row := regexp.MustCompile(`(?m)^(\d+)\s+(\S+)\s+(\S+)\s+(\d+)\s*$`)
	rows := row.FindAllStringSubmatch(out, -1)
	if len(rows) != 4 || !strings.Contains(out, "recovers below it, stays collapsed above it") ||
		!regexp.MustCompile(`boundary \d+ms  95% CI \[\d+ms, \d+ms\] over 4 seeds`).MatchString(out) {
		t.Fatalf("output:\n%s", out)
	}
	below, above, runs := time.Hour, time.Duration(0), 0
	for _, r := range rows {
		rec, err1 := time.ParseDuration(r[2])
		col, err2 := time.ParseDuration(r[3])
		if err1 != nil || err2 != nil || col <= rec || col-rec > 40*time.Millisecond {
			t.Fatalf("seed %s: recovers at %s, not at %s; want a bracket of at most 40ms", r[1], r[2], r[3])
		}
		below, above = min(below, rec), max(above, col)
		n, _ := strconv.Atoi(r[4])
		runs += n
	}
	f, err := os.Open(filepath.Join(dir, "boundary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	ss, err := results.ReadSummaries("boundary.csv", f)
	f.Close()
	if err != nil || len(ss) != runs || ss[0].Vary != "trigger.1.duration=10ms" {
		t.Fatalf("boundary.csv: %d rows (want %d), first %+v, %v", len(ss), runs, ss[0], err)
	}
	sw := filepath.Join(dir, "sweep")
	code, _, e = runCLI(t, context.Background(), "sweep", "--scenario", scn, "--policies", "none", "--seeds", "4",
		"--vary", fmt.Sprintf("trigger.1.duration=%s,%s", below, above), "--out", sw)
	if code != 0 {
		t.Fatal(e)
	}
	f, _ = os.Open(filepath.Join(sw, "sweep.csv"))
	ss, err = results.ReadSummaries("sweep.csv", f)
	f.Close()
	if err != nil || len(ss) != 8 {
		t.Fatalf("sweep.csv: %d rows, %v", len(ss), err)
	}
	var recovered [2]int
	for i, s := range ss {
		if s.Recovered {
			recovered[i/4]++
		}
	}
	if recovered[0] < 3 || recovered[1] > 1 {
		t.Errorf("sweep: %d of 4 seeds recover from a %v spike (want at least 3), %d from %v (want at most 1)", recovered[0], below, recovered[1], above)
	}
}

// TestMergeAndBoundaryHelp: help on stdout, with examples.
func TestMergeAndBoundaryHelp(t *testing.T) {
	for _, cmd := range []string{"merge", "boundary"} {
		code, out, e := runCLI(t, context.Background(), "help", cmd)
		if code != 0 || e != "" || !strings.HasPrefix(out, "Usage: loadgen "+cmd) || examples(out) < 2 || examples(out) > 4 {
			t.Errorf("help %s: exit %d, stderr %q, %d examples", cmd, code, e, examples(out))
		}
	}
}

// TestBoundaryInterrupted: an interrupted search exits 130 and leaves no
// boundary.csv (its runs are in boundary.csv.partial).
func TestBoundaryInterrupted(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, out, e := runCLI(t, ctx, "boundary", "--scenario", "metastable", "--param", "trigger.1.duration",
		"--lo", "10ms", "--hi", "5s", "--out", dir)
	if code != 130 || out != "" || !strings.Contains(e, "interrupted") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 130, nothing, interrupted", code, out, e)
	}
	if _, err := os.Stat(filepath.Join(dir, "boundary.csv")); err == nil {
		t.Error("boundary.csv written by an interrupted search")
	}
}
