package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// errInterrupted ends a run stopped by a signal.
var errInterrupted = errors.New("interrupted")

// usageError is bad input: exit status 2.
type usageError struct{ error }

func usage(err error) error { return usageError{err} }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

const helpText = `loadgen: aftershock's load generator and simulator: replay the us-east-1
lease-manager collapse of October 2025 (and other scenarios) and measure how
fast each policy brings the service back.

Usage:
  loadgen sim [flags]             simulate a scenario under a policy; write CSVs
  loadgen sweep [flags]           compare many policies (and seeds) on one scenario
  loadgen compare BASE.csv NEW.csv  compare two summary.csv or sweep.csv files run by run
  loadgen scenarios               list the built-in scenarios
  loadgen scenarios show NAME     print a scenario as an editable file
  loadgen policies                list policies, their parameters and defaults
  loadgen help                    this text

Examples:
  loadgen sim                                        # us-east-1, no intervention, 10^6 droplets
  loadgen sim --policy operator                      # what the operators did at 04:14
  loadgen sim --policy queue-size --droplets 100000  # the announced mitigation, smaller fleet
  loadgen sim --policy token-bucket:rate=0.9x,burst=8 --seed 7 --out runs/tb
  loadgen sweep --policies all --droplets 100000             # every control, side by side
  loadgen scenarios show us-east-1 > mine.toml && loadgen sim --scenario mine.toml

Run 'loadgen sim -h' for the flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdout, stderr)
	var u usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errInterrupted):
		fmt.Fprintln(stderr, "loadgen: interrupted; partial results kept")
		return 130
	case errors.As(err, &u):
		fmt.Fprintln(stderr, "loadgen:", oneLine(err.Error()))
		return 2
	default:
		fmt.Fprintln(stderr, "loadgen:", oneLine(err.Error()))
		return 1
	}
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, helpText)
		return usagef("no command given (want sim, sweep, compare, scenarios or policies)")
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "sim":
		return cmdSim(ctx, rest, stdout, stderr)
	case "sweep":
		return cmdSweep(ctx, rest, stdout, stderr)
	case "compare":
		return cmdCompare(rest, stdout, stderr)
	case "scenarios":
		return cmdScenarios(rest, stdout)
	case "policies":
		return cmdPolicies(rest, stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, helpText)
		return nil
	default:
		return usagef("unknown command %q (want sim, sweep, compare, scenarios or policies; see loadgen help)", cmd)
	}
}

// parseFlags parses a subcommand's flags. done is true when -h was asked for
// (usage printed, nothing to run); a bad flag or a stray argument is bad
// input.
func parseFlags(fs *flag.FlagSet, args []string) (done bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, usage(fmt.Errorf("%s: %v", fs.Name(), err))
	}
	if fs.NArg() > 0 {
		return false, usagef("%s: unexpected argument %q (flags only; see loadgen %s -h)", fs.Name(), fs.Arg(0), fs.Name())
	}
	return false, nil
}

// oneLine keeps an error message to one line.
func oneLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
