package main

import (
	"flag"
	"fmt"
	"math"
	"path/filepath"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
)

// defaultMaxTotalEvents bounds the events a sweep or a boundary search is
// estimated to fire in all (its runs' estimates summed): ten times a run's
// limit, some hours on 2 cores for runs that collapse (runs that recover
// cost far less than their estimate).
const defaultMaxTotalEvents = 10 * 1e10

// maxRuns bounds the runs of a sweep: its sweep.csv, one row a run, must
// read back (compare and merge read at most results.MaxRows rows).
const maxRuns = results.MaxRows

// totalFlag registers --max-total-events, the limit on a sweep's (or a
// boundary search's) estimated events in all.
func totalFlag(fs *flag.FlagSet) *float64 {
	v := defaultMaxTotalEvents
	fs.Var(cli.Limit{P: &v}, "max-total-events", "refuse a sweep estimated to fire more `events` in all, its runs' estimates summed (inf: no limit)")
	return &v
}

// checkTotal refuses runs estimated to fire events in all above limit,
// saying how to make them fewer (hint) or lift the limit.
func checkTotal(cmd string, runs, events, limit float64, hint string) error {
	if events > limit || math.IsNaN(events) {
		return cli.Usage(fmt.Errorf("%s: too large: %.3g runs estimated at about %.3g events in all (limit %.3g); %s, or raise the limit with --max-total-events (inf: none)",
			cmd, runs, events, limit, hint))
	}
	return nil
}

// limitFlags registers the flags that lift a run's cost limits (see
// bench.Limits); they start at bench.DefaultLimits.
func limitFlags(fs *flag.FlagSet) *bench.Limits {
	l := bench.DefaultLimits
	fs.Var(cli.Limit{P: &l.Events}, "max-events", "refuse a run estimated to fire more `events` (inf: no limit)")
	fs.Var(cli.Limit{P: &l.Bytes, Bytes: true}, "max-memory", fmt.Sprintf("refuse a run whose model is estimated to hold more live heap than `size` (%dGiB; inf: no limit)", int64(bench.DefaultLimits.Bytes)>>30))
	fs.Var(cli.Limit{P: &l.Rows}, "max-rows", "refuse a run that would write more time-series `rows` (inf: no limit)")
	return &l
}

// checkSweepRun validates one run of a sweep before any starts: its inputs,
// and its estimated cost with parallel runs held at once. With build set
// (the first policy at each varied point) it also builds the model, for the
// checks only a model makes; other runs are estimated without building (a
// model of 10⁷ droplets takes seconds to build).
func checkSweepRun(r bench.Run, l bench.Limits, parallel int, build bool) (bench.Estimate, error) {
	e, err := r.Estimate()
	if err != nil {
		return e, err
	}
	held := e
	held.Bytes *= float64(parallel)
	if err := l.Check(held); err != nil {
		return e, err
	}
	if build {
		_, err = r.Prepare()
	}
	return e, err
}

// overInputs refuses an output directory whose files (names) would replace
// one of the command's inputs (its scenario file, a targets file, a
// certificate): the run would destroy what it read.
func overInputs(cmd, dir string, names []string, inputs ...string) error {
	var files []string
	for _, in := range inputs {
		if in != "" && in != "-" && cli.IsPath(in) {
			files = append(files, in)
		}
	}
	if dir == "" || len(files) == 0 {
		return nil
	}
	for _, n := range names {
		if in := results.Clobbers(filepath.Join(dir, n), files...); in != "" {
			return cli.Flagf(cmd, "--out %q: writing %s there would replace input %q", dir, n, in)
		}
	}
	return nil
}
