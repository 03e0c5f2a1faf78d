package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aftershock/aftershock/results"
)

// onWrite calls f once, at the first write through it that makes the bytes
// written so far reach n.
type onWrite struct {
	w    io.Writer
	n    int
	once *sync.Once
	f    func()
}

func (o *onWrite) Write(p []byte) (int, error) {
	k, err := o.w.Write(p)
	if o.n -= k; o.n <= 0 {
		o.once.Do(o.f)
	}
	return k, err
}

// fullDisk accepts n bytes, then fails every write as a full disk does.
type fullDisk struct {
	w io.Writer
	n int
}

func (f *fullDisk) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, errors.New("no space left on device")
	}
	f.n -= len(p)
	return f.w.Write(p)
}

// previousRun writes good results into dir and returns their snapshot.
func previousRun(t *testing.T, dir string, args ...string) map[string]string {
	t.Helper()
	if code, _, e := runCLI(t, context.Background(), append(args, "--out", dir)...); code != 0 {
		t.Fatalf("previous run: exit %d: %s", code, e)
	}
	return snapshot(t, dir)
}

// intact fails unless every file of before is still there, byte for byte.
func intact(t *testing.T, before map[string]string) {
	t.Helper()
	for p, b := range before {
		if a, err := os.ReadFile(p); err != nil || string(a) != b {
			t.Errorf("previous result %s changed (%v)", filepath.Base(p), err)
		}
	}
}

func readRows(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return rows
}

func float(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

const usEast1HorizonS = 52320 // 14h32m

// TestSimInterruptedMidway: an interrupt (the context main cancels on
// SIGINT) arriving after the first rows reached the disk stops the run: exit
// 130, one line on stderr, the previous complete files byte for byte as they
// were, and the .partial files marked: summary complete=false with sim_s the
// virtual time reached (the last time-series row, short of the horizon).
func TestSimInterruptedMidway(t *testing.T) {
	dir := t.TempDir()
	before := previousRun(t, dir, "sim", "--droplets", "2000", "--policy", "queue-size")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	var o, e bytes.Buffer
	a := app{stdout: &o, stderr: &e, wrap: func(name string, w io.Writer) io.Writer {
		return &onWrite{w: w, n: 1, once: &once, f: cancel} // the first flush of rows
	}}
	code := a.run(ctx, []string{"sim", "--droplets", "2000", "--interval", "1s", "--out", dir})
	if code != 130 {
		t.Fatalf("exit %d, want 130; %s", code, e.String())
	}
	if strings.Count(e.String(), "\n") != 1 || !strings.Contains(e.String(), "interrupted at t=") || !strings.Contains(e.String(), ".partial") {
		t.Errorf("stderr %q, want one line saying where it stopped and where the partial results are", e.String())
	}
	if !strings.Contains(o.String(), "(interrupted)") || strings.Contains(o.String(), "simulated      14h32m0s") {
		t.Errorf("the summary does not say the run was interrupted:\n%s", o.String())
	}
	intact(t, before)
	sum := readRows(t, filepath.Join(dir, "summary.csv.partial"))
	ts := readRows(t, filepath.Join(dir, "timeseries.csv.partial"))
	if len(sum) != 1 || sum[0]["complete"] != "false" {
		t.Fatalf("summary.csv.partial %v, want one row with complete=false", sum)
	}
	simS, last := float(t, sum[0]["sim_s"]), float(t, ts[len(ts)-1]["t_s"])
	if simS != last || simS >= usEast1HorizonS || len(ts) < 2 {
		t.Fatalf("sim_s %v, last time-series row at %v of %d rows; want them equal and short of the horizon %d", simS, last, len(ts), usEast1HorizonS)
	}
}

// TestSimStopsAtOnceOnAFullDisk: the time series' disk fills after 100 kB:
// the run stops then (the summary row, complete=false, says where, far
// short of the horizon), exits 1 with one line naming the error and no
// summary on stdout, and the previous complete files are as they were.
func TestSimStopsAtOnceOnAFullDisk(t *testing.T) {
	dir := t.TempDir()
	before := previousRun(t, dir, "sim", "--droplets", "2000")
	var o, e bytes.Buffer
	a := app{stdout: &o, stderr: &e, wrap: func(name string, w io.Writer) io.Writer {
		if name == "timeseries.csv" {
			return &fullDisk{w: w, n: 100_000}
		}
		return w
	}}
	code := a.run(context.Background(), []string{"sim", "--droplets", "2000", "--interval", "1s", "--out", dir})
	if code != 1 {
		t.Fatalf("exit %d, want 1; %s", code, e.String())
	}
	if strings.Count(e.String(), "\n") != 1 || !strings.Contains(e.String(), "no space left on device") || !strings.Contains(e.String(), "timeseries.csv.partial") {
		t.Errorf("stderr %q, want one line naming the file and the error", e.String())
	}
	if o.Len() != 0 {
		t.Errorf("a failed run printed a summary:\n%s", o.String())
	}
	intact(t, before)
	if st, err := os.Stat(filepath.Join(dir, "timeseries.csv.partial")); err != nil || st.Size() != 100_000 {
		t.Errorf("timeseries.csv.partial: %v, want the 100000 bytes the disk took", err)
	}
	sum := readRows(t, filepath.Join(dir, "summary.csv.partial"))
	if len(sum) != 1 || sum[0]["complete"] != "false" {
		t.Fatalf("summary.csv.partial %v, want one row with complete=false", sum)
	}
	// 100 kB is about 1,300 one-second rows; a run that went on would reach 52,320 s.
	if s := float(t, sum[0]["sim_s"]); s > 3600 {
		t.Errorf("the run went on to t=%vs after the disk filled", s)
	}
}

// TestSweepInterruptedMidway: a sweep interrupted once its first run is on
// disk exits 130, keeps the previous sweep.csv, and its sweep.csv.partial
// holds only runs that finished, each complete=true, in the order given.
func TestSweepInterruptedMidway(t *testing.T) {
	dir := t.TempDir()
	before := previousRun(t, dir, "sweep", "--policies", "none,aimd", "--droplets", "2000")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	var o, e bytes.Buffer
	a := app{stdout: &o, stderr: &e, wrap: func(name string, w io.Writer) io.Writer {
		return &onWrite{w: w, n: 1, once: &once, f: cancel}
	}}
	policies := "none,queue-size,aimd,vegas,bounded,codel"
	code := a.run(ctx, []string{"sweep", "--policies", policies, "--droplets", "2000", "--parallel", "1", "--out", dir})
	if code != 130 {
		t.Fatalf("exit %d, want 130; %s", code, e.String())
	}
	if !strings.Contains(e.String(), "interrupted after 1 of 6 runs") {
		t.Errorf("stderr %q", e.String())
	}
	intact(t, before)
	rows := readRows(t, filepath.Join(dir, "sweep.csv.partial"))
	if len(rows) != 1 || rows[0]["policy"] != "none" || rows[0]["complete"] != "true" {
		t.Fatalf("sweep.csv.partial %v, want only the finished run (none), complete", rows)
	}
	ss, err := results.ReadSummaries("p", strings.NewReader(mustRead(t, filepath.Join(dir, "sweep.csv.partial"))))
	if err != nil || len(ss) != 1 {
		t.Fatalf("sweep.csv.partial does not read back: %v", err)
	}
}

// TestSweepStopsAtOnceOnAFullDisk: sweep.csv's disk fills after its header
// and a row or two: exit 1, one line, no table on stdout, the previous
// sweep.csv intact, sweep.csv.partial holding what the disk took.
func TestSweepStopsAtOnceOnAFullDisk(t *testing.T) {
	dir := t.TempDir()
	before := previousRun(t, dir, "sweep", "--policies", "none,aimd", "--droplets", "2000")
	var o, e bytes.Buffer
	a := app{stdout: &o, stderr: &e, wrap: func(name string, w io.Writer) io.Writer {
		return &fullDisk{w: w, n: 700}
	}}
	code := a.run(context.Background(), []string{"sweep", "--policies", "none,queue-size,aimd,vegas,bounded,codel", "--droplets", "2000", "--parallel", "1", "--out", dir})
	if code != 1 || strings.Count(e.String(), "\n") != 1 || !strings.Contains(e.String(), "no space left on device") {
		t.Fatalf("exit %d, stderr %q; want 1 and one line naming the error", code, e.String())
	}
	if o.Len() != 0 {
		t.Errorf("a failed sweep printed its table:\n%s", o.String())
	}
	intact(t, before)
	if st, err := os.Stat(filepath.Join(dir, "sweep.csv.partial")); err != nil || st.Size() != 700 {
		t.Errorf("sweep.csv.partial: %v, want the 700 bytes the disk took", err)
	}
}

func mustRead(t *testing.T, p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBoundaryInterruptedKeepsRuns: a boundary search interrupted once its
// first run is on disk exits 130, leaves the previous boundary.csv as it
// was, and keeps every run it finished, each complete, in
// boundary.csv.partial (it used to keep a file of 0 bytes).
func TestBoundaryInterruptedKeepsRuns(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "boundary.csv"), []byte("an earlier complete search\n"), 0o644)
	before := snapshot(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	var o, e bytes.Buffer
	a := app{stdout: &o, stderr: &e, wrap: func(name string, w io.Writer) io.Writer {
		return &onWrite{w: w, n: 1, once: &once, f: cancel}
	}}
	code := a.run(ctx, []string{"boundary", "--scenario", "metastable", "--param", "clients.rate", "--lo", "300", "--hi", "1500",
		"--tol", "10", "--seeds", "3", "--parallel", "1", "--out", dir})
	if code != 130 {
		t.Fatalf("exit %d, want 130; %s", code, e.String())
	}
	if strings.Count(e.String(), "\n") != 1 || !strings.Contains(e.String(), "boundary.csv.partial") {
		t.Errorf("stderr %q, want one line naming the partial file", e.String())
	}
	intact(t, before)
	rows := readRows(t, filepath.Join(dir, "boundary.csv.partial"))
	if len(rows) < 1 {
		t.Fatal("boundary.csv.partial holds no run")
	}
	for _, r := range rows {
		if r["complete"] != "true" || !strings.HasPrefix(r["vary"], "clients.rate=") {
			t.Errorf("row %v, want finished runs", r)
		}
	}
}

// TestBoundaryStopsOnAFullDisk: boundary.csv's disk fills after its header:
// the search stops (exit 1, one line), the previous file intact.
func TestBoundaryStopsOnAFullDisk(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "boundary.csv"), []byte("an earlier complete search\n"), 0o644)
	before := snapshot(t, dir)
	var o, e bytes.Buffer
	a := app{stdout: &o, stderr: &e, wrap: func(name string, w io.Writer) io.Writer { return &fullDisk{w: w, n: 300} }}
	code := a.run(context.Background(), []string{"boundary", "--scenario", "metastable", "--param", "clients.rate", "--lo", "300", "--hi", "1500",
		"--tol", "10", "--seeds", "3", "--parallel", "1", "--out", dir})
	if code != 1 || strings.Count(e.String(), "\n") != 1 || !strings.Contains(e.String(), "no space left on device") {
		t.Fatalf("exit %d, stderr %q; want 1 and one line naming the error", code, e.String())
	}
	intact(t, before)
}

// TestSimInterruptedSummaryAddsUp: a DWFM run interrupted before its first
// sample (the interrupt already there when it starts) keeps a summary that
// agrees with itself: sim_s is the last time-series row's and above 0, and
// the run's measures cover exactly that much (no broken invariant, exit 130).
// It used to say sim_s=0 beside 63% wasted and 3.4 M events, and break the
// amplification invariant (exit 1).
func TestSimInterruptedSummaryAddsUp(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var o, e bytes.Buffer
	code := app{stdout: &o, stderr: &e}.run(ctx, []string{"sim", "--droplets", "1e5", "--out", dir})
	if code != 130 {
		t.Fatalf("exit %d, want 130; %s", code, e.String())
	}
	sum := readRows(t, filepath.Join(dir, "summary.csv.partial"))
	ts := readRows(t, filepath.Join(dir, "timeseries.csv.partial"))
	if len(sum) != 1 || len(ts) == 0 {
		t.Fatalf("summary %v, %d rows", sum, len(ts))
	}
	s := sum[0]
	if simS := float(t, s["sim_s"]); simS <= 0 || simS != float(t, ts[len(ts)-1]["t_s"]) {
		t.Errorf("sim_s %v, last row at %s: want them equal and above 0", simS, ts[len(ts)-1]["t_s"])
	}
	var attempts float64
	for _, r := range ts {
		attempts += float(t, r["attempts"])
	}
	if amp := float(t, s["amplification"]); attempts == 0 || amp < 1 {
		t.Errorf("amplification %v over %v attempts in the rows: want at least 1", amp, attempts)
	}
}
