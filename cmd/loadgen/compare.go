package main

import (
	"fmt"
	"io"
	"os"

	"github.com/aftershock/aftershock/results"
)

const compareUsage = `Usage: loadgen compare BASE.csv NEW.csv

Compare two result files (summary.csv or sweep.csv): runs are matched by
scenario, policy, seed and droplets; for each, recovery time and ratio to ideal
in both files and the change in recovery time.

Example:
  loadgen sweep --policies all --out runs/before
  (change a parameter or the code)
  loadgen sweep --policies all --out runs/after
  loadgen compare runs/before/sweep.csv runs/after/sweep.csv
`

func cmdCompare(args []string, stdout, stderr io.Writer) error {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stderr, compareUsage)
		return nil
	}
	if len(args) != 2 {
		fmt.Fprint(stderr, compareUsage)
		return usagef("compare: want two files, got %d arguments", len(args))
	}
	var sets [2][]results.Summary
	for i, name := range args {
		f, err := os.Open(name)
		if err != nil {
			return usage(fmt.Errorf("compare: %w", err))
		}
		sets[i], err = results.ReadSummaries(name, f)
		f.Close()
		if err != nil {
			return usage(err)
		}
	}
	return results.WriteComparison(stdout, results.Match(sets[0], sets[1]))
}
