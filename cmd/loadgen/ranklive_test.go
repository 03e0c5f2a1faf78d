package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/aftershock/aftershock/results"
)

// tinyLive is a DWFM collapse that runs in seconds of real time: 100
// droplets on one host of 4 workers, a 2 s outage, an 8 s horizon (as
// package examples' tiny, shorter). Under none it stays collapsed to the
// horizon; under queue-size every droplet holds a lease within seconds.
const tinyLive = `name = "tiny"
horizon = "8s"
interval = "1s"
[dwfm]
droplets = 100
droplets_per_host = 100
check_interval = "250ms"
lease_ttl_min = "200ms"
lease_ttl_max = "1s"
establish_timeout = "300ms"
[service]
workers = 4
service_time = "lognormal(20ms,0.25)"
growth_per_queued = "4ms"
max_service_time = "500ms"
[[trigger]]
kind = "dependency-outage"
at = "1s"
duration = "2s"
`

func tinyLiveFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tiny.toml")
	if err := os.WriteFile(p, []byte(tinyLive), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRankLiveWritesAFileCompareRanks: 2 policies × 2 seeds of tiny, live
// on loopback in real time, one run at a time: four rows in run order,
// each marked complete exactly when its progress line said it kept up;
// loadgen compare reads the file back and ranks queue-size (which
// recovered) above none (which did not); no .partial is left.
func TestRankLiveWritesAFileCompareRanks(t *testing.T) {
	if testing.Short() {
		t.Skip("about 25 s of wall time")
	}
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	out := filepath.Join(t.TempDir(), "rank", "live.csv")
	code, stdout, stderr := runCLI(t, context.Background(), "rank-live", "--scenario", tinyLiveFile(t), "--time-scale", "1",
		"--policies", "none;queue-size", "--seeds", "2", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for k, want := range []string{"none seed 1", "none seed 2", "queue-size seed 1", "queue-size seed 2"} {
		if !strings.Contains(stderr, fmt.Sprintf("[%d/4] %s …", k+1, want)) {
			t.Errorf("stderr lacks run %d/4 (%s):\n%s", k+1, want, stderr)
		}
	}
	if _, err := os.Stat(out + results.PartialSuffix); !os.IsNotExist(err) {
		t.Errorf("%s.partial left behind after every run ended", out)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := results.ReadSummaries(out, f)
	f.Close()
	if err != nil || len(rows) != 4 {
		t.Fatalf("%s: %d rows, %v; want 4", out, len(rows), err)
	}
	for i, s := range rows {
		pol, seed := []string{"none", "none", "queue-size", "queue-size"}[i], uint64(i%2+1)
		if s.Policy != pol || s.Seed != seed || s.Vary != "time_scale=1" || s.Scenario != "tiny" {
			t.Errorf("row %d: %s %s seed %d vary %q; want tiny %s seed %d time_scale=1", i, s.Scenario, s.Policy, s.Seed, s.Vary, pol, seed)
		}
		line := lineOf(stderr, fmt.Sprintf("    %s seed %d: ", pol, seed))
		said := strings.HasPrefix(strings.TrimSpace(line), fmt.Sprintf("%s seed %d: recovered", pol, seed))
		if said != s.Recovered || strings.Contains(line, "· kept up ·") != s.Complete {
			t.Errorf("row %d (%s seed %d): recovered %v, complete %v; its progress line: %q", i, pol, seed, s.Recovered, s.Complete, line)
		}
	}
	if rows[0].Recovered || rows[1].Recovered || !rows[2].Recovered || !rows[3].Recovered {
		t.Errorf("recovered: none %v %v, queue-size %v %v; want none never, queue-size always", rows[0].Recovered, rows[1].Recovered, rows[2].Recovered, rows[3].Recovered)
	}
	code, table, cerr := runCLI(t, context.Background(), "compare", "--allow-incomplete", "--format", "csv", out)
	if code != 0 {
		t.Fatalf("compare: exit %d: %s", code, cerr)
	}
	if qs, no := lineOf(table, "tiny,queue-size,"), lineOf(table, "tiny,none,"); !strings.Contains(qs, ",2,2,") || !strings.Contains(no, ",2,0,") ||
		strings.Index(table, "tiny,queue-size,") > strings.Index(table, "tiny,none,") {
		t.Errorf("compare's ranking: want queue-size 2 of 2 recovered, then none 0 of 2:\n%s", table)
	}
	if !strings.Contains(stdout, "queue-size") {
		t.Errorf("rank-live printed no table:\n%s", stdout)
	}
}

// lineOf is the first line of s containing sub, "" if none.
func lineOf(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRankLiveInterruptedLeavesOnlyPartial: cancelled during its second
// run, rank-live exits 130, starts no third run, writes no FILE, and keeps
// the first run's row (and only it) in FILE.partial.
func TestRankLiveInterruptedLeavesOnlyPartial(t *testing.T) {
	if testing.Short() {
		t.Skip("about 10 s of wall time")
	}
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	out := filepath.Join(t.TempDir(), "live.csv")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done, o, e := rankLiveInBackground(ctx, tinyLiveFile(t), "queue-size;none", "2", out)
	deadline := time.After(60 * time.Second)
	for !strings.Contains(e.String(), "[2/4]") {
		select {
		case code := <-done:
			t.Fatalf("exit %d before its second run: %s", code, e.String())
		case <-deadline:
			t.Fatalf("no second run within 60 s: %s", e.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	time.Sleep(500 * time.Millisecond)
	cancel()
	if code := <-done; code != 130 {
		t.Fatalf("exit %d, want 130: %s", code, e.String())
	}
	if strings.Contains(e.String(), "[3/4]") || o.String() != "" {
		t.Errorf("a run started after the interrupt, or a table printed:\nstderr %s\nstdout %s", e.String(), o.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s exists after an interrupt (%v): it must stay .partial", out, err)
	}
	b, err := os.ReadFile(out + results.PartialSuffix)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := results.ReadSummaries(out, bytes.NewReader(b))
	if err != nil || len(rows) != 1 || rows[0].Policy != "queue-size" || rows[0].Seed != 1 {
		t.Errorf("%s.partial: %d rows (%v), want queue-size seed 1 alone:\n%s", out, len(rows), err, b)
	}
}

// TestRankLiveInterruptedInItsFirstRun: cancelled before any run ended,
// rank-live leaves FILE.partial holding the header, a file compare's
// reader takes (no rows), not an empty one.
func TestRankLiveInterruptedInItsFirstRun(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	out := filepath.Join(t.TempDir(), "live.csv")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done, _, e := rankLiveInBackground(ctx, tinyLiveFile(t), "none", "1", out)
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(e.String(), "[1/1]"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no first run within 30 s: %s", e.String())
		}
	}
	time.Sleep(300 * time.Millisecond)
	cancel()
	if code := <-done; code != 130 {
		t.Fatalf("exit %d, want 130: %s", code, e.String())
	}
	b, err := os.ReadFile(out + results.PartialSuffix)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(results.SweepHeader, ",") + "\n"; string(b) != want {
		t.Errorf("%s.partial holds %q; want the header alone", out, b)
	}
}

// TestRankLiveBaselineLeftOut: when every run of the --baseline policy is
// left out of the table (its attacker did not keep up), rank-live still
// prints the ranking of the runs that kept up, without the comparison, and
// says why; it used to exit 2 after every run, printing no table and
// "baseline policy "none" ran in none of the files" as if the flag were
// bad.
func TestRankLiveBaselineLeftOut(t *testing.T) {
	row := func(policy string, seed uint64, recovered, complete bool) results.Summary {
		s := results.Summary{Scenario: "tiny", Policy: policy, Vary: "time_scale=1", Seed: seed, Droplets: 100, Recovered: recovered, Complete: complete}
		if recovered {
			s.RecoveryS = 2 + float64(seed)
		}
		return s
	}
	rows := []results.Summary{row("none", 1, false, false), row("none", 2, false, false),
		row("queue-size", 1, true, true), row("queue-size", 2, true, true), row("failsafe-bulkhead", 1, true, true), row("failsafe-bulkhead", 2, true, true)}
	var o, e bytes.Buffer
	err := app{stdout: &o, stderr: &e}.printRankLive(rankLiveOpts{baseline: "none", out: "live.csv"}, rows)
	if err != nil {
		t.Fatalf("printRankLive: %v\n%s", err, o.String())
	}
	out := o.String()
	if lineOf(out, "queue-size") == "" || lineOf(out, "failsafe-bulkhead") == "" || !strings.Contains(out, "none seed 1, none seed 2") ||
		!strings.Contains(out, "no comparison with the baseline none") {
		t.Errorf("the ranking of the runs that kept up, with notes, wanted:\n%s", out)
	}
	o.Reset()
	if err := (app{stdout: &o, stderr: &e}).printRankLive(rankLiveOpts{baseline: "queue-size", out: "live.csv"}, rows); err != nil ||
		!strings.Contains(o.String(), "vs queue-size") || strings.Contains(o.String(), "no comparison") {
		t.Errorf("baseline kept up: want its comparison, no note; %v\n%s", err, o.String())
	}
}

// rankLiveInBackground runs rank-live on scenario at time scale 1 with
// policies and seeds, writing out, until ctx ends; its exit code comes on
// done, its stdout and stderr fill o and e as it goes.
func rankLiveInBackground(ctx context.Context, scenario, policies, seeds, out string) (done chan int, o, e *syncBuffer) {
	o, e, done = &syncBuffer{}, &syncBuffer{}, make(chan int, 1)
	go func() {
		done <- app{stdout: o, stderr: e}.run(ctx, []string{"rank-live", "--scenario", scenario, "--time-scale", "1",
			"--policies", policies, "--seeds", seeds, "--out", out})
	}()
	return done, o, e
}
