package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/results"
)

const sweepUsage = `Usage: loadgen sweep [flags]

Run one scenario under many policies (and seeds), in parallel, and compare
them: print a table and write DIR/sweep.csv (summary.csv's columns, one row per
run, in the order given).

Examples:
  loadgen sweep --policies none,operator,queue-size
  loadgen sweep --policies all --droplets 100000 --markdown   # every control, as a Markdown table
  loadgen sweep --policies queue-size,aimd --seeds 5 --out runs/seeds

Flags:
`

func cmdSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scn := fs.String("scenario", DefaultScenario, "preset name or scenario file")
	pols := fs.String("policies", "none,operator,queue-size", "policy specs separated by ';' or ',' between whole specs (a spec's own parameters use ',' after ':'), or 'all'")
	seeds := fs.Int("seeds", 1, "run each policy with seeds 1..N")
	droplets := fs.Int("droplets", 0, "DWFM droplets (0: the scenario's)")
	out := fs.String("out", "out/sweep", "directory for sweep.csv; empty: write no file")
	par := fs.Int("parallel", runtime.GOMAXPROCS(0), "runs at once")
	md := fs.Bool("markdown", false, "print the table as Markdown")
	fs.Usage = func() { fmt.Fprint(stderr, sweepUsage); fs.PrintDefaults() }
	if done, err := parseFlags(fs, args); done || err != nil {
		return err
	}
	if *seeds < 1 || *droplets < 0 || *par < 1 {
		return usagef("sweep: --seeds %d, --droplets %d and --parallel %d must be >= 1, >= 0 and >= 1", *seeds, *droplets, *par)
	}
	sc, err := scenario.Load(*scn)
	if err != nil {
		return usage(err)
	}
	specs := splitSpecs(*pols)
	if len(specs) == 0 {
		return usagef("sweep: --policies is empty")
	}
	var runs []bench.Run
	for _, p := range specs {
		for s := 1; s <= *seeds; s++ {
			r := bench.Run{Scenario: sc, Policy: p, Seed: uint64(s), Droplets: *droplets,
				Stop: func() bool { return ctx.Err() != nil }}
			if _, err := r.Prepare(); err != nil { // every input error before any run
				return usage(fmt.Errorf("sweep: policy %q: %w", p, err))
			}
			runs = append(runs, r)
		}
	}
	var file *results.File
	if *out != "" {
		if file, err = results.Create(*out, "sweep.csv"); err != nil {
			return usage(fmt.Errorf("--out %s: %w", *out, err))
		}
	}
	n := 0
	outs, err := bench.Sweep(runs, *par, func(i int, o bench.Outcome) {
		n++
		fmt.Fprintf(stderr, "[%d/%d] %s seed %d: %s\n", n, len(runs), o.Summary.Policy, o.Summary.Seed, verdict(o.Summary))
	})
	if err != nil {
		if file != nil {
			file.Abandon()
		}
		return err
	}
	var sums []results.Summary
	complete := true
	for _, o := range outs {
		sums = append(sums, o.Summary)
		complete = complete && o.Summary.Complete
	}
	if *md {
		results.WriteMarkdown(stdout, sums)
	} else {
		results.WriteText(stdout, sums)
	}
	if file == nil {
		if !complete {
			return errInterrupted
		}
		return nil
	}
	if err := results.WriteSummaries(file, sums...); err != nil {
		file.Abandon()
		return fmt.Errorf("writing %s: %w", file.Path(), err)
	}
	if !complete {
		name, _ := file.Abandon()
		fmt.Fprintf(stderr, "partial results: %s\n", name)
		return errInterrupted
	}
	if err := file.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s\n", file.Path())
	return nil
}

// splitSpecs splits a list of policy specs. Specs are separated by ';', or by
// ',' where the next item does not look like a parameter (key=value).
func splitSpecs(s string) []string {
	if strings.TrimSpace(s) == "all" {
		return bench.AllPolicies()
	}
	var specs []string
	for _, part := range strings.Split(s, ";") {
		var cur []string
		for _, item := range strings.Split(part, ",") {
			item = strings.TrimSpace(item)
			if len(cur) > 0 && strings.Contains(item, "=") && !strings.Contains(item, ":") {
				cur[len(cur)-1] += "," + item // a parameter of the spec before
				continue
			}
			if item != "" {
				cur = append(cur, item)
			}
		}
		specs = append(specs, cur...)
	}
	return specs
}

func verdict(s results.Summary) string {
	if !s.Recovered {
		return "not recovered"
	}
	return fmt.Sprintf("recovered in %s (%.3f × ideal)", dur(s.RecoveryS), s.Ratio())
}
