package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/results"
)

func cmdPolicies(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return usagef("policies: takes no arguments, got %q", args)
	}
	fmt.Fprintln(stdout, "Policies for --policy. Syntax: name or name:key=value,key=value; join parts of")
	fmt.Fprintln(stdout, "different roles with +. Rates: per second (0.25) or times the host's capacity (0.8x).")
	for _, n := range policy.Names() {
		printPolicy(stdout, n, "", "simplified")
	}
	fmt.Fprintln(stdout, "\nLive mode only (loadgen serve, loadgen attack; loadgen sim refuses them): real libraries,")
	fmt.Fprintln(stdout, "unmodified, at their own defaults. They read the wall clock, so their durations are wall")
	fmt.Fprintln(stdout, "time: under --time-scale S a duration d spans d·S of model time (at 60x, delay=1s is a model")
	fmt.Fprintln(stdout, "minute and a 60 s default an hour); a rate written Nx is N × the host's capacity per model")
	fmt.Fprintln(stdout, "second, converted to wall time; a plain rate is per wall second. The live-realtime scenario")
	fmt.Fprintln(stdout, "runs at time scale 1, where nothing is scaled: prefer it.")
	for _, n := range policy.LiveNames() {
		printPolicy(stdout, n, ", live only", "note")
	}
	fmt.Fprintln(stdout, "\nCascade bundles (a cascade only, us-east-1-cascade or a file with [stages]: a bare --policy NAME sets every stage;")
	fmt.Fprintln(stdout, "stage=SPEC overrides one stage, e.g. --policy operator --policy nlb=velocity):")
	for _, n := range cascade.BundleNames {
		b := cascade.Bundles[n]
		fmt.Fprintf(stdout, "\n%s: dwfm=%s netprop=%s nlb=%s\n  %s\n", n, orNone(b.DWFM), orNone(b.NetProp), orNone(b.NLB), cascade.BundleDocs[n])
	}
	return nil
}

// printPolicy lists one policy: its roles (and what more), doc, source,
// parameters and notes (each line headed by what).
func printPolicy(stdout io.Writer, n, more, what string) {
	d, _ := policy.Lookup(n)
	roles := "no role"
	if len(d.Roles) > 0 {
		var rs []string
		for _, r := range d.Roles {
			rs = append(rs, string(r))
		}
		roles = strings.Join(rs, ", ")
	}
	fmt.Fprintf(stdout, "\n%s (%s%s)\n  %s\n  source: %s\n", n, roles, more, d.Doc, d.Source)
	var t results.Table
	for _, p := range d.Params {
		t.Rows = append(t.Rows, []string{"  " + p.Name, "default " + p.Default, p.Doc})
	}
	t.Text(stdout)
	for _, note := range d.Notes {
		fmt.Fprintf(stdout, "  %s: %s\n", what, note)
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
