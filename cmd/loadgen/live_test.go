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

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"go.uber.org/goleak"
)

// lineWriter hands out the first line written to it; safe for concurrent
// use.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	first chan string
	once  sync.Once
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if i := bytes.IndexByte(w.buf.Bytes(), '\n'); i >= 0 {
		w.once.Do(func() { w.first <- string(w.buf.Bytes()[:i]) })
	}
	return len(p), nil
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// small is live-small shrunk to one DWFM host (250 droplets) at 150x:
// queue-size recovers in about 2 s of wall time.
var small = []string{"--droplets", "250", "--time-scale", "150"}

// TestServeAndTwoShards: loadgen serve in one goroutine, two attackers
// --shard 0/2 and 1/2 against it sharing its start (from /v1/info), and
// loadgen report merging their directories: the merged attack recovered.
func TestServeAndTwoShards(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := &lineWriter{first: make(chan string, 1)}
	var serr bytes.Buffer
	served := make(chan int, 1)
	start := time.Now().Add(300 * time.Millisecond).UTC().Format(time.RFC3339Nano)
	go func() {
		served <- app{stdout: stdout, stderr: &serr}.run(ctx, append([]string{"serve", "--policy", "queue-size", "--start-at", start}, small...))
	}()
	var url string
	select {
	case url = <-stdout.first:
	case code := <-served:
		t.Fatalf("serve exited %d: %s", code, serr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve printed no address")
	}
	dirs := []string{t.TempDir(), t.TempDir()}
	var wg sync.WaitGroup
	codes := make([]int, 2)
	errs := make([]string, 2)
	for i, shard := range []string{"0/2", "1/2"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var o, e bytes.Buffer
			codes[i] = app{stdout: &o, stderr: &e}.run(context.Background(), append([]string{"attack", "--target", url, "--policy", "queue-size",
				"--shard", shard, "--stop-when-recovered", "--out", dirs[i]}, small...))
			errs[i] = e.String()
		}()
	}
	wg.Wait()
	cancel()
	if code := <-served; code != 0 {
		t.Errorf("serve exited %d: %s", code, serr.String())
	}
	for i := range codes {
		if codes[i] != 0 {
			t.Fatalf("shard %d exited %d: %s", i+1, codes[i], errs[i])
		}
	}
	code, out, e := runCLI(t, context.Background(), "report", "--format", "csv", dirs[0], dirs[1])
	if code != 0 {
		t.Fatalf("report exited %d: %s", code, e)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("report csv %q", out)
	}
	head, row := strings.Split(lines[0], ","), strings.Split(lines[1], ",")
	col := map[string]string{}
	for i, h := range head {
		col[h] = row[i]
	}
	if col["recovered"] != "true" || col["first"] != "250" || col["droplets"] != "250" {
		t.Errorf("merged report %v, want recovered, 250 droplets, 250 first attempts", col)
	}
}

// TestAttackInterrupted: without a target, attack serves in-process;
// Ctrl-C (here in the surge, at model time 2m30s) stops sending, waits for
// the attempts in flight, and writes every file as .partial (exit 130): the
// complete attack already in --out keeps every byte; results.bin.partial
// decodes with vegeta's own decoder, one result per scheduled attempt.
func TestAttackInterrupted(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	dir := t.TempDir()
	for _, n := range []string{"summary.csv", "timeseries.csv", "latency.hlog", "results.bin"} {
		os.WriteFile(filepath.Join(dir, n), []byte("an earlier complete attack's "+n+"\n"), 0o644)
	}
	before := snapshot(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	code, out, errs := runCLI(t, ctx, append([]string{"attack", "--out", dir}, small...)...)
	if code != 130 {
		t.Fatalf("exit %d, want 130: %s", code, errs)
	}
	intact(t, before)
	if last := errs[strings.LastIndex(strings.TrimSuffix(errs, "\n"), "\n")+1:]; !strings.Contains(last, "interrupted at model time") || !strings.Contains(last, ".partial") {
		t.Errorf("stderr %q, want the interrupt's line naming the .partial files last", errs)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.csv.partial"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), ",false,") {
		t.Errorf("summary %q, want complete=false", b)
	}
	f, err := os.Open(filepath.Join(dir, "results.bin.partial"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := vegeta.NewDecoder(f)
	n, names := 0, map[string]int{}
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err != nil {
			break
		}
		n++
		names[r.Attack]++
	}
	var sent, scheduled, unsent int
	if _, err := fmt.Sscanf(out, "attempts       %d sent of %d scheduled, %d unsent", &sent, &scheduled, &unsent); err != nil ||
		n != scheduled || sent+unsent != scheduled || names["first"] == 0 || names["first"]+names["retry"] != n {
		t.Errorf("decoded %d results %v, want one per scheduled attempt; stdout %q", n, names, out)
	}
}

// TestAttackTargetsFile: a vegeta targets file sends each droplet's
// attempts (the placeholder replaced) to loadgen serve, paced by --rate.
func TestAttackTargetsFile(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := &lineWriter{first: make(chan string, 1)}
	var serr bytes.Buffer
	served := make(chan int, 1)
	past := time.Now().Add(-3 * time.Second).UTC().Format(time.RFC3339Nano)
	go func() {
		served <- app{stdout: stdout, stderr: &serr}.run(ctx, []string{"serve", "--droplets", "20", "--time-scale", "100", "--start-at", past}) // model 5m: after the outage
	}()
	var url string
	select {
	case url = <-stdout.first:
	case code := <-served:
		t.Fatalf("serve exited %d: %s", code, serr.String())
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "t.http")
	if err := os.WriteFile(file, []byte("POST "+url+"/v1/lease?droplet={droplet}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, context.Background(), "attack", "--targets", file, "--targets-format", "http", "--rate", "100/1s",
		"--droplets", "20", "--time-scale", "100", "--stop-when-recovered", "--out", filepath.Join(dir, "out"))
	cancel()
	<-served
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "leased         20 of 20 droplets") || !strings.Contains(serr.String(), "served 20 leases") {
		t.Errorf("stdout %q, server %q: want 20 leases", out, serr.String())
	}
}

// TestAttackAssert: --assert judges the attack's summary after its files are
// written: one that holds is silent, one that fails is one line and exit 1.
func TestAttackAssert(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	dir := filepath.Join(t.TempDir(), "out")
	args := append([]string{"attack", "--policy", "queue-size", "--stop-when-recovered", "--out", dir,
		"--assert", "recovered", "--assert", "recovery_s<1", "--assert", "amplification>=1"}, small...)
	code, _, errs := runCLI(t, context.Background(), args...)
	if code != 1 || !strings.Contains(errs, "recovery_s<1") || strings.Contains(errs, "amplification>=1") || strings.Contains(errs, "assertion recovered") {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "summary.csv")); err != nil {
		t.Fatalf("summary not written before the verdict: %v", err)
	}
}
