package main

import (
	"flag"

	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
	verdicts "github.com/aftershock/aftershock/results/verdict"
)

// assertions are --assert's expressions, parsed as the flags are (a bad one
// is bad input before the run starts).
type assertions []verdicts.Assertion

// assertFlag adds --assert to fs.
func assertFlag(fs *flag.FlagSet) *assertions {
	as := &assertions{}
	fs.Func("assert", "after the run, exit 1 unless every run satisfies `EXPR` over summary.csv's columns (repeatable): recovered, !recovered, recovery_s<7200, recovery_ratio<=1.2, wasted_fraction<0.1; operators < <= > >= == !=", func(v string) error {
		a, err := verdicts.Parse(v)
		*as = append(*as, a)
		return err
	})
	return as
}

// check judges the runs' summaries: nil when every assertion held, else
// Failures, one line per failed assertion (exit 1).
func (as assertions) check(ss ...results.Summary) error {
	var fs cli.Failures
	for _, f := range verdicts.Check(ss, as...) {
		fs = append(fs, f)
	}
	if len(fs) == 0 {
		return nil
	}
	return fs
}
