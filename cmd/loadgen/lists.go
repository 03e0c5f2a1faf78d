package main

import (
	"errors"
	"fmt"

	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
)

// usage and usagef mark bad input (exit 2) in the listing commands.
func usage(err error) error { return cli.Usage(err) }

func usagef(format string, a ...any) error { return cli.Usage(fmt.Errorf(format, a...)) }

const scenariosHelp = `Usage: loadgen scenarios
       loadgen scenarios show NAME

List the built-in scenarios, or print one as an editable file (with the
comments that give every assumed parameter its reason). Run an edited copy
with 'loadgen sim --scenario ./FILE', under a name of its own (its name =
line): a file named like a preset must be that preset, so that its runs are
never taken for the preset's.

Examples:
  loadgen scenarios
  loadgen scenarios show us-east-1 > mine.toml
  loadgen sim --scenario ./mine.toml --policy queue-size
`

const policiesHelp = `Usage: loadgen policies

List every policy for --policy and --policies: its role, parameters,
defaults, source, and each simplification it makes against that source
("simplified:" lines). A spec is name or name:key=value,...; parts of
different roles join with +.

Examples:
  loadgen policies
  loadgen sim --policy queue-size+deadline-drop
  loadgen sim --policy token-bucket:rate=0.9x,burst=8
`

func (a app) scenarios(args []string) error {
	o, done, err := a.parseScenarios(args)
	if done || err != nil {
		return err
	}
	return a.runScenarios(o)
}

func (a app) policies(args []string) error {
	fs := cli.NewFlagSet("policies")
	if done, err := cli.Parse(fs, args, 0, a.stdout, policiesHelp); done || err != nil {
		return err
	}
	return pointToHelp("policies", cmdPolicies(fs.Args(), a.stdout))
}

// pointToHelp makes a usage error of cmd's arguments point to cmd's help.
func pointToHelp(cmd string, err error) error {
	var u cli.UsageError
	if errors.As(err, &u) && u.Cmd == "" {
		u.Cmd = cmd
		return u
	}
	return err
}
