package main

import (
	"flag"
	"fmt"

	"github.com/aftershock/aftershock/bench/cascade"

	"github.com/aftershock/aftershock/bench/live/record"
	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
	verdicts "github.com/aftershock/aftershock/results/verdict"
)

// assertions are --assert's expressions, parsed as the flags are (a bad one
// is bad input before the run starts).
type assertions []verdicts.Assertion

// runAssertions are sim's and sweep's --assert: expressions over the
// columns of the runs' summary.csv, a model's own columns included (a
// cascade's: conn_error_share<0.2, event_end_clock==...). A flag's
// expression is checked as it is parsed against every column any model
// writes; over parses it again against the run's own (a column another
// model writes is refused there, before any run).
type runAssertions struct {
	exprs []string
	as    assertions
}

// anyColumns are the columns of every kind of summary row (Table.Parse
// checks an expression's syntax against them).
var anyColumns = verdicts.Sweep.With(cascade.SummaryColumns)

// assertFlag adds --assert to fs.
func assertFlag(fs *flag.FlagSet) *runAssertions {
	ra := &runAssertions{}
	fs.Func("assert", "after the run, exit 1 unless every run satisfies `EXPR` over summary.csv's columns, a cascade's own included (repeatable): recovered, !recovered, recovery_s<7200, recovery_ratio<=1.2, wasted_fraction<0.1, conn_error_share<0.2; operators < <= > >= == !=", func(v string) error {
		_, err := anyColumns.Parse(v)
		ra.exprs = append(ra.exprs, v)
		return err
	})
	return ra
}

// over parses the expressions against the columns of the summary rows of
// scenario: the standard ones and its model's own (bench.SummaryColumns).
// An expression over a column the runs do not write is bad input (exit 2),
// before any run.
func (ra *runAssertions) over(scenario string, own []string) error {
	t := verdicts.Sweep.With(own)
	ra.as = ra.as[:0]
	for _, e := range ra.exprs {
		a, err := t.Parse(e)
		if err != nil {
			return cli.Usage(fmt.Errorf("--assert: scenario %s's summary: %w", scenario, err))
		}
		ra.as = append(ra.as, a)
	}
	return nil
}

// check judges the runs' summaries (over must have parsed the expressions
// for them): nil when every assertion held, else Failures, one line per
// failed assertion (exit 1).
func (ra *runAssertions) check(ss ...results.Summary) error { return ra.as.check(ss...) }

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

// attackColumns are the columns of an attack's summary.csv that attack
// --assert judges: every one of them.
var attackColumns = verdicts.Table{
	Columns: record.SummaryHeader,
	Bool:    []string{"recovered", "kept_up", "complete"},
	Text:    []string{"scenario", "policy", "shard"},
	Clock:   []string{"start", "recovered_clock"},
}

// attackAssertFlag adds attack's --assert to fs: expressions over the
// attack's own summary.csv columns, as k6's thresholds are over its metrics.
func attackAssertFlag(fs *flag.FlagSet) *assertions {
	as := &assertions{}
	fs.Func("assert", "after the attack, exit 1 unless its summary satisfies `EXPR` over summary.csv's columns (repeatable): kept_up, unsent==0, timed_out==0, p99_ms<100, recovered, recovery_s<5m; operators < <= > >= == !=", func(v string) error {
		a, err := attackColumns.Parse(v)
		*as = append(*as, a)
		return err
	})
	return as
}

// checkAttack judges an attack's summary as summary.csv holds it: nil when
// every assertion held, else Failures, one line per failed assertion
// (exit 1).
func (as assertions) checkAttack(s record.Summary) error {
	key, _ := attackRow(s) // names the run in the failure's line
	rec := s.Record()
	var fs cli.Failures
	for _, a := range as {
		if ok, v := a.HoldsRecord(rec); !ok {
			fs = append(fs, verdicts.Failure{Assertion: a, Failed: 1, Rows: 1, First: key, Value: v})
		}
	}
	if len(fs) == 0 {
		return nil
	}
	return fs
}
