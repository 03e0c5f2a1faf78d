package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/bench/live/record"
)

var attackStart = time.Date(2025, 10, 20, 6, 48, 0, 0, time.UTC)

// attackResults are n synthetic results, 100 per model minute (one wall
// second at time scale 60), in the order they finish: one in 20 never sent.
func attackResults(n int) []vegeta.Result {
	out := make([]vegeta.Result, n)
	for i := range out {
		lat := time.Duration(1+(i*7919)%997) * 37 * time.Microsecond
		end := time.Duration(i/100)*time.Second + time.Duration(i%100)*9*time.Millisecond + 5*time.Millisecond
		r := vegeta.Result{Attack: record.First, Seq: uint64(i), Code: 200, Timestamp: attackStart.Add(end - lat), Latency: lat, Method: "POST"}
		switch i % 10 {
		case 1, 2:
			r.Attack = record.Retry
		case 3:
			r.Code = 429
		case 4:
			r.Code = 503
		case 5:
			r.Code, r.Error = 0, record.TimeoutPrefix+"context deadline exceeded"
		}
		if i%20 == 6 {
			r.Code, r.Error = 0, record.UnsentError
		}
		out[i] = r
	}
	return out
}

// writeAttack writes an attack directory holding the results keep selects,
// as shard (i/n or "") of scenario.
func writeAttack(t *testing.T, dir, scenario, shard string, rs []vegeta.Result, keep func(int) bool, recoveryS float64) {
	t.Helper()
	n := 1
	droplets := 200
	if shard != "" {
		_, n, _ = record.ParseShard(shard)
		droplets /= n
	}
	w, err := record.Create(record.Options{Dir: dir, Scenario: scenario, Policy: "queue-size", Seed: 1, Droplets: droplets,
		Start: attackStart, TimeScale: 60, Interval: time.Minute, Shard: shard})
	if err != nil {
		t.Fatal(err)
	}
	rows := (len(rs) + 99) / 100
	sent, unsent := int64(0), int64(0)
	for k := 1; k <= rows; k++ {
		for i := (k - 1) * 100; i < min(k*100, len(rs)); i++ {
			if keep(i) {
				if err := w.Add(&rs[i]); err != nil {
					t.Fatal(err)
				}
				if record.OutcomeOf(&rs[i]) == record.Unsent {
					unsent++
				} else {
					sent++
				}
			}
		}
		// Every result was scheduled; 20/n more are due and not yet sent at
		// each tick but the last.
		tick := record.Tick{At: time.Duration(k) * time.Minute, Scheduled: sent + unsent + int64(20/n), Sent: sent,
			Leased: float64(k) / float64(rows), Queued: int64(10 * k)}
		if k == rows {
			tick.Scheduled = sent + unsent
		}
		if err := w.Tick(tick); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(record.Summary{Recovered: true, RecoveryS: recoveryS, TriggerEndS: 60, KeptUp: true, Complete: true, WallS: float64(rows)}); err != nil {
		t.Fatal(err)
	}
}

func TestReportMergesShardsLikeOneDirectory(t *testing.T) {
	rs := attackResults(500)
	root := t.TempDir()
	one, a, b := filepath.Join(root, "one"), filepath.Join(root, "a"), filepath.Join(root, "b")
	writeAttack(t, one, "small", "", rs, func(int) bool { return true }, 240)
	writeAttack(t, a, "small", "0/2", rs, func(i int) bool { return i%2 == 0 }, 180)
	writeAttack(t, b, "small", "1/2", rs, func(i int) bool { return i%2 == 1 }, 240)
	outs := map[string]string{}
	for _, format := range []string{"csv", "json", "text"} {
		ts1, ts2 := filepath.Join(root, format+"1.csv"), filepath.Join(root, format+"2.csv")
		code, whole, e := runCLI(t, context.Background(), "report", "--format", format, "--timeseries", ts1, one)
		if code != 0 {
			t.Fatalf("report %s one: exit %d, %s", format, code, e)
		}
		code, merged, e := runCLI(t, context.Background(), "report", "--format", format, "--timeseries", ts2, a, b)
		if code != 0 {
			t.Fatalf("report %s a b: exit %d, %s", format, code, e)
		}
		outs[format] = merged
		if format == "text" { // only the sources line differs
			_, whole, _ = strings.Cut(whole, "\n")
			_, merged, _ = strings.Cut(merged, "\n")
		}
		if whole != merged {
			t.Errorf("--format %s: two shards\n%s\none directory\n%s", format, merged, whole)
		}
		t1, _ := os.ReadFile(ts1)
		t2, _ := os.ReadFile(ts2)
		if len(t1) == 0 || string(t1) != string(t2) {
			t.Errorf("merged timeseries\n%s\nwant\n%s", t2, t1)
		}
	}
	out := outs["json"]
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("json %q: %v", out, err)
	}
	// 500 attempts: 100 retries; of every 10, 7 good, 1 429, 1 503, 1
	// timeout, but one good in 20 never sent
	want := map[string]any{"completed": 500.0, "retries": 100.0, "first": 400.0, "good": 325.0, "rejected": 100.0,
		"timed_out": 50.0, "errors": 0.0, "unsent": 25.0, "scheduled": 500.0, "sent": 475.0, "droplets": 200.0, "recovered": true,
		"recovery_s": 240.0, "shard": nil, "scenario": "small", "peak_queue": 50.0, "kept_up": true}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %v, want %v", k, m[k], v)
		}
	}
	text := outs["text"]
	for _, w := range []string{"2 attack directories", "recovered     yes, 240.000 model s", "scheduled 500, sent 475, unsent 25 (5.0%)",
		"kept up       yes", "good 325 (65.0%)", "unsent 25 (5.0%)", "shards all"} {
		if !strings.Contains(text, w) {
			t.Errorf("text report lacks %q:\n%s", w, text)
		}
	}
	_, text, _ = runCLI(t, context.Background(), "report", a)
	if !strings.Contains(text, "shards 0/2") {
		t.Errorf("one of two shards:\n%s", text)
	}
}

func TestReportVegetaFiles(t *testing.T) {
	rs := attackResults(300)
	root := t.TempDir()
	dir := filepath.Join(root, "attack")
	writeAttack(t, dir, "small", "", rs[:200], func(int) bool { return true }, 60)
	// a plain vegeta file (JSON encoding) with the other 100
	p := filepath.Join(root, "plain.json")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	enc := vegeta.NewJSONEncoder(f)
	for i := range rs[200:] {
		enc.Encode(&rs[200+i])
	}
	f.Close()
	code, out, e := runCLI(t, context.Background(), "report", "--format", "csv", dir, p)
	if code != 0 {
		t.Fatal(e)
	}
	code, all, e := runCLI(t, context.Background(), "report", "--format", "csv", filepath.Join(dir, "results.bin"), p)
	if code != 0 {
		t.Fatal(e)
	}
	get := func(csvText, col string) string {
		lines := strings.Split(strings.TrimSpace(csvText), "\n")
		h, v := strings.Split(lines[0], ","), strings.Split(lines[1], ",")
		for i := range h {
			if h[i] == col {
				return v[i]
			}
		}
		t.Fatalf("no column %s", col)
		return ""
	}
	for _, col := range []string{"completed", "good", "retries", "unsent", "p50_ms", "p99_ms", "max_ms"} {
		if get(out, col) != get(all, col) {
			t.Errorf("%s: directory + file %s, both files %s", col, get(out, col), get(all, col))
		}
	}
	if get(out, "completed") != "300" || get(all, "scenario") != "" || get(out, "scenario") != "small" {
		t.Errorf("completed %s, scenarios %q %q", get(out, "completed"), get(all, "scenario"), get(out, "scenario"))
	}
	code, text, _ := runCLI(t, context.Background(), "report", p)
	if code != 0 || !strings.Contains(text, "0 attack directories, 1 vegeta file:") || strings.Contains(text, "recovered") {
		t.Errorf("report of a vegeta file:\n%s", text)
	}
}

// badInputReportFiles writes live attacks' outputs in dir, for the bad-input
// scripts (the script command attackfixtures): attacks a1 (shard 0/2 of
// small), a2 (1/2 of other), an interrupted attack's directory, a vegeta
// file.
func badInputReportFiles(t *testing.T, dir string) {
	t.Helper()
	rs := attackResults(200)
	writeAttack(t, filepath.Join(dir, "a1"), "small", "0/2", rs, func(i int) bool { return i%2 == 0 }, 60)
	writeAttack(t, filepath.Join(dir, "a2"), "other", "1/2", rs, func(i int) bool { return i%2 == 1 }, 60)
	w, err := record.Create(record.Options{Dir: filepath.Join(dir, "aborted"), Start: attackStart, TimeScale: 60, Interval: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	w.Abort()
	f, err := os.Create(filepath.Join(dir, "plain.bin"))
	if err != nil {
		t.Fatal(err)
	}
	enc := vegeta.NewEncoder(f)
	for i := range rs {
		enc.Encode(&rs[i])
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestReportHelp(t *testing.T) {
	for _, args := range [][]string{{"report", "-h"}, {"help", "report"}} {
		code, out, stderr := runCLI(t, context.Background(), args...)
		if code != 0 || stderr != "" || !strings.HasPrefix(out, "Usage: loadgen report") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		if ex := examples(out); ex < 2 || ex > 4 {
			t.Errorf("%v: %d examples, want 2 to 4", args, ex)
		}
	}
}

// TestReportRefusesTheSameResultsTwice: a directory and a file inside it
// (DIR DIR/results.bin), a file given twice, or by a symlink, would count
// the same results twice: refused, exit 2, one line naming both. (DIR
// DIR/results.bin reported every count doubled.)
func TestReportRefusesTheSameResultsTwice(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "base")
	writeAttack(t, dir, "small", "", attackResults(100), func(int) bool { return true }, 60)
	bin := filepath.Join(dir, record.ResultsFile)
	link := filepath.Join(root, "link.bin")
	if err := os.Symlink(bin, link); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{dir, bin}, {bin, dir}, {bin, bin}, {bin, link}, {dir, link}, {dir, dir + "/"}} {
		code, out, errText := runCLI(t, context.Background(), append([]string{"report"}, args...)...)
		if code != 2 || out != "" || strings.Count(errText, "\n") != 1 || !strings.Contains(errText, "count twice") {
			t.Errorf("report %v: exit %d, stdout %q, stderr %q; want 2 and one line", args, code, out, errText)
		}
	}
	if code, _, errText := runCLI(t, context.Background(), "report", dir); code != 0 {
		t.Errorf("report DIR alone: exit %d, %s", code, errText)
	}
}

// TestReportSomeShards: two shards of three are refused (exit 2, one line
// naming the missing one): their totals would say 2/3 of the droplets,
// recovered; one shard alone is reported, loudly as that shard only. (Two
// of three reported "droplets 133, recovered yes", the third not named.)
func TestReportSomeShards(t *testing.T) {
	root := t.TempDir()
	rs := attackResults(300)
	var dirs []string
	for i := range 3 {
		d := filepath.Join(root, fmt.Sprint(i))
		writeAttack(t, d, "small", fmt.Sprintf("%d/3", i), rs, func(k int) bool { return k%3 == i }, 60)
		dirs = append(dirs, d)
	}
	code, out, errText := runCLI(t, context.Background(), "report", dirs[0], dirs[1])
	if code != 2 || out != "" || strings.Count(errText, "\n") != 1 || !strings.Contains(errText, "2/3 missing") {
		t.Errorf("2 of 3 shards: exit %d, stdout %q, stderr %q; want 2 and one line naming 2/3", code, out, errText)
	}
	code, out, errText = runCLI(t, context.Background(), "report", dirs[1])
	if code != 0 || !strings.Contains(out, "shards 1/3 ONLY: the other shards'") {
		t.Errorf("one shard: exit %d, %s\n%s", code, errText, out)
	}
	if code, _, errText := runCLI(t, context.Background(), "report", dirs[2], dirs[0], dirs[1]); code != 0 {
		t.Errorf("every shard: exit %d, %s", code, errText)
	}
}
