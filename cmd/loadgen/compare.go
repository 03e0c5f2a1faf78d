package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
)

const compareUsage = `Usage: loadgen compare [flags] FILE...
       loadgen compare [--threshold F] BASE.csv NEW.csv

Rank the policies of result files (summary.csv and sweep.csv, any number,
pooled, and the summary.csv of loadgen attack, its time scale as a vary
value; shards merged first with loadgen report --format csv): runs are
grouped by scenario, policy, vary values and droplets, and
each point's policies ranked, one row each: runs recovered k/n; recovery_s's
mean with its 95% interval (Student t; only when every run recovered) and
median (a run that never recovered counts as never); recovery_ratio's mean
and interval; wasted_fraction and amplification (means over the runs that
have one); peak_queue (the largest); rank (the largest share of runs
recovered first, then the least mean recovery, so fewer recovered of the
same seeds never ranks above more; "r (k=)" marks a policy ranked r that the
test below cannot tell from the one ranked k, the best-ranked such, and "k=" that
one); a point whose policies ran different seeds is noted under the text and
Markdown tables, each policy's seeds named (a share recovered over other
seeds is not the same runs), and so is one where a policy that recovered on
every run compared ties with one that recovered on none because the test
has too few runs (the note gives its least p). loadgen sweep's table ranks
the same way, with the same notes.

The test, at 5% two-sided: runs of the same seed are paired (a seed fixes
every droplet's phase, lease and work for every policy). With two or more
seeds in common: when each of them recovered on both sides or on neither,
the paired t interval on the per-seed differences of recovery_s; when some
recovered on one side only, the exact sign test on which recovered first on
each seed (never is last; McNemar's test on recovered or not alone), which
needs 6 seeds to tell never from always (5 all one way: p 0.0625). Runs of
other seeds: Welch's t on recovery_s when every run recovered, else Fisher's
exact test on runs recovered. One run a side allows no test, and no mark.

--baseline POLICY adds the change against that policy at each point by that
test: the mean difference of recovery_s (per seed when paired) with its
interval, in percent of the baseline's mean, or runs recovered and the
p-value; better, worse, or a tie.

Two files that share runs (before and after a change: any run in both) are
compared run by run instead: recovery time and ratio to ideal in each, and the change;
exit 1 when a run of BASE regressed in NEW (absent, no longer recovers, or
recovers more than --threshold later), with the table still printed.

Exit status 2 for bad input: a file that cannot be read, is not a result file,
has a duplicate run or an impossible value, or holds a run that did not
complete (unless --allow-incomplete; an attack that did not keep up, kept_up=false,
counts as one); a run in two of three or more files; an
unknown --baseline. A UTF-8 byte-order mark is skipped. Files are limited to
64 KiB per line, 256 MiB and 2^20 rows each.

Examples:
  loadgen compare --baseline none runs/all/sweep.csv      # after sweep --policies all --seeds 5
  loadgen compare --format markdown --baseline none a/summary.csv b/summary.csv c/sweep.csv
  loadgen compare --format json runs/all/sweep.csv > ranking.json
  loadgen compare --threshold 0.05 runs/before/sweep.csv runs/after/sweep.csv   # the same runs: run by run
`

// compareOpts are compare's flags and files.
type compareOpts struct {
	allowIncomplete  bool
	threshold        float64
	baseline, format string
	files            []string
	set              map[string]bool // the flags given
}

func (a app) compare(args []string) error {
	o, done, err := a.parseCompare(args)
	if done || err != nil {
		return err
	}
	return a.runCompare(o)
}

// parseCompare parses compare's flags; done: help was printed.
func (a app) parseCompare(args []string) (o compareOpts, done bool, err error) {
	o.threshold = 0.01
	fs := cli.NewFlagSet("compare")
	fs.BoolVar(&o.allowIncomplete, "allow-incomplete", false, "compare runs that did not complete (complete=false) too")
	fs.Float64Var(&o.threshold, "threshold", o.threshold, "two files of the same runs: a recovery more than this `fraction` later is a regression")
	fs.StringVar(&o.baseline, "baseline", "", "compare every policy with `POLICY` (as written in the files) at each point")
	fs.StringVar(&o.format, "format", "text", "ranked table as `text`, markdown, csv or json")
	if done, err := cli.Parse(fs, args, -1, a.stdout, compareUsage); done || err != nil {
		return o, done, err
	}
	if fs.NArg() == 0 {
		return o, false, cli.Flagf("compare", "want one or more result files (summary.csv, sweep.csv)")
	}
	for _, arg := range fs.Args() {
		if strings.HasPrefix(arg, "-") && len(arg) > 1 {
			return o, false, cli.Flagf("compare", "unexpected argument %q (flags go before arguments)", arg)
		}
	}
	if math.IsNaN(o.threshold) || o.threshold < 0 || math.IsInf(o.threshold, 0) {
		return o, false, cli.Flagf("compare", "--threshold %v: want a fraction >= 0", o.threshold)
	}
	if !slices.Contains(results.RankingFormats, o.format) {
		return o, false, cli.Flagf("compare", "--format %q: want one of %s", o.format, strings.Join(results.RankingFormats, ", "))
	}
	o.files, o.set = fs.Args(), map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	return o, false, nil
}

func (a app) runCompare(o compareOpts) error {
	sets := make([][]results.Summary, len(o.files))
	for i, name := range o.files {
		ss, err := readResults(name)
		if err != nil {
			return cli.Usage(fmt.Errorf("compare: %w", err))
		}
		if len(ss) == 0 {
			return cli.Usage(fmt.Errorf("compare: %q holds no runs (a header and no row)", name))
		}
		if j := results.FirstIncomplete(ss); j >= 0 && !o.allowIncomplete {
			return cli.Flagf("compare", "%q: run %s did not complete (complete=false, or an attack's kept_up=false); pass --allow-incomplete to compare it anyway", name, results.KeyOf(ss[j]))
		}
		sets[i] = ss
	}
	if len(sets) == 2 && shareRuns(sets[0], sets[1]) {
		for _, f := range []string{"baseline", "format"} {
			if o.set[f] {
				return cli.Flagf("compare", "--%s ranks pooled runs, but %q and %q hold the same runs, which are compared run by run", f, o.files[0], o.files[1])
			}
		}
		return a.comparePairs(o.files[0], o.files[1], sets[0], sets[1], o.threshold)
	}
	if o.set["threshold"] {
		return cli.Flagf("compare", "--threshold is for two files of the same runs (before and after), compared run by run; these files' runs differ")
	}
	return a.rankPooled(o, sets)
}

// rankPooled ranks the runs of every file together.
func (a app) rankPooled(o compareOpts, sets [][]results.Summary) error {
	var all []results.Summary
	from := map[results.Key]string{}
	for i, ss := range sets {
		for _, s := range ss {
			k := results.KeyOf(s)
			if f, dup := from[k]; dup {
				return cli.Usage(fmt.Errorf("compare: run %s is in both %q and %q: files pooled for ranking must hold different runs", k, f, o.files[i]))
			}
			from[k] = o.files[i]
		}
		all = append(all, ss...)
	}
	rk, err := results.Rank(all, o.baseline)
	if err != nil {
		return cli.Flagf("compare", "--baseline: %v", err)
	}
	if err := results.WriteRanking(a.stdout, rk, o.format); err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	return nil
}

// shareRuns reports whether a and b hold a run with the same key.
func shareRuns(a, b []results.Summary) bool {
	keys := make(map[results.Key]bool, len(a))
	for _, s := range a {
		keys[results.KeyOf(s)] = true
	}
	for _, s := range b {
		if keys[results.KeyOf(s)] {
			return true
		}
	}
	return false
}

// comparePairs compares two files of the same runs run by run.
func (a app) comparePairs(baseName, newName string, base, next []results.Summary, threshold float64) error {
	ps := results.Match(base, next)
	if err := results.WriteComparison(a.stdout, ps); err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	var worse []results.Pair
	for _, p := range ps {
		if p.Regressed(threshold) {
			worse = append(worse, p)
		}
	}
	if len(worse) > 0 {
		return fmt.Errorf("compare: %d of %d runs of %q regressed in %q, first %s", len(worse), len(base), baseName, newName, worse[0].Key)
	}
	return nil
}

// readResults opens and reads one result file: a sim or sweep summary, or
// an attack's.
func readResults(name string) ([]results.Summary, error) {
	if isAttackSummary(name) {
		return readAttackSummary(name)
	}
	f, err := os.Open(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%q: %w", name, err)
	}
	defer f.Close()
	ss, err := results.ReadSummaries(name, f)
	if err != nil {
		return nil, err
	}
	return ss, nil
}
