package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/aftershock/aftershock/bench/live/record"
	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
)

const reportUsage = `Usage: loadgen report [flags] DIR|FILE...

Merge what live attacks measured and print one report. A DIR is an attack's
--out directory (summary.csv, timeseries.csv, latency.hlog, results.bin); a
FILE is a plain vegeta results file in any of vegeta's encodings (gob, JSON,
CSV), such as 'vegeta attack' writes. Latency histograms are merged bucket by
bucket and percentiles read from the merge, never averaged, by nearest rank
(the p-th of n latencies is the one at rank ⌈p·n/100⌉, as HdrHistogram's
reference implementation reads it; vegeta report interpolates a t-digest,
and may differ by one latency's rank); counts add up.

Directories must come from one attack: the same scenario, policy, seed, time
scale and start time (--start-at), and distinct shards of the same n (--shard
i/n): all n, or one alone (some but not all is refused, naming those missing:
the totals and recovery would leave their droplets out; one alone is
reported as that shard only). Rows are one per interval of model time, the
last one ending at the attack's end (its span partial, its goodput over that
span); shards' rows are added interval by interval, a shard's last row in
the interval that holds it, and a shard that ended earlier counts in later
rows with its droplets as it left them (nothing more sent or finished). The
merged attack recovered when every shard did, recovery_s is the latest
shard's. Vegeta files add to
the counts and latencies only. Latencies are wall-clock milliseconds from the
intended send time (no coordinated omission); an attempt never sent (unsent)
is a result too, its latency running to its attack's end. Shards' unsent
attempts add up; the merged attack kept up (kept_up) when every shard did.
Directories written before the unsent and kept_up columns still read
(unsent 0, kept_up not recorded).

--format csv prints summary.csv's header and the merged row; json the same
fields as one object. --timeseries writes the merged timeseries.csv
(atomically, as FILE.partial until complete).

Exit status: 0 ok; 2 bad input (a missing or unreadable source, a file that
is not a results file, an interrupted attack's directory, sources from
different attacks, the same results twice: a source given twice or a file
inside a directory also given), with one line on stderr.

Examples:
  loadgen report out/attack
  loadgen report --format csv shard1 shard2 > merged.csv
  loadgen report --timeseries merged/timeseries.csv host-a/out host-b/out
  loadgen report results.bin vegeta-run.bin
`

// reportOpts are report's arguments, checked.
type reportOpts struct {
	format, tsFile string
	sources        []string
}

// parseReport reads report's flags and sources.
func (a app) parseReport(args []string) (o reportOpts, done bool, err error) {
	fs := cli.NewFlagSet("report")
	fs.StringVar(&o.format, "format", "text", "output `format`: text, csv or json")
	fs.StringVar(&o.tsFile, "timeseries", "", "also write the merged timeseries.csv to `FILE`")
	if done, err := cli.Parse(fs, args, -1, a.stdout, reportUsage); done || err != nil {
		return o, done, err
	}
	if fs.NArg() == 0 {
		return o, false, cli.Flagf("report", "want at least one attack directory or vegeta results file")
	}
	for _, arg := range fs.Args() {
		if strings.HasPrefix(arg, "-") && len(arg) > 1 {
			return o, false, cli.Flagf("report", "unexpected argument %q (flags go before arguments)", arg)
		}
	}
	switch o.format {
	case "text", "csv", "json":
	default:
		return o, false, cli.Flagf("report", "--format %q: want text, csv or json", o.format)
	}
	o.sources = fs.Args()
	if err := overlap(o.sources); err != nil {
		return o, false, cli.Flagf("report", "%v", err)
	}
	if o.tsFile != "" {
		if in := results.Clobbers(o.tsFile, sourceFiles(o.sources)...); in != "" {
			return o, false, cli.Flagf("report", "--timeseries %q would replace input %q: write the merged time series elsewhere", o.tsFile, in)
		}
	}
	return o, false, nil
}

func (a app) report(args []string) error {
	o, done, err := a.parseReport(args)
	if done || err != nil {
		return err
	}
	return a.runReport(o)
}

// runReport reads and merges the sources, then prints the report.
func (a app) runReport(o reportOpts) error {
	format, tsFile := o.format, o.tsFile
	runs := make([]*record.Run, 0, len(o.sources))
	for _, src := range o.sources {
		r, err := record.Open(src)
		if err != nil {
			return cli.Usage(fmt.Errorf("report: %w", err))
		}
		runs = append(runs, r)
	}
	m, err := record.Merge(runs...)
	if err != nil {
		return cli.Usage(fmt.Errorf("report: %w", err))
	}
	if tsFile != "" {
		if m.Attacks == 0 {
			return cli.Flagf("report", "--timeseries: no attack directory among the sources, only vegeta files")
		}
		if err := a.writeTimeSeries(tsFile, m.Rows); err != nil {
			return fmt.Errorf("report: --timeseries %q: %w", tsFile, err)
		}
	}
	switch format {
	case "csv":
		err = writeReportCSV(a.stdout, m.Summary)
	case "json":
		err = writeReportJSON(a.stdout, m.Summary, m.Breakdown)
	default:
		err = writeReportText(a.stdout, m)
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// overlap refuses sources that hold the same results twice: one given
// twice (by any name: a symlink, a path through one), or a file inside a
// directory also given (DIR and DIR/results.bin): their results would
// count twice. Sources that do not exist are left to the reader.
func overlap(srcs []string) error {
	type src struct{ name, real string }
	var dirs, files []src
	seen := map[string]string{}
	for _, name := range srcs {
		real, err := filepath.EvalSymlinks(name)
		if err == nil {
			real, err = filepath.Abs(real)
		}
		st, serr := os.Stat(name)
		if err != nil || serr != nil {
			continue
		}
		if first, dup := seen[real]; dup {
			return fmt.Errorf("%q and %q are the same source: its results would count twice", first, name)
		}
		seen[real] = name
		if st.IsDir() {
			dirs = append(dirs, src{name, real})
		} else {
			files = append(files, src{name, real})
		}
	}
	for _, f := range files {
		for _, d := range dirs {
			if rel, err := filepath.Rel(d.real, f.real); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return fmt.Errorf("%q is inside %q, also given: its results would count twice (give the directory, or the file)", f.name, d.name)
			}
		}
	}
	return nil
}

// sourceFiles are the files report reads for its sources: a directory's
// attack files, a file itself.
func sourceFiles(srcs []string) []string {
	var out []string
	for _, src := range srcs {
		out = append(out, src)
		if st, err := os.Stat(src); err == nil && st.IsDir() {
			for _, n := range []string{record.SummaryFile, record.TimeSeriesFile, record.LatencyFile, record.ResultsFile} {
				out = append(out, filepath.Join(src, n))
			}
		}
	}
	return out
}

// writeTimeSeries writes the merged rows to name atomically.
func (a app) writeTimeSeries(name string, rows []record.Row) error {
	f, err := results.CreateWrapped(filepath.Dir(name), filepath.Base(name), a.wrapFor(filepath.Base(name)))
	if err != nil {
		return cli.Usage(err) // unwritable: bad input; a failed write is not
	}
	c := csv.NewWriter(f)
	c.Write(record.TimeSeriesHeader)
	for _, r := range rows {
		c.Write(r.Record())
	}
	c.Flush()
	if err := errors.Join(c.Error(), f.Err()); err != nil {
		f.Abandon()
		return err
	}
	return f.Commit()
}

func writeReportCSV(w io.Writer, s record.Summary) error {
	c := csv.NewWriter(w)
	c.Write(record.SummaryHeader)
	c.Write(s.Record())
	c.Flush()
	return c.Error()
}

// writeReportJSON writes the summary's columns as one object: numbers as
// numbers, true/false as booleans, an empty field as null; then, as vegeta's
// JSON report has them, status_codes (code: count) and error_kinds (the most
// frequent kinds, counted).
func writeReportJSON(w io.Writer, s record.Summary, bd record.Breakdown) error {
	var b strings.Builder
	b.WriteString("{")
	for i, v := range s.Record() {
		if i > 0 {
			b.WriteString(",")
		}
		k, _ := json.Marshal(record.SummaryHeader[i])
		b.Write(k)
		b.WriteString(":")
		switch name := record.SummaryHeader[i]; {
		case v == "":
			b.WriteString("null")
		case v == "true" || v == "false":
			b.WriteString(v)
		case name != "scenario" && name != "policy" && name != "shard" && name != "start" && name != "recovered_clock" && isNumber(v):
			b.WriteString(v)
		default:
			q, _ := json.Marshal(v)
			b.Write(q)
		}
	}
	codes := map[string]int64{}
	for c, n := range bd.Codes {
		codes[strconv.Itoa(int(c))] = n
	}
	cj, _ := json.Marshal(codes)
	b.WriteString(`,"status_codes":`)
	b.Write(cj)
	type kind struct {
		Error string `json:"error"`
		Count int64  `json:"count"`
	}
	kinds := []kind{}
	for _, e := range bd.Top(topErrors) {
		kinds = append(kinds, kind{e.Error, e.Count})
	}
	ej, _ := json.Marshal(kinds)
	b.WriteString(`,"error_kinds":`)
	b.Write(ej)
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// topErrors is how many kinds of error a report lists.
const topErrors = 10

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func writeReportText(w io.Writer, m *record.Run) error {
	s := m.Summary
	var b strings.Builder
	fmt.Fprintf(&b, "sources       %s, %s: %s\n", plural(m.Attacks, "attack directory", "attack directories"),
		plural(len(m.Sources)-m.Attacks, "vegeta file", "vegeta files"), strings.Join(m.Sources, " "))
	if m.Attacks > 0 {
		shard := "all"
		if s.Shard != "" {
			shard = s.Shard + " ONLY: the other shards' droplets and attempts are not in these numbers"
		}
		fmt.Fprintf(&b, "attack        scenario %s, policy %s, seed %d, droplets %s, time scale %s, start %s, shards %s\n",
			s.Scenario, s.Policy, s.Seed, dashIfNegative(s.Droplets), num(s.TimeScale, 3), s.Start, shard)
		rec := "not defined (no trigger)"
		switch {
		case s.Undefined:
		case s.Recovered:
			rec = fmt.Sprintf("yes, %s model s after the trigger's end", num(s.RecoveryS, 3))
			if s.RecoveredClock != "" {
				rec += " (" + s.RecoveredClock + ")"
			}
		default:
			rec = "no"
		}
		fmt.Fprintf(&b, "recovered     %s\n", rec)
		fmt.Fprintf(&b, "schedule      scheduled %d, sent %d, unsent %d", s.Scheduled, s.Sent, s.Counts.Unsent)
		if s.Counts.Unsent > 0 && s.Scheduled > 0 {
			fmt.Fprintf(&b, " (%.1f%%)", 100*float64(s.Counts.Unsent)/float64(s.Scheduled))
		}
		fmt.Fprintf(&b, "; peak queue %s\n", dashIfNegative(s.PeakQueue))
		switch {
		case s.KeptUpUnknown:
			fmt.Fprintf(&b, "kept up       not recorded (written before kept_up)\n")
		case s.KeptUp:
			fmt.Fprintf(&b, "kept up       yes\n")
		default:
			fmt.Fprintf(&b, "kept up       NO: the attacker did not keep to its schedule (over 1%% of attempts unsent or late, or one too late): the machine, not the target, shaped these numbers\n")
		}
	}
	c := s.Counts
	fmt.Fprintf(&b, "attempts      %d results: %d first, %d retries (amplification %s)\n", c.Completed, c.First, c.Retries, num(s.Amplification(), 4))
	pct := func(n int64) string {
		if c.Completed == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(c.Completed))
	}
	fmt.Fprintf(&b, "outcomes      good %d (%s), rejected %d (%s), errors %d (%s), timed out %d (%s), unsent %d (%s)\n",
		c.Good, pct(c.Good), c.Rejected, pct(c.Rejected), c.Failed, pct(c.Failed), c.TimedOut, pct(c.TimedOut), c.Unsent, pct(c.Unsent))
	writeBreakdown(&b, m.Breakdown, c.Completed)
	l := s.Latency
	fmt.Fprintf(&b, "latency ms    mean %s, p50 %s, p90 %s, p99 %s, p99.9 %s, max %s (wall clock from the intended send time)\n",
		num(l.Mean, 3), num(l.P50, 3), num(l.P90, 3), num(l.P99, 3), num(l.P999, 3), num(l.Max, 3))
	if m.Attacks > 0 {
		fmt.Fprintf(&b, "run           complete %t, %s model s in %d rows, wall %s s\n", s.Complete, num(s.SimS, 3), len(m.Rows), num(s.WallS, 3))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeBreakdown writes the status codes and the most frequent errors, each
// kind counted once (not one line per URL, as vegeta report's error set).
func writeBreakdown(b *strings.Builder, bd record.Breakdown, total int64) {
	if len(bd.Codes) == 0 {
		return
	}
	codes := make([]int, 0, len(bd.Codes))
	for c := range bd.Codes {
		codes = append(codes, int(c))
	}
	sort.Ints(codes)
	parts := make([]string, len(codes))
	for i, c := range codes {
		what := ""
		if c == 0 {
			what = " (no answer)"
		}
		parts[i] = fmt.Sprintf("%d%s %d (%.1f%%)", c, what, bd.Codes[uint16(c)], 100*float64(bd.Codes[uint16(c)])/float64(max(total, 1)))
	}
	fmt.Fprintf(b, "status codes  %s\n", strings.Join(parts, ", "))
	top := bd.Top(topErrors)
	if len(top) == 0 {
		return
	}
	var n int64
	for _, e := range bd.Errors {
		n += e
	}
	n += bd.Other
	fmt.Fprintf(b, "errors        %d results with an error, %s; the most frequent:\n", n, plural(len(bd.Errors), "kind", "kinds"))
	for _, e := range top {
		fmt.Fprintf(b, "  %10d  %s\n", e.Count, e.Error)
	}
	if rest := n - sumCounts(top); rest > 0 {
		fmt.Fprintf(b, "  %10d  (other kinds)\n", rest)
	}
}

func sumCounts(es []record.ErrorCount) int64 {
	var n int64
	for _, e := range es {
		n += e.Count
	}
	return n
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func num(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

func dashIfNegative(v int64) string {
	if v < 0 {
		return "-"
	}
	return strconv.FormatInt(v, 10)
}
