package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench/policy"
)

func runCLI(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = app{stdout: &o, stderr: &e}.run(ctx, args)
	return code, o.String(), e.String()
}

func TestSimWritesCompleteFiles(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLI(t, context.Background(), "sim", "--policy", "queue-size", "--droplets", "2000", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "recovered      yes") {
		t.Errorf("summary does not say it recovered:\n%s", stdout)
	}
	for _, n := range []string{"timeseries.csv", "summary.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if lines := strings.Count(string(b), "\n"); lines < 2 {
			t.Errorf("%s has %d lines", n, lines)
		}
		if _, err := os.Stat(filepath.Join(dir, n+".partial")); !os.IsNotExist(err) {
			t.Errorf("%s.partial left behind", n)
		}
	}
}

// TestInterruptedRunKeepsPreviousFiles: a run stopped by a signal before it
// starts keeps what it measured under .partial names, leaves the earlier
// complete files as they were, and exits 130.
func TestInterruptedRunKeepsPreviousFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "summary.csv"), []byte("previous\n"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, _ := runCLI(t, ctx, "sim", "--droplets", "2000", "--out", dir)
	if code != 130 {
		t.Fatalf("exit %d, want 130", code)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "summary.csv")); string(b) != "previous\n" {
		t.Errorf("summary.csv changed by an interrupted run: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "timeseries.csv")); !os.IsNotExist(err) {
		t.Errorf("timeseries.csv exists after an interrupted run")
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.csv.partial"))
	if err != nil || !strings.Contains(string(b), ",false,") {
		t.Fatalf("summary.csv.partial %q (%v): want a row with complete=false", b, err)
	}
	ts, _ := os.ReadFile(filepath.Join(dir, "timeseries.csv.partial"))
	if strings.Count(string(ts), "\n") < 2 {
		t.Fatalf("timeseries.csv.partial has no measured row: %q", ts)
	}
}

func TestScenariosAndPoliciesList(t *testing.T) {
	code, out, _ := runCLI(t, context.Background(), "scenarios")
	if code != 0 || !strings.Contains(out, "us-east-1") || !strings.Contains(out, "metastable") {
		t.Fatalf("scenarios: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, context.Background(), "scenarios", "show", "us-east-1")
	if code != 0 || !strings.Contains(out, "ASSUMED") || !strings.Contains(out, "[dwfm]") {
		t.Fatalf("scenarios show: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, context.Background(), "policies")
	for _, n := range []string{"none", "operator", "token-bucket", "queue-size"} {
		if code != 0 || !strings.Contains(out, "\n"+n+" (") {
			t.Fatalf("policies: exit %d, %q missing\n%s", code, n, out)
		}
	}
	// Every simplification a policy makes against its source is listed
	// under it.
	for _, n := range policy.Names() {
		d, _ := policy.Lookup(n)
		i := strings.Index(out, "\n"+n+" (")
		if i < 0 {
			t.Fatalf("policies: %s missing", n)
		}
		block, _, _ := strings.Cut(out[i+1:], "\n\n")
		for _, note := range d.Notes {
			if !strings.Contains(block+"\n", "  simplified: "+note+"\n") {
				t.Errorf("policies: %s lacks its note %q:\n%s", n, note, block)
			}
		}
	}
	for _, want := range []string{"\ncodel (queue)", "simplified: failed attempts give no latency sample", "\nfb-codel (queue)"} {
		if !strings.Contains(out, want) {
			t.Errorf("policies: %q missing", want)
		}
	}
}

// TestShownPresetRoundTrips: what `scenarios show` prints is a file that
// `sim --scenario FILE` accepts.
func TestShownPresetRoundTrips(t *testing.T) {
	_, text, _ := runCLI(t, context.Background(), "scenarios", "show", "metastable")
	p := filepath.Join(t.TempDir(), "mine.toml")
	os.WriteFile(p, []byte(text), 0o644)
	code, out, stderr := runCLI(t, context.Background(), "sim", "--scenario", p, "--out", "")
	if code != 0 || !strings.Contains(out, "scenario metastable") {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
}

func TestSweepComparesPolicies(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := runCLI(t, context.Background(), "sweep", "--policies", "none,queue-size:limit=8,burst=8;aimd", "--droplets", "2000", "--out", dir, "--markdown")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, p := range []string{"`none` | 0/1 | — |", "`queue-size:limit=8,burst=8` | 1/1 |", "`aimd` | 1/1 |"} {
		if !strings.Contains(out, p) {
			t.Errorf("table lacks %q:\n%s", p, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "sweep.csv"))
	if err != nil || strings.Count(string(b), "\n") != 4 {
		t.Fatalf("sweep.csv: %v\n%s", err, b)
	}
}

// TestSweepVaries: --vary runs the cross product of its values under every
// policy and seed; sweep.csv's vary column tells the rows apart, so compare
// matches each run with itself; the table has one row per policy and
// values, with an interval over the seeds.
func TestSweepVaries(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := runCLI(t, context.Background(), "sweep", "--policies", "none;queue-size", "--droplets", "2000", "--seeds", "2",
		"--vary", "dwfm.check_interval=90s,270s", "--vary", "service.service_time=lognormal(10s,0.25),lognormal(20s,0.25)", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	ss, err := readResults(filepath.Join(dir, "sweep.csv"))
	if err != nil || len(ss) != 2*2*2*2 {
		t.Fatalf("sweep.csv: %v, %d rows, want 16", err, len(ss))
	}
	if ss[0].Vary != "dwfm.check_interval=90s;service.service_time=lognormal(10s,0.25)" || ss[0].Policy != "none" || ss[0].Seed != 1 ||
		ss[15].Vary != "dwfm.check_interval=270s;service.service_time=lognormal(20s,0.25)" || ss[15].Policy != "queue-size" || ss[15].Seed != 2 {
		t.Fatalf("rows not in the order vary, policy, seed: first %+v, last %+v", ss[0], ss[15])
	}
	// The varied values reach the model: a slower service has a longer ideal.
	if !(ss[2].IdealS < ss[6].IdealS) {
		t.Errorf("ideal %.0f s with 10 s service, %.0f s with 20 s: want the slower service's longer", ss[2].IdealS, ss[6].IdealS)
	}
	table, notes, _ := strings.Cut(out, "\n\n") // the ranking's notes under it: 2/2 and 0/2 are a tie at each point
	if lines := strings.Split(strings.TrimSpace(table), "\n"); len(lines) != 1+8 || !strings.Contains(lines[0], "vary") ||
		!strings.Contains(out, "queue-size  dwfm.check_interval=270s;service.service_time=lognormal(20s,0.25)  2/2") ||
		strings.Count(notes, "share 2 seeds") != 4 {
		t.Errorf("table:\n%s", out)
	}
	if code, _, e := runCLI(t, context.Background(), "compare", filepath.Join(dir, "sweep.csv"), filepath.Join(dir, "sweep.csv")); code != 0 {
		t.Errorf("compare with itself: exit %d, %s", code, e)
	}
}

func TestSplitSpecs(t *testing.T) {
	got := splitSpecs("none,queue-size:rate=2x,limit=8,aimd;operator:at=04:14")
	want := []string{"none", "queue-size:rate=2x,limit=8", "aimd", "operator:at=04:14"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("splitSpecs = %q, want %q", got, want)
	}
	// A clock time in a parameter's value is that parameter's, not a spec
	// ("until=07:30" used to start a spec and fail as a bad one); a stage's
	// spec after a comma is a spec.
	got = splitSpecs("dwfm=operator nlb=failover-off:at=07:00,until=07:30;none,nlb=velocity:cap=2%,window=5m")
	want = []string{"dwfm=operator nlb=failover-off:at=07:00,until=07:30", "none", "nlb=velocity:cap=2%,window=5m"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("splitSpecs = %q, want %q", got, want)
	}
}

func TestCompareTwoRuns(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if code, _, e := runCLI(t, context.Background(), "sweep", "--policies", "queue-size,aimd", "--droplets", "2000", "--out", a); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := runCLI(t, context.Background(), "sweep", "--policies", "queue-size,vegas", "--droplets", "2000", "--out", b); code != 0 {
		t.Fatal(e)
	}
	code, out, stderr := runCLI(t, context.Background(), "compare", filepath.Join(a, "sweep.csv"), filepath.Join(b, "sweep.csv"))
	if code != 1 || !strings.Contains(stderr, "1 of 2 runs") || !strings.Contains(stderr, "policy aimd") {
		t.Fatalf("aimd is absent from the new file: exit %d, %s; want 1 naming aimd", code, stderr)
	}
	if code, _, stderr := runCLI(t, context.Background(), "compare", filepath.Join(a, "sweep.csv"), filepath.Join(a, "sweep.csv")); code != 0 {
		t.Fatalf("a file against itself: exit %d, %s", code, stderr)
	}
	for _, want := range []string{"queue-size", "0.0%", "aimd", "vegas", "absent"} {
		if !strings.Contains(out, want) {
			t.Errorf("comparison lacks %q:\n%s", want, out)
		}
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("t_s,clock\n"), 0o644)
	for _, args := range [][]string{{"compare", bad, bad}, {"compare", filepath.Join(dir, "none.csv"), bad}, {"compare", bad}} {
		if code, _, stderr := runCLI(t, context.Background(), args...); code != 2 || !strings.Contains(stderr, "loadgen: ") {
			t.Errorf("%v: exit %d, %q; want 2", args, code, stderr)
		}
	}
}

// TestSimSaysWhichControlNeverActed: a policy part that never refused or
// dropped anything is reported as such, with its count.
func TestSimSaysWhichControlNeverActed(t *testing.T) {
	code, out, stderr := runCLI(t, context.Background(), "sim", "--policy", "retry-budget+queue-size", "--droplets", "2000", "--out", "")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"acted          retry-budget: 0 retry refusals — it never acted\n", "acted          queue-size: "} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "queue-size: 0 ") {
		t.Errorf("queue-size never acted?\n%s", out)
	}
	if _, out, _ = runCLI(t, context.Background(), "sim", "--droplets", "2000", "--out", ""); strings.Contains(out, "acted") {
		t.Errorf("none has no control, yet the summary says:\n%s", out)
	}
}
