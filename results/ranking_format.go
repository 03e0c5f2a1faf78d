package results

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// RankingFormats are the formats WriteRanking writes.
var RankingFormats = []string{"text", "markdown", "csv", "json"}

// RankingHeader is the header of a ranking as CSV; JSON uses the same names.
//
//	scenario, policy, vary, droplets   the point and policy (droplets empty without leases)
//	runs, recovered                    runs, and how many recovered (empty: recovery not defined)
//	recovery_mean_s, _lo_s, _hi_s      mean recovery_s and its 95% interval (Student t), when every run recovered
//	recovery_median_s                  median recovery_s, a run that never recovered counted as inf
//	ratio_mean, ratio_lo, ratio_hi     recovery_ratio likewise
//	wasted_fraction, amplification     means over the runs
//	peak_queue                         the largest of the runs
//	rank, tied_with                    RankedRow.Rank and TiedWith (empty when 0)
//	baseline                           the baseline policy
//	outcome                            against it: baseline, better, worse, tie, no test, no baseline, undefined
//	test                               the test that decided it (Versus): paired-t, sign, welch or fisher; empty for no test
//	pairs                              seeds both ran, which paired-t and sign compare (empty for an unpaired test)
//	change_s, change_lo_s, change_hi_s           recovery_s − the baseline's with its 95% interval: the mean
//	                                             per-seed difference (paired-t) or the difference of means (welch)
//	change_pct, change_lo_pct, change_hi_pct     the same in percent of the baseline's mean over the same runs
//	p                                  the sign test's or Fisher's exact p-value
var RankingHeader = []string{"scenario", "policy", "vary", "droplets", "runs", "recovered",
	"recovery_mean_s", "recovery_lo_s", "recovery_hi_s", "recovery_median_s", "ratio_mean", "ratio_lo", "ratio_hi",
	"wasted_fraction", "amplification", "peak_queue", "rank", "tied_with",
	"baseline", "outcome", "test", "pairs", "change_s", "change_lo_s", "change_hi_s", "change_pct", "change_lo_pct", "change_hi_pct", "p"}

// WriteRanking writes rk in format (one of RankingFormats).
func WriteRanking(w io.Writer, rk Ranking, format string) error {
	switch format {
	case "text":
		return writeRankingText(w, rk)
	case "markdown":
		return writeRankingMarkdown(w, rk)
	case "csv":
		return writeRankingCSV(w, rk)
	case "json":
		return writeRankingJSON(w, rk)
	}
	return fmt.Errorf("results: format %q: want one of %s", format, strings.Join(RankingFormats, ", "))
}

// record is r in RankingHeader's order.
func (rk Ranking) record(r RankedRow) []string {
	rec := []string{r.Scenario, r.Policy, r.Vary, fmtInt(r.Droplets), fmtInt(r.Runs), fmtInt(r.Recovered),
		FormatFloat(r.Recovery.Mean, 3), FormatFloat(r.Recovery.Lo(), 3), FormatFloat(r.Recovery.Hi(), 3), fmtMedian(r.Median),
		FormatFloat(r.Ratio.Mean, 4), FormatFloat(r.Ratio.Lo(), 4), FormatFloat(r.Ratio.Hi(), 4),
		FormatFloat(r.Wasted, 4), FormatFloat(r.Amplification, 4), fmtInt(r.PeakQueue), fmtRank(r.Rank), fmtRank(r.TiedWith),
		rk.Baseline}
	if r.Undefined > 0 {
		rec[5] = Missing
	}
	if c := r.Change; c != nil {
		pairs := Missing
		if c.Pairs > 0 {
			pairs = strconv.Itoa(c.Pairs)
		}
		rec = append(rec, c.Outcome, string(c.Test), pairs, FormatFloat(c.Diff.Diff, 3), FormatFloat(c.Diff.Lo(), 3), FormatFloat(c.Diff.Hi(), 3),
			FormatFloat(c.Percent.Diff, 2), FormatFloat(c.Percent.Lo(), 2), FormatFloat(c.Percent.Hi(), 2), FormatFloat(c.P, 4))
	} else {
		rec = append(rec, make([]string, 10)...)
	}
	return rec
}

func fmtRank(n int) string {
	if n <= 0 {
		return Missing
	}
	return strconv.Itoa(n)
}

func fmtMedian(v float64) string {
	if math.IsInf(v, 1) {
		return "inf"
	}
	return FormatFloat(v, 3)
}

func writeRankingCSV(w io.Writer, rk Ranking) error {
	c := csv.NewWriter(w)
	c.Write(RankingHeader)
	for _, r := range rk.Rows {
		c.Write(rk.record(r))
	}
	c.Flush()
	return c.Error()
}

// writeRankingJSON writes {"baseline": ..., "rows": [{column: value}]}:
// RankingHeader's names, numbers as numbers, an empty value as null (an
// infinite median as the string "inf").
func writeRankingJSON(w io.Writer, rk Ranking) error {
	numeric := map[string]bool{}
	for _, h := range RankingHeader[3:] {
		numeric[h] = true
	}
	for _, h := range []string{"baseline", "outcome", "test"} {
		numeric[h] = false
	}
	var b strings.Builder
	b.WriteString("{\n  \"baseline\": ")
	writeJSONValue(&b, rk.Baseline, false)
	b.WriteString(",\n  \"rows\": [")
	for i, r := range rk.Rows {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    {")
		for j, v := range rk.record(r) {
			if j > 0 {
				b.WriteString(", ")
			}
			h := RankingHeader[j]
			q, _ := json.Marshal(h)
			b.Write(q)
			b.WriteString(": ")
			writeJSONValue(&b, v, numeric[h] && v != "inf")
		}
		b.WriteString("}")
	}
	if len(rk.Rows) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeJSONValue writes v as a JSON number (asNumber), a string, or null
// when empty.
func writeJSONValue(b *strings.Builder, v string, asNumber bool) {
	switch {
	case v == Missing:
		b.WriteString("null")
	case asNumber:
		b.WriteString(v)
	default:
		q, _ := json.Marshal(v)
		b.Write(q)
	}
}

// rankingTable is the header and cells of the text and Markdown tables:
// scenario and droplets columns only when they differ between rows, vary
// only when something was varied, the change column only with a baseline.
func rankingTable(rk Ranking) [][]string {
	scenarios, droplets, varied := map[string]bool{}, map[int]bool{}, false
	for _, r := range rk.Rows {
		scenarios[r.Scenario], droplets[r.Droplets], varied = true, true, varied || r.Vary != ""
	}
	head := []string{}
	if len(scenarios) > 1 {
		head = append(head, "scenario")
	}
	head = append(head, "policy")
	if varied {
		head = append(head, "vary")
	}
	if len(droplets) > 1 {
		head = append(head, "droplets")
	}
	head = append(head, "recovered", "recovery [95% CI]", "median", "ratio [95% CI]", "wasted", "amplification", "peak queue", "rank")
	if rk.Baseline != "" {
		head = append(head, "vs "+rk.Baseline)
	}
	rows := [][]string{head}
	for _, r := range rk.Rows {
		var row []string
		if len(scenarios) > 1 {
			row = append(row, r.Scenario)
		}
		row = append(row, "`"+r.Policy+"`")
		if varied {
			v := "—"
			if r.Vary != "" {
				v = "`" + r.Vary + "`"
			}
			row = append(row, v)
		}
		if len(droplets) > 1 {
			d := "—"
			if r.Droplets >= 0 {
				d = strconv.Itoa(r.Droplets)
			}
			row = append(row, d)
		}
		recovered, recovery, med, ratio := recoveredCell(r), "—", "—", "—"
		if iv := r.Recovery; iv.N > 0 {
			recovery = Seconds(iv.Mean)
			if iv.N > 1 {
				recovery += fmt.Sprintf(" [%s, %s]", Seconds(iv.Lo()), Seconds(iv.Hi()))
			}
		}
		switch {
		case math.IsInf(r.Median, 1):
			med = "never"
		case !math.IsNaN(r.Median):
			med = Seconds(r.Median)
		}
		if iv := r.Ratio; iv.N > 0 {
			ratio = fmt.Sprintf("%.3f", iv.Mean)
			if iv.N > 1 {
				ratio += fmt.Sprintf(" [%.3f, %.3f]", iv.Lo(), iv.Hi())
			}
		}
		row = append(row, recovered, recovery, med, ratio, pctCell(r.Wasted),
			numCell(r.Amplification), peakCell(r.PeakQueue), rankCell(r.Rank, r.TiedWith))
		if r.Change != nil {
			row = append(row, changeCell(r, *r.Change))
		}
		rows = append(rows, row)
	}
	return rows
}

// changeCell says how r compares with the baseline, naming the test.
func changeCell(r RankedRow, c Change) string {
	switch c.Outcome {
	case OutcomeBaseline:
		return "baseline"
	case OutcomeNoBaseline:
		return "— (baseline did not run here)"
	case OutcomeUndefined:
		return "—"
	}
	counts := fmt.Sprintf("%d/%d vs %d/%d recovered", r.Recovered, r.Runs, c.BaseRecovered, c.BaseRuns)
	pct := fmt.Sprintf("%s [%s, %s]", signedPct(c.Percent.Diff), signedPct(c.Percent.Lo()), signedPct(c.Percent.Hi()))
	if math.IsNaN(c.Percent.Diff) && !math.IsNaN(c.Diff.Diff) { // the baseline recovered in 0 s: no percent
		pct = fmt.Sprintf("%s [%s, %s]", signedSeconds(c.Diff.Diff), signedSeconds(c.Diff.Lo()), signedSeconds(c.Diff.Hi()))
	}
	switch c.Test {
	case TestPaired:
		return fmt.Sprintf("%s: %s (paired t, %d seeds)", pct, c.Outcome, c.Pairs)
	case TestWelch:
		return fmt.Sprintf("%s: %s (Welch t)", pct, c.Outcome)
	case TestSign:
		return fmt.Sprintf("%s: %s (sign test p %.3f, %d seeds)", counts, c.Outcome, c.P, c.Pairs)
	case TestFisher:
		return fmt.Sprintf("%s: %s (Fisher p %.3f)", counts, c.Outcome, c.P)
	}
	if math.IsNaN(c.Percent.Diff) {
		return counts + ", no test (1 run)"
	}
	return signedPct(c.Percent.Diff) + ", no test (1 run)"
}

// signedSeconds is seconds as Seconds writes them, with their sign ("−"
// for negative, none for zero).
func signedSeconds(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case v < 0:
		return "−" + Seconds(-v)
	case v > 0:
		return "+" + Seconds(v)
	}
	return Seconds(0)
}

// signedPct is a percentage with its sign, "−" for negative; "0.0%" for
// zero, "−0.0%" for a negative value that rounds to zero.
func signedPct(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	s := fmt.Sprintf("%+.1f%%", v)
	if s == "+0.0%" {
		return "0.0%"
	}
	return strings.Replace(s, "-", "−", 1)
}

func writeRankingMarkdown(w io.Writer, rk Ranking) error {
	if err := markdownTable(w, rankingTable(rk)); err != nil {
		return err
	}
	return writeNotes(w, rk)
}

func writeRankingText(w io.Writer, rk Ranking) error {
	if err := textTable(w, rankingTable(rk)); err != nil {
		return err
	}
	return writeNotes(w, rk)
}

// recoveredCell is a row's runs recovered of its runs, with how many of the
// others were undetermined; "—" when recovery is defined for none.
func recoveredCell(r RankedRow) string {
	if r.Undefined == r.Runs {
		return "—"
	}
	c := fmt.Sprintf("%d/%d", r.Recovered, r.Runs)
	if r.Undetermined > 0 {
		c += fmt.Sprintf(" (%d undetermined)", r.Undetermined)
	}
	return c
}
