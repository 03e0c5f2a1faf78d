package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"

	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
)

const compareUsage = `Usage: loadgen compare [flags] BASE.csv NEW.csv

Compare two result files (summary.csv or sweep.csv): runs are matched by
scenario, policy, vary (sweep --vary's values; empty in summary.csv), seed and
droplets; for each, recovery time and ratio to ideal in both files and the
change in recovery time.

Exit status: 0 when no run got worse; 1 when a run of BASE regressed in NEW
(absent, no longer recovers, or recovers more than --threshold later), with
the table still printed; 2 for bad input: a file that cannot be read, is not a
result file, has a duplicate run or an impossible value, or holds a run that
did not complete (unless --allow-incomplete). A UTF-8 byte-order mark is
skipped. Files are limited to 64 KiB per line, 256 MiB and 2^20 rows.

Examples:
  loadgen sweep --policies all --out runs/before
  (change a parameter or the code)
  loadgen sweep --policies all --out runs/after
  loadgen compare runs/before/sweep.csv runs/after/sweep.csv
  loadgen compare --threshold 0.05 --allow-incomplete old/summary.csv out/summary.csv.partial
`

func (a app) compare(args []string) error {
	var (
		allowIncomplete bool
		threshold       float64 = 0.01
	)
	fs := cli.NewFlagSet("compare")
	fs.BoolVar(&allowIncomplete, "allow-incomplete", false, "compare runs that did not complete (complete=false) too")
	fs.Float64Var(&threshold, "threshold", threshold, "a recovery more than this `fraction` later is a regression")
	if done, err := cli.Parse(fs, args, 2, a.stdout, compareUsage); done || err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return cli.Flagf("compare", "want two files, BASE and NEW, got %d", fs.NArg())
	}
	if math.IsNaN(threshold) || threshold < 0 || math.IsInf(threshold, 0) {
		return cli.Flagf("compare", "--threshold %v: want a fraction >= 0", threshold)
	}
	var sets [2][]results.Summary
	for i, name := range fs.Args() {
		ss, err := readResults(name)
		if err != nil {
			return cli.Usage(fmt.Errorf("compare: %w", err))
		}
		if j := results.FirstIncomplete(ss); j >= 0 && !allowIncomplete {
			return cli.Flagf("compare", "%s: run %s did not complete (complete=false); pass --allow-incomplete to compare it anyway", name, results.KeyOf(ss[j]))
		}
		sets[i] = ss
	}
	ps := results.Match(sets[0], sets[1])
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
		return fmt.Errorf("compare: %d of %d runs of %s regressed in %s, first %s", len(worse), len(sets[0]), fs.Arg(0), fs.Arg(1), worse[0].Key)
	}
	return nil
}

// readResults opens and reads one result file.
func readResults(name string) ([]results.Summary, error) {
	f, err := os.Open(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer f.Close()
	ss, err := results.ReadSummaries(name, f)
	if err != nil {
		return nil, err
	}
	return ss, nil
}
