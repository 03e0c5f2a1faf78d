package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
)

const helpText = `loadgen: aftershock's load generator and simulator: replay the us-east-1
lease-manager collapse of October 2025 (and other scenarios) and measure how
fast each policy brings the service back.

Usage:
  loadgen sim [flags]                   simulate a scenario under a policy; write CSVs
  loadgen sweep [flags]                 compare many policies (and seeds) on one scenario
  loadgen compare [flags] FILE...       rank policies over summary.csv and sweep.csv files, with
                                        intervals and the change against --baseline
  loadgen plot [flags] INPUT... --out F draw runs or a sweep as a PNG or SVG
  loadgen report [flags] DIR|FILE...    merge live attacks' outputs and vegeta result files; print a report
  loadgen merge FILE... [--out FILE]    merge a sharded sweep's files (sweep --shard) into one
  loadgen boundary [flags]              find where a scenario parameter stops the system recovering
  loadgen predict [flags]               predict recovery with the fluid model, in milliseconds (no simulation)
  loadgen serve [flags]                 serve a DWFM scenario over HTTP on loopback, in compressed wall time
  loadgen attack [flags]                replay the surge against serve (in-process by default) or --target
  loadgen rank-live [flags]             rank policies live on loopback, one run at a time; write a file compare ranks
  loadgen scenarios                     list the built-in scenarios
  loadgen scenarios show NAME           print a scenario as an editable file
  loadgen policies                      list policies, their parameters and defaults
  loadgen help [COMMAND]                this text, or a command's
  loadgen version                       the version (also --version)

Examples:
  loadgen sim                                        # us-east-1, no intervention, 10^6 droplets
  loadgen sim --policy queue-size --droplets 1e5     # the announced mitigation, smaller fleet
  loadgen sweep --policies all --droplets 1e5        # every control, side by side
  loadgen scenarios show us-east-1 > mine.toml && loadgen sim --scenario mine.toml

Exit status: 0 ok; 1 a run failed, an --assert failed or compare found a
regression; 2 bad input, with one line on stderr; 130 interrupted (partial
results kept).
Build the binary (go build -o loadgen ./cmd/loadgen) to see them: under
go run every non-zero status becomes 1.

Run 'loadgen COMMAND -h' for a command's flags and examples.
`

const versionHelp = `Usage: loadgen version
       loadgen --version

Print loadgen's version: the module version (devel for a build from a work
tree) and the VCS revision it was built from, when the build recorded one.

Examples:
  loadgen version
  go install ./cmd/loadgen && loadgen --version
`

// app is loadgen with its outside world: where output goes, and how result
// files are written (tests wrap them to emulate a full disk).
type app struct {
	stdin          io.Reader // attack --targets -
	stdout, stderr io.Writer
	wrap           func(name string, w io.Writer) io.Writer // nil in main
}

// wrapFor is a.wrap for the result file name, nil without a.wrap.
func (a app) wrapFor(name string) func(io.Writer) io.Writer {
	if a.wrap == nil {
		return nil
	}
	return func(w io.Writer) io.Writer { return a.wrap(name, w) }
}

func main() {
	ctx, stop := cli.Interruptible(context.Background(), os.Stderr, os.Exit)
	code := app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}.run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit status; every status
// is decided here, from the command's error.
func (a app) run(ctx context.Context, args []string) int {
	err := a.dispatch(ctx, args)
	code, line := cli.Exit(err)
	var fs cli.Failures // verdicts: one line each, "loadgen: verdict: ..."
	if len(args) > 0 && known(args[0]) && args[0] != "help" && args[0] != "version" && !errors.As(err, &fs) {
		line = cli.Tidy(line, args[0])
	}
	if line != "" {
		fmt.Fprintln(a.stderr, line)
	}
	return code
}

// commands are loadgen's subcommands: each parses its own flags.
var commands = []string{"sim", "sweep", "compare", "plot", "report", "merge", "boundary", "predict", "serve", "attack", "rank-live", "scenarios", "policies", "help", "version"}

func (a app) dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return cli.Flagf("loadgen", "no command given (want %s)", strings.Join(commands, ", "))
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "sim":
		return a.sim(ctx, rest)
	case "sweep":
		return a.sweep(ctx, rest)
	case "compare":
		return a.compare(rest)
	case "plot":
		return a.plot(rest)
	case "report":
		return a.report(rest)
	case "merge":
		return a.merge(rest)
	case "boundary":
		return a.boundary(ctx, rest)
	case "predict":
		return a.predict(ctx, rest)
	case "serve":
		return a.serve(ctx, rest)
	case "attack":
		return a.attack(ctx, rest)
	case "rank-live":
		return a.rankLive(ctx, rest)
	case "scenarios":
		return a.scenarios(rest)
	case "policies":
		return a.policies(rest)
	case "version", "-version", "--version":
		return a.version(rest)
	case "help", "-h", "-help", "--help":
		return a.help(ctx, rest)
	default:
		return cli.Flagf("loadgen", "unknown command %q (want %s)", cmd, strings.Join(commands, ", "))
	}
}

// version is loadgen version: it takes no arguments but -h.
func (a app) version(args []string) error {
	if len(args) == 1 && cli.IsHelp(args[0]) {
		fmt.Fprint(a.stdout, versionHelp)
		return nil
	}
	if len(args) > 0 {
		return cli.Flagf("loadgen", "version: takes no arguments, got %q", args[0])
	}
	fmt.Fprintln(a.stdout, "loadgen", cli.Version())
	return nil
}

// helpOpts is help's argument: the command whose help to print ("": the
// overview).
type helpOpts struct{ cmd string }

func (a app) help(ctx context.Context, args []string) error {
	o, err := parseHelp(args)
	if err != nil {
		return err
	}
	return a.runHelp(ctx, o)
}

// parseHelp parses help's arguments: none (or -h), or a known command.
func parseHelp(args []string) (helpOpts, error) {
	switch {
	case len(args) == 0, len(args) == 1 && cli.IsHelp(args[0]):
		return helpOpts{}, nil
	case len(args) == 1 && args[0] != "help" && !strings.HasPrefix(args[0], "-"):
		if args[0] != "version" && !known(args[0]) {
			return helpOpts{}, cli.Flagf("loadgen", "help: unknown command %q (want %s)", args[0], strings.Join(commands, ", "))
		}
		return helpOpts{cmd: args[0]}, nil
	}
	return helpOpts{}, cli.Flagf("loadgen", "help: want 'help' or 'help COMMAND', got %q", args)
}

// runHelp prints the overview, or a command's help (as COMMAND -h).
func (a app) runHelp(ctx context.Context, o helpOpts) error {
	switch o.cmd {
	case "":
		fmt.Fprint(a.stdout, helpText)
		return nil
	case "version":
		fmt.Fprint(a.stdout, versionHelp)
		return nil
	}
	return a.dispatch(ctx, []string{o.cmd, "-h"})
}

func known(cmd string) bool {
	for _, c := range commands {
		if c == cmd {
			return true
		}
	}
	return false
}
