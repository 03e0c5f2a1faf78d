package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"go.uber.org/goleak"

	"github.com/aftershock/aftershock/bench/live/record"
	"github.com/aftershock/aftershock/results"
)

// stallingTarget is a loopback service that is not loadgen serve (no
// /v1/info) and answers its first lease request (200) and no other: each
// waits until its client gives up. It returns the URL, the number of lease
// requests it has seen and a function that stops it.
func stallingTarget(t *testing.T) (url string, leases func() int64, stop func()) {
	return stallingAfter(t, 1)
}

// stallingAfter is stallingTarget answering its first answered requests.
func stallingAfter(t *testing.T, answered int) (url string, leases func() int64, stop func()) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	seen := make(chan struct{}, 1<<16)
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/lease" {
			http.NotFound(w, r)
			return
		}
		seen <- struct{}{}
		if len(seen) <= answered {
			return
		}
		<-r.Context().Done()
	})}
	go hs.Serve(l)
	return "http://" + l.Addr().String(), func() int64 { return int64(len(seen)) }, func() { hs.Close() }
}

// summaryCSV is summary.csv's one row by column.
func summaryCSV(t *testing.T, dir string) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, record.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("summary.csv: %d records, %v", len(recs), err)
	}
	m := map[string]string{}
	for i, h := range recs[0] {
		m[h] = recs[1][i]
	}
	return m
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

// stalledArgs attack a stalling target with at most 2 workers: live-small's
// 200 droplets at 600x (a 100 ms attempt timeout, 0.8 s of wall time, the
// surge due from 0.22 s). Two workers send about a dozen attempts; the rest
// of the surge is never sent.
func stalledArgs(url, dir string, more ...string) []string {
	return append([]string{"attack", "--target", url, "--droplets", "200", "--time-scale", "600", "--workers", "2", "--max-workers", "2", "--out", dir}, more...)
}

// TestAttackThatCannotKeepUp: against a target that stalls, the attack says
// it did not keep up (a warning naming its numbers, kept_up=false), and
// every scheduled attempt is in results.bin (vegeta's own decoder reads as
// many results as were scheduled, the unsent ones as errors) and in the
// percentiles (the latency log holds as many latencies). It still exits 0;
// --assert kept_up fails it with exit 1.
func TestAttackThatCannotKeepUp(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	url, leases, stop := stallingTarget(t)
	defer stop()
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errText := runCLI(t, context.Background(), stalledArgs(url, dir)...)
	if code != 0 {
		t.Fatalf("exit %d, want 0 (a warning, not a failure): %s", code, errText)
	}
	s := summaryCSV(t, dir)
	scheduled, sent, unsent := atoi(t, s["scheduled"]), atoi(t, s["sent"]), atoi(t, s["unsent"])
	if s["kept_up"] != "false" || s["complete"] != "true" || unsent < 100 || scheduled != sent+unsent || atoi(t, s["completed"]) != scheduled {
		t.Errorf("summary %v: want kept_up false, complete, most of the 200 unsent, scheduled = sent + unsent = completed", s)
	}
	if seen := leases(); sent > 40 || seen < 1 || seen > sent {
		t.Errorf("sent %d, the target saw %d: want two workers' worth, each seen at most once", sent, seen)
	}
	warn := "attack: WARNING: the attacker did not keep up (kept_up=false): scheduled " + s["scheduled"] + ", sent " + s["sent"] + ", unsent " + s["unsent"] + ", late "
	if !strings.Contains(errText, warn) || !strings.Contains(out, "kept up        NO: scheduled "+s["scheduled"]) {
		t.Errorf("stdout\n%s\nstderr\n%s\nwant the warning %q", out, errText, warn)
	}
	// Every scheduled attempt is in results.bin, read by vegeta's decoder.
	f, err := os.Open(filepath.Join(dir, record.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := vegeta.DecoderFor(f)
	if dec == nil {
		t.Fatal("vegeta does not recognise results.bin")
	}
	var m vegeta.Metrics
	n, nUnsent := int64(0), int64(0)
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("result %d: %v", n+1, err)
		}
		n++
		if r.Error == record.UnsentError && r.Code == 0 {
			nUnsent++
		}
		m.Add(&r)
	}
	m.Close()
	if n != scheduled || nUnsent != unsent {
		t.Errorf("results.bin holds %d results, %d unsent; want %d scheduled, %d unsent", n, nUnsent, scheduled, unsent)
	}
	if m.StatusCodes["200"] != 1 || m.StatusCodes["0"] != int(n)-1 {
		t.Errorf("vegeta's report: codes %v; want every result but the first answer an error", m.StatusCodes)
	}
	// ... and in the percentiles.
	run, err := record.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := run.Latency.TotalCount(); got != scheduled {
		t.Errorf("latency.hlog holds %d latencies, want %d", got, scheduled)
	}
	// Most attempts waited from the surge to the end unsent: the median is
	// far past the 100 ms timeout that bounds every attempt sent on time.
	if p50, _ := strconv.ParseFloat(s["p50_ms"], 64); p50 < 200 {
		t.Errorf("p50 %.1f ms: want the unsent attempts' wait in it", p50)
	}

	code, _, errText = runCLI(t, context.Background(), stalledArgs(url, dir, "--assert", "kept_up")...)
	if code != 1 || !strings.Contains(errText, "loadgen: verdict: kept_up failed: kept_up is false") {
		t.Errorf("--assert kept_up: exit %d, stderr\n%s", code, errText)
	}
}

// TestAttackAssertColumns: --assert takes any column of the attack's own
// summary; those that fail are one line each (exit 1), those that hold are
// silent; an unknown column is bad input, its one line listing the columns.
func TestAttackAssertColumns(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	url, _, stop := stallingTarget(t)
	defer stop()
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errText := runCLI(t, context.Background(), stalledArgs(url, dir,
		"--assert", "unsent==0", "--assert", "p99_ms<100ms", "--assert", "timed_out>0", "--assert", "sent>=1",
		"--assert", "!kept_up", "--assert", "droplets==200", "--assert", "policy==none", "--assert", "errors==0",
		"--assert", "recovered")...)
	lines := strings.Split(strings.TrimSuffix(errText, "\n"), "\n")
	var verdicts []string
	for _, l := range lines {
		if strings.HasPrefix(l, "loadgen: verdict: ") {
			verdicts = append(verdicts, l)
		}
	}
	if code != 1 || len(verdicts) != 3 ||
		!strings.HasPrefix(verdicts[0], "loadgen: verdict: unsent==0 failed: unsent is ") ||
		!strings.HasPrefix(verdicts[1], "loadgen: verdict: p99_ms<100ms failed: p99_ms is ") ||
		!strings.HasPrefix(verdicts[2], "loadgen: verdict: recovered failed: recovered is false (scenario live-small, policy none, vary time_scale=600") {
		t.Errorf("exit %d, stderr\n%s\nwant 1 and three failures: unsent==0, p99_ms<100ms, recovered", code, errText)
	}
	for _, bad := range []string{"p98_ms<1", "late==0"} {
		code, out, errText := runCLI(t, context.Background(), stalledArgs(url, dir, "--assert", bad)...)
		if code != 2 || out != "" || strings.Count(errText, "\n") != 1 || !strings.Contains(errText, "unknown column") ||
			!strings.Contains(errText, "unsent, requests, completed") || !strings.Contains(errText, "kept_up, complete, wall_s") {
			t.Errorf("--assert %s: exit %d, stdout %q, stderr %q; want 2 and one line listing the columns", bad, code, out, errText)
		}
	}
}

// TestAttackShardWithoutDroplets: more shards than droplets leaves a shard
// none; it is refused before anything starts (exit 2, one line naming the
// shard and the droplets), and nothing is written.
func TestAttackShardWithoutDroplets(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	start := time.Now()
	code, out, errText := runCLI(t, context.Background(), "attack", "--droplets", "5", "--shard", "7/10", "--out", dir)
	if code != 2 || out != "" || errText != "loadgen: attack: shard 7/10 has 0 of 5 droplets (droplet d is shard d mod n's): give at most 5 shards\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errText)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("--out created: %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("refused after %v: want at once", el)
	}
}

// TestAttackEndingInsideTheTriggerRefused: --duration 1s at 60x ends the
// attack at model time 1m, inside live-small's outage (over at 2m10s),
// before any droplet asks again: refused at once (exit 2, one line naming
// the least --duration), an earlier attack in --out left as it was. (It
// ran: 0 scheduled, "recovered no", exit 0, the earlier attack replaced.)
// A paced attack, with no trigger to wait for, may be that short.
func TestAttackEndingInsideTheTriggerRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	writeAttack(t, dir, "small", "", attackResults(100), func(int) bool { return true }, 60)
	before := sha(t, filepath.Join(dir, record.SummaryFile))
	code, out, errText := runCLI(t, context.Background(), "attack", "--droplets", "20", "--duration", "1s", "--out", dir)
	if code != 2 || out != "" || strings.Count(errText, "\n") != 1 || !strings.Contains(errText, "not after the trigger's end at 2m10s") ||
		!strings.Contains(errText, "give --duration over 2.167s") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2 and one line", code, out, errText)
	}
	if sha(t, filepath.Join(dir, record.SummaryFile)) != before {
		t.Error("the earlier attack's summary.csv changed")
	}
	url, _, _ := leaseTarget(t, false, http.StatusOK)
	if code, out, errText := runCLI(t, context.Background(), "attack", "--target", url, "--rate", "200/1s", "--droplets", "20",
		"--duration", "1s", "--out", filepath.Join(t.TempDir(), "paced")); code != 0 {
		t.Errorf("paced, --duration 1s: exit %d\n%s\n%s", code, out, errText)
	}
}

// TestAttackInterruptedSaysWhen: an attack at 100x whose target never
// answers, interrupted half a second in (model time 50 s, less its
// setup): the line says it was interrupted at the signal's model time, not
// when its attempts in flight timed out (1 min of model time after they
// were sent, 0.6 s of wall time). (It said 1m10s.)
func TestAttackInterruptedSaysWhen(t *testing.T) {
	url, _, stop := stallingAfter(t, 0)
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	signal, _ := ctx.Deadline()
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errText := runCLI(t, ctx, "attack", "--target", url, "--rate", "200/1s", "--droplets", "20", "--time-scale", "100",
		"--out", dir)
	var at, ended time.Duration
	i := strings.Index(errText, "interrupted at model time ")
	if code != 130 || i < 0 {
		t.Fatalf("exit %d, stderr %q; want 130 and the interrupt's line", code, errText)
	}
	var sAt, sEnded string
	fmt.Sscanf(strings.NewReplacer("(", " ", ")", " ", ";", " ").Replace(errText[i:]), "interrupted at model time %s its attempts in flight ended by %s", &sAt, &sEnded)
	at, err1 := time.ParseDuration(sAt)
	ended, err2 := time.ParseDuration(sEnded)
	// Not before the signal (model time 0 is summary.csv's start, after
	// the command's setup; give or take half a second's rounding), and
	// before the attempts out then ended (sent from 0 to 10 s, out until
	// 1m to 1m10s). (Bounding it by 51 s, the signal's model time given
	// no setup, left 1 s of model time, 10 ms of wall time, for the attack
	// to notice the signal: a loaded machine takes longer.)
	rows := readRows(t, filepath.Join(dir, record.SummaryFile+results.PartialSuffix))
	start, err3 := time.Parse(time.RFC3339Nano, rows[0]["start"])
	atSignal := time.Duration(float64(signal.Sub(start)) * 100)
	if err1 != nil || err2 != nil || err3 != nil || at < atSignal-time.Second || at >= ended || ended < time.Minute {
		t.Errorf("stderr %q: interrupted at %v (the signal at %v), attempts ended by %v; want the signal's time, and the attempts at 1m or later, after it (%v)",
			errText, at, atSignal.Round(time.Second), ended, err3)
	}
}

// TestMergeRefusesAttackSummaries: loadgen merge is for sweeps; an attack's
// summary.csv is pointed to loadgen report, which merges shards.
func TestMergeRefusesAttackSummaries(t *testing.T) {
	dir := t.TempDir()
	writeAttack(t, dir, "small", "0/2", attackResults(100), func(int) bool { return true }, 60)
	code, out, errText := runCLI(t, context.Background(), "merge", filepath.Join(dir, record.SummaryFile))
	if code != 2 || out != "" || strings.Count(errText, "\n") != 1 || !strings.Contains(errText, "loadgen report --format csv") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errText)
	}
}

// TestFailoverOffDoesNotApply: failover-off switches NLB's failover at
// clock times; on a scenario without failover and without a start clock
// (live-small for attack and serve, metastable for boundary) it is refused
// because it does not apply, not for its clock times: exit 2, one line.
// (It was refused for "no start clock", as if giving offsets would do.)
func TestFailoverOffDoesNotApply(t *testing.T) {
	for _, args := range [][]string{
		{"attack", "--policy", "failover-off", "--out", filepath.Join(t.TempDir(), "out")},
		{"serve", "--policy", "failover-off"},
		{"boundary", "--scenario", "metastable", "--policy", "failover-off", "--param", "clients.rate", "--lo", "300", "--hi", "900", "--out", ""},
	} {
		code, out, errText := runCLI(t, context.Background(), args...)
		if code != 2 || out != "" || strings.Count(errText, "\n") != 1 || !strings.Contains(errText, "does not apply") || strings.Contains(errText, "clock") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line: does not apply", args, code, out, errText)
		}
	}
}
