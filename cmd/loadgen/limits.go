package main

import (
	"flag"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
)

// limitFlags registers the flags that lift a run's cost limits (see
// bench.Limits); they start at bench.DefaultLimits.
func limitFlags(fs *flag.FlagSet) *bench.Limits {
	l := bench.DefaultLimits
	fs.Var(cli.Limit{P: &l.Events}, "max-events", "refuse a run estimated to fire more `events` (inf: no limit)")
	fs.Var(cli.Limit{P: &l.Bytes, Bytes: true}, "max-memory", "refuse a run whose model is estimated to hold more live heap than `size` (8GiB; inf: no limit)")
	fs.Var(cli.Limit{P: &l.Rows}, "max-rows", "refuse a run that would write more time-series `rows` (inf: no limit)")
	return &l
}

// checkSweepRun validates one run of a sweep before any starts: its inputs,
// and its estimated cost with parallel runs held at once. With build set
// (the first policy at each varied point) it also builds the model, for the
// checks only a model makes; other runs are estimated without building (a
// model of 10⁷ droplets takes seconds to build).
func checkSweepRun(r bench.Run, l bench.Limits, parallel int, build bool) error {
	e, err := r.Estimate()
	if err != nil {
		return err
	}
	e.Bytes *= float64(parallel)
	if err := l.Check(e); err != nil {
		return err
	}
	if build {
		_, err = r.Prepare()
	}
	return err
}
