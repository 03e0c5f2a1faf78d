package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/policy"
)

func cmdPolicies(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return usagef("policies: takes no arguments, got %q", args)
	}
	fmt.Fprintln(stdout, "Policies for --policy. Syntax: name or name:key=value,key=value; join parts of")
	fmt.Fprintln(stdout, "different roles with +. Rates: per second (0.25) or times the host's capacity (0.8x).")
	for _, n := range policy.Names() {
		d, _ := policy.Lookup(n)
		roles := "no role"
		if len(d.Roles) > 0 {
			var rs []string
			for _, r := range d.Roles {
				rs = append(rs, string(r))
			}
			roles = strings.Join(rs, ", ")
		}
		fmt.Fprintf(stdout, "\n%s (%s)\n  %s\n  source: %s\n", n, roles, d.Doc, d.Source)
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		for _, p := range d.Params {
			fmt.Fprintf(w, "  %s\tdefault %s\t%s\n", p.Name, p.Default, p.Doc)
		}
		w.Flush()
		for _, n := range d.Notes {
			fmt.Fprintf(stdout, "  simplified: %s\n", n)
		}
	}
	fmt.Fprintln(stdout, "\nCascade bundles (a cascade only, us-east-1-cascade or a file with [stages]: a bare --policy NAME sets every stage;")
	fmt.Fprintln(stdout, "stage=SPEC overrides one stage, e.g. --policy operator --policy nlb=velocity):")
	for _, n := range cascade.BundleNames {
		b := cascade.Bundles[n]
		fmt.Fprintf(stdout, "\n%s: dwfm=%s netprop=%s nlb=%s\n  %s\n", n, orNone(b.DWFM), orNone(b.NetProp), orNone(b.NLB), cascade.BundleDocs[n])
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
