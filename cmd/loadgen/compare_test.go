package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/internal/docstest"
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
	// Paired by seed, the sign test, and seeds that differ (TestComparePairedByHand).
	{"paired.txt", []string{"--baseline", "base", "@paired.csv"}},
	{"paired.csv", []string{"--baseline", "base", "--format", "csv", "@paired.csv"}},
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

// TestComparePairedByHand checks paired.csv.golden's numbers, worked by
// hand from testdata/compare/paired.csv (made up, six seeds, base recovering
// in 3600, 3720, 3840, 3960, 4080, 4200 s):
//
// case=paired. fast − base per seed: −62, −58, −60, −60, −59, −61; mean
// −60; deviations −2, 2, 0, 0, 1, −1, Σ² = 10; sd = √(10/5) = 1.414214; se =
// sd/√6 = 0.577350; t(0.975, 5) = 2.570582; half-width 1.484126: −60 s
// [−61.484, −58.516], better, in percent of base's mean 3900 s −1.54%
// [−1.58%, −1.50%]. Unpaired, fast's and base's intervals (sd 224.5 each,
// ±236 s) overlap and Welch's difference, −60 ± 289 s, holds 0: a rule
// that fell back to it would tie them. same − base is 0 on every seed (sd
// 0, difference 0): a tie, the same rank 2, both 2=. shifted − base is 30
// on every seed (sd 0, difference 30): [30, 30], worse.
//
// case=recovered (sign test: each seed counts for the policy that
// recovered first, never last). flaky (−50, −50, +50, +50, +50 s, never on
// seed 6) against base: 2 seeds for flaky, 4 for base: p = 2 · (1 + 6 +
// 15)/2⁶ = 0.6875, a tie, 1=. slow (+100 s, never on seed 6): 6 for base: p
// = 2/2⁶ = 0.03125, worse; against flaky both recovered on seeds 1-5 and
// neither on 6, so the paired t decides: 150, 150, 50, 50, 50, mean 90 ±
// 2.776445 · 54.77/√5 = 68.0, different: slow ranks 3 unmarked. never: 6
// for base, p 0.03125, worse; against flaky only 5 seeds count, p =
// 2/2⁵ = 0.0625, a tie: 2=.
//
// case=unpaired. base ran seeds 1-3 (3600, 3720, 3840), fast seeds 4-6
// (3500, 3620, 3740): no seed in common, Welch's t. Difference −100; se² =
// 120²/3 · 2 = 9600; df = 9600² ÷ (2 · 4800²/2) = 4; t(0.975, 4) = 2.776445;
// half-width 2.776445 · 97.980 = 272.035: [−372.035, 172.035], a tie.
func TestComparePairedByHand(t *testing.T) {
	b, err := os.ReadFile("testdata/compare/paired.csv.golden")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	got := map[string]string{}
	for _, r := range recs[1:] {
		v := []string{}
		for _, c := range []string{"rank", "tied_with", "outcome", "test", "pairs", "change_s", "change_lo_s", "change_hi_s", "change_pct", "change_lo_pct", "change_hi_pct", "p"} {
			v = append(v, r[col[c]])
		}
		got[r[col["policy"]]+" "+r[col["vary"]]] = strings.Join(v, ",")
	}
	for k, want := range map[string]string{
		"fast case=paired":     "1,,better,paired-t,6,-60.000,-61.484,-58.516,-1.54,-1.58,-1.50,",
		"base case=paired":     "2,2,baseline,,,,,,,,,",
		"same case=paired":     "2,2,tie,paired-t,6,0.000,0.000,0.000,0.00,0.00,0.00,",
		"shifted case=paired":  "4,,worse,paired-t,6,30.000,30.000,30.000,0.77,0.77,0.77,",
		"base case=recovered":  "1,1,baseline,,,,,,,,,",
		"flaky case=recovered": "2,1,tie,sign,6,,,,,,,0.6875",
		"slow case=recovered":  "3,,worse,sign,6,,,,,,,0.0313",
		"never case=recovered": "4,2,worse,sign,6,,,,,,,0.0313",
		"fast case=unpaired":   "1,1,tie,welch,,-100.000,-372.035,172.035,-2.69,-10.00,4.62,",
		"base case=unpaired":   "2,1,baseline,,,,,,,,,",
	} {
		if got[k] != want {
			t.Errorf("%s: %s, worked by hand: %s", k, got[k], want)
		}
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
	const rows = 4*2 + 3                     // us-east-1: 4 policies × 2 vary points (5 seeds); metastable: 3 policies (3 seeds)
	table, _, _ := strings.Cut(text, "\n\n") // the notes follow a blank line
	if len(recs) != 1+rows || strings.Count(table+"\n", "\n") != 1+rows {
		t.Errorf("%d csv rows, %d text lines; want %d and %d", len(recs), strings.Count(table+"\n", "\n"), 1+rows, 1+rows)
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

// TestREADMECompare: the docs' Choosing a policy section shows the ranking
// golden file as it is, the command that makes it, and the CSV columns
// RankingHeader writes.
func TestREADMECompare(t *testing.T) {
	f, readme := docstest.Section(t, "## Choosing a policy: `compare` and `--assert`")
	table, err := os.ReadFile("testdata/compare/better.md.golden")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{string(table), "compare --baseline aimd --format markdown runs/cmp/sweep.csv",
		"sweep --policies none,queue-size,aimd,bounded --seeds 5 --droplets 2000 \\\n    --vary dwfm.check_interval=90s,270s",
		"`" + strings.Join(results.RankingHeader, ",") + "`"} {
		if !strings.Contains(readme, want) {
			t.Errorf("%s: Choosing a policy lacks\n%s", f.Path, want)
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

// rankColumn reads a text table (sweep's or compare's) into policy and vary
// → its rank cell.
func rankColumn(t *testing.T, table string) map[string]string {
	t.Helper()
	split := regexp.MustCompile(`\s{2,}`)
	lines := strings.Split(strings.TrimSpace(table), "\n")
	head := split.Split(strings.TrimSpace(lines[0]), -1)
	rank, vary := slices.Index(head, "rank"), slices.Index(head, "vary")
	if rank < 0 || vary < 0 || head[0] != "policy" {
		t.Fatalf("table header %q: want policy, vary and rank", head)
	}
	out := map[string]string{}
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "note: ") { // a policy's caveat, under the table
			continue
		}
		f := split.Split(strings.TrimSpace(l), -1)
		if len(f) != len(head) {
			t.Fatalf("row %q: %d cells, header has %d", l, len(f), len(head))
		}
		out[f[0]+" "+f[vary]] = f[rank]
	}
	return out
}

// TestSweepAndCompareRankAlike: a small sweep (policies that never, always
// and sometimes recover at 480 droplets, two vary points, 8 seeds) prints a
// table and writes sweep.csv; compare on that file gives every policy and
// point the same rank and k= mark, since one function (results.Versus,
// through results.place) ranks both, on the values as written.
func TestSweepAndCompareRankAlike(t *testing.T) {
	dir := t.TempDir()
	code, table, stderr := runCLI(t, context.Background(), "sweep", "--policies", "none,velocity,aws-quota,queue-size,vegas,aimd",
		"--seeds", "8", "--droplets", "480", "--vary", "dwfm.check_interval=90s,180s", "--out", dir)
	if code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	code, ranked, stderr := runCLI(t, context.Background(), "compare", filepath.Join(dir, "sweep.csv"))
	if code != 0 {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	sweep, cmp := rankColumn(t, table), rankColumn(t, ranked)
	if len(sweep) != 12 || len(cmp) != 12 {
		t.Fatalf("%d sweep rows, %d compare rows, want 12 each:\n%s\n%s", len(sweep), len(cmp), table, ranked)
	}
	marks, ranks := 0, map[string]bool{}
	for k, want := range cmp {
		if sweep[k] != want {
			t.Errorf("%s: sweep's table ranks %q, compare %q", k, sweep[k], want)
		}
		if strings.HasSuffix(want, "=") {
			marks++
		}
		ranks[want] = true
	}
	if marks == 0 || len(ranks) < 3 {
		t.Errorf("the sweep should show ties and separate ranks (%d marks, cells %v):\n%s", marks, ranks, ranked)
	}
}

// TestLiveRankingDoc: docs/live-ranking.md shows compare's table of the
// rows it keeps (docs/live-ranking.csv), notes included, as compare
// prints it from that file today.
func TestLiveRankingDoc(t *testing.T) {
	doc := docstest.Read(t, "docs/live-ranking.md")
	code, out, stderr := runCLI(t, context.Background(), "compare", "--format", "markdown", "--baseline", "none", filepath.Join(docstest.Root(t), "docs", "live-ranking.csv"))
	if code != 0 {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	if !strings.Contains(doc.Text, strings.TrimSpace(out)) {
		t.Errorf("%s lacks compare's table of its rows:\n%s", doc.Path, out)
	}
}
