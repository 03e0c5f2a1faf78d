package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench/live/record"
)

// TestCompareAttackSummaries: attack summaries rank like sim's, their time
// scale as the vary value and what an attack does not measure (the ratio,
// wasted work) empty; a byte-order mark is skipped; an attack that did not
// keep up is left out unless --allow-incomplete; a shard's summary is
// refused until merged.
func TestCompareAttackSummaries(t *testing.T) {
	rs := attackResults(300)
	root := t.TempDir()
	all := func(int) bool { return true }
	var files []string
	for _, c := range []struct {
		name, policy, seed string
		recovery           float64
	}{{"q1", "queue-size", "1", 180}, {"q2", "queue-size", "2", 200}, {"q3", "queue-size", "3", 190}, {"n1", "none", "1", 400}, {"n2", "none", "2", 420}} {
		dir := filepath.Join(root, c.name)
		writeAttack(t, dir, "small", "", rs, all, c.recovery)
		p := filepath.Join(dir, "summary.csv")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Replace(string(b), "\nsmall,queue-size,1,", "\nsmall,"+c.policy+","+c.seed+",", 1)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	code, out, errText := runCLI(t, context.Background(), append([]string{"compare", "--baseline", "none", "--format", "csv"}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errText)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("%d records, %v:\n%s", len(recs), err, out)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	q := recs[1]
	if q[col["policy"]] != "queue-size" || q[col["vary"]] != "time_scale=60" || q[col["runs"]] != "3" || q[col["rank"]] != "1" || q[col["outcome"]] != "better" ||
		q[col["recovery_mean_s"]] != "190.000" || q[col["ratio_mean"]] != "" || q[col["wasted_fraction"]] != "" {
		t.Errorf("queue-size's row %v (header %v)", q, recs[0])
	}
	if n := recs[2]; n[col["policy"]] != "none" || n[col["recovery_mean_s"]] != "410.000" {
		t.Errorf("none's row %v", n)
	}
	_, text, _ := runCLI(t, context.Background(), append([]string{"compare"}, files...)...)
	if strings.Contains(text, "NaN") || !strings.Contains(text, "—") {
		t.Errorf("text table:\n%s", text)
	}
	_, js, _ := runCLI(t, context.Background(), append([]string{"compare", "--format", "json"}, files...)...)
	if !json.Valid([]byte(js)) {
		t.Errorf("not JSON:\n%s", js)
	}

	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	bom := filepath.Join(root, "bom.csv")
	if err := os.WriteFile(bom, append([]byte("\ufeff"), b...), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errText := runCLI(t, context.Background(), "compare", "--format", "csv", bom); code != 0 || !strings.Contains(out, "\nsmall,queue-size,time_scale=60,") {
		t.Errorf("a summary with a byte-order mark: exit %d, %q %q", code, out, errText)
	}

	// An attack that did not keep up is left out unless --allow-incomplete.
	slow := filepath.Join(root, "slow", "summary.csv")
	writeAttack(t, filepath.Dir(slow), "small", "", rs, all, 180)
	b, err = os.ReadFile(slow)
	if err != nil {
		t.Fatal(err)
	}
	recs, err = csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range recs[0] {
		if h == "kept_up" {
			recs[1][i] = "false"
		}
	}
	var sb strings.Builder
	csv.NewWriter(&sb).WriteAll(recs)
	if err := os.WriteFile(slow, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errText = runCLI(t, context.Background(), "compare", slow)
	if code != 2 || strings.Count(errText, "\n") != 1 || !strings.Contains(errText, "kept_up=false") || !strings.Contains(errText, "--allow-incomplete") {
		t.Errorf("an attack that did not keep up: exit %d, %q", code, errText)
	}
	if code, _, errText = runCLI(t, context.Background(), "compare", "--allow-incomplete", slow); code != 0 {
		t.Errorf("--allow-incomplete: exit %d, %q", code, errText)
	}

	// A summary written before the unsent and kept_up columns (and so
	// without unsent attempts) still reads.
	old := filepath.Join(root, "old.csv")
	writeAttack(t, filepath.Join(root, "old"), "small", "", rs, func(i int) bool { return record.OutcomeOf(&rs[i]) != record.Unsent }, 180)
	b, err = os.ReadFile(filepath.Join(root, "old", "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err = csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	for i := range recs {
		var keep []string
		for j, f := range recs[i] {
			if h := head[j]; h != "unsent" && h != "kept_up" {
				keep = append(keep, f)
			}
		}
		recs[i] = keep
	}
	sb.Reset()
	csv.NewWriter(&sb).WriteAll(recs)
	if err := os.WriteFile(old, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errText := runCLI(t, context.Background(), "compare", "--format", "csv", old); code != 0 || !strings.Contains(out, "\nsmall,queue-size,time_scale=60,") {
		t.Errorf("an older attack summary: exit %d, %q %q", code, out, errText)
	}

	shard := filepath.Join(root, "s")
	writeAttack(t, shard, "small", "0/2", rs, all, 180)
	code, _, errText = runCLI(t, context.Background(), "compare", filepath.Join(shard, "summary.csv"))
	if code != 2 || strings.Count(errText, "\n") != 1 || !strings.Contains(errText, "shard 0/2") || !strings.Contains(errText, "loadgen report --format csv") {
		t.Errorf("a shard's summary: exit %d, %q", code, errText)
	}
}
