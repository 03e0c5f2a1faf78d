package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/scenario"
)

func cmdScenarios(args []string, stdout io.Writer) error {
	switch {
	case len(args) == 0:
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tDESCRIPTION")
		for _, n := range scenario.Presets() {
			sc, err := scenario.Load(n)
			if err != nil {
				return err // a broken preset is a bug; TestPresetsParse guards it
			}
			fmt.Fprintf(w, "%s\t%s\n", n, sc.Describe())
		}
		for _, n := range cascade.Presets() {
			f, err := cascade.Load(n)
			if err != nil {
				return err // a broken preset is a bug; TestBadParameters loads it
			}
			fmt.Fprintf(w, "%s\t%s (a cascade of presets %s, %s, %s)\n", n, f.Description, f.Stages.DWFM, f.Stages.NetProp, f.Stages.NLB)
		}
		w.Flush()
		fmt.Fprintln(stdout, "\nPrint one as an editable file: loadgen scenarios show NAME > my.toml")
		return nil
	case len(args) == 2 && args[0] == "show":
		b, err := scenario.PresetText(args[1])
		if cascade.IsPreset(args[1]) {
			b, err = cascade.PresetText(args[1])
		}
		if err != nil {
			return usage(err)
		}
		_, err = stdout.Write(b)
		return err
	default:
		return usagef("scenarios: want 'scenarios' or 'scenarios show NAME', got %q", args)
	}
}
