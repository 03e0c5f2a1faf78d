package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/results"
)

var update = flag.Bool("update", false, "rewrite testdata/compare/*.golden from the current code")

// compareGolden are ranked comparisons of the result files in
// testdata/compare (written by loadgen sweep and sim), each checked against
// testdata/compare/NAME.golden; -update rewrites them.
var compareGolden = []struct {
	name string
	args []string
}{
	// Three files, three scenarios, a vary point and a model without recovery, in every format.
	{"all.txt", []string{"--baseline", "none", "@us-east-1.csv", "@metastable.csv", "@mm1-summary.csv"}},
	{"all.md", []string{"--baseline", "none", "--format", "markdown", "@us-east-1.csv", "@metastable.csv", "@mm1-summary.csv"}},
	{"all.csv", []string{"--baseline", "none", "--format", "csv", "@us-east-1.csv", "@metastable.csv", "@mm1-summary.csv"}},
	{"all.json", []string{"--baseline", "none", "--format", "json", "@us-east-1.csv", "@metastable.csv", "@mm1-summary.csv"}},
	// Significantly worse by Welch's t; better, and a tie, at the vary points.
	{"welch.txt", []string{"--baseline", "queue-size", "@metastable.csv"}},
	{"better.txt", []string{"--baseline", "aimd", "@us-east-1.csv"}},
	{"better.md", []string{"--baseline", "aimd", "--format", "markdown", "@us-east-1.csv"}}, // the README's table
	// No baseline: ranks and ties only.
	{"nobaseline.txt", []string{"@us-east-1.csv"}},
	{"nobaseline.md", []string{"--format", "markdown", "@us-east-1.csv"}},
	// One seed a side: no test; the baseline absent at a point.
	{"noseeds.txt", []string{"--baseline", "aimd", "@one-seed.csv", "@metastable.csv"}},
}

func TestCompareGolden(t *testing.T) {
	dir := filepath.Join("testdata", "compare")
	for _, c := range compareGolden {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"compare"}
			for _, a := range c.args {
				if strings.HasPrefix(a, "@") {
					a = filepath.Join(dir, a[1:])
				}
				args = append(args, a)
			}
			code, out, stderr := runCLI(t, context.Background(), args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			golden := filepath.Join(dir, c.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if out != string(want) {
				t.Errorf("compare %s: output differs from %s (go test ./cmd/loadgen -run CompareGolden -update rewrites it)\ngot:\n%s\nwant:\n%s", strings.Join(c.args, " "), golden, out, want)
			}
		})
	}
}

// TestCompareFormatsParse: the CSV has RankingHeader and one row per
// policy and point; the JSON parses, with the same rows and numbers as
// numbers; both agree with the text table's row count.
func TestCompareFormatsParse(t *testing.T) {
	files := []string{"testdata/compare/us-east-1.csv", "testdata/compare/metastable.csv"}
	_, text, _ := runCLI(t, context.Background(), append([]string{"compare", "--baseline", "none"}, files...)...)
	_, c, _ := runCLI(t, context.Background(), append([]string{"compare", "--baseline", "none", "--format", "csv"}, files...)...)
	_, j, _ := runCLI(t, context.Background(), append([]string{"compare", "--baseline", "none", "--format", "json"}, files...)...)
	recs, err := csv.NewReader(strings.NewReader(c)).ReadAll()
	if err != nil || strings.Join(recs[0], ",") != strings.Join(results.RankingHeader, ",") {
		t.Fatalf("csv: %v, header %v", err, recs[0])
	}
	const rows = 4*2 + 3 // us-east-1: 4 policies × 2 vary points (5 seeds); metastable: 3 policies (3 seeds)
	if len(recs) != 1+rows || strings.Count(text, "\n") != 1+rows {
		t.Errorf("%d csv rows, %d text lines; want %d and %d", len(recs), strings.Count(text, "\n"), 1+rows, 1+rows)
	}
	var doc struct {
		Baseline string           `json:"baseline"`
		Rows     []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal([]byte(j), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, j)
	}
	if doc.Baseline != "none" || len(doc.Rows) != rows {
		t.Fatalf("json: baseline %q, %d rows, want none and %d", doc.Baseline, len(doc.Rows), rows)
	}
	for i, r := range doc.Rows {
		if r["policy"] != recs[i+1][1] || len(r) != len(results.RankingHeader) {
			t.Errorf("json row %d: %v, csv %v", i, r, recs[i+1])
		}
		if _, ok := r["runs"].(float64); !ok {
			t.Errorf("json row %d: runs %v is not a number", i, r["runs"])
		}
	}
	if r := doc.Rows[len(doc.Rows)-1]; r["policy"] != "none" || r["recovery_mean_s"] != nil || r["recovery_median_s"] != "inf" || r["outcome"] != "baseline" {
		t.Errorf("metastable none (never recovers, the baseline): %v", r)
	}
}

// TestCompareTwoFilesOfOtherRuns: two files whose runs differ are pooled
// and ranked, not compared run by run; --threshold belongs to the latter.
func TestCompareTwoFilesOfOtherRuns(t *testing.T) {
	a, b := "testdata/compare/us-east-1.csv", "testdata/compare/metastable.csv"
	code, out, stderr := runCLI(t, context.Background(), "compare", a, b)
	if code != 0 || !strings.Contains(out, "median") || strings.Contains(out, "base recovery") {
		t.Errorf("exit %d, %s\n%s\nwant a ranking", code, stderr, out)
	}
	code, out, _ = runCLI(t, context.Background(), "compare", a, a)
	if code != 0 || !strings.Contains(out, "base recovery") {
		t.Errorf("the same runs: exit %d\n%s\nwant run by run", code, out)
	}
}

// TestREADMECompare: the README shows the ranking golden file as it is, the
// command that makes it, and the CSV columns RankingHeader writes.
func TestREADMECompare(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	table, err := os.ReadFile("testdata/compare/better.md.golden")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{string(table), "compare --baseline aimd --format markdown runs/cmp/sweep.csv",
		"sweep --policies none,queue-size,aimd,bounded --seeds 5 --droplets 2000 \\\n    --vary dwfm.check_interval=90s,270s",
		"`" + strings.Join(results.RankingHeader, ",") + "`"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README lacks\n%s", want)
		}
	}
}

// TestCompareInputIsCurrent: testdata/compare/us-east-1.csv is what the
// README's sweep writes today (wall_s aside), so the README's table is that
// command's: seed 1 of every policy and point is run again (all five seeds
// would add 15 s to the race tests) and must match the file's row. If the
// model moved by design, rerun the README's sweep into the file and -update
// the goldens.
func TestCompareInputIsCurrent(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runCLI(t, context.Background(), "sweep", "--policies", "none,queue-size,aimd,bounded", "--seeds", "1", "--droplets", "2000",
		"--vary", "dwfm.check_interval=90s,270s", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := readResults(filepath.Join(dir, "sweep.csv"))
	if err != nil {
		t.Fatal(err)
	}
	file, err := readResults("testdata/compare/us-east-1.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := map[results.Key][]string{}
	wall := slices.Index(results.SweepHeader, "wall_s")
	for _, s := range file {
		r := s.SweepRecord()
		r[wall] = ""
		want[results.KeyOf(s)] = r
	}
	if len(got) != 8 || len(file) != 40 {
		t.Fatalf("%d runs of seed 1, want 8; the file has %d, want 40", len(got), len(file))
	}
	for _, s := range got {
		g := s.SweepRecord()
		g[wall] = ""
		if w := want[results.KeyOf(s)]; !slices.Equal(g, w) {
			t.Errorf("%s differs from testdata/compare/us-east-1.csv:\n%v\n%v", results.KeyOf(s), g, w)
		}
	}
}
