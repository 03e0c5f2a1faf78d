package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/scenario"
)

// cmdScenarios lists the presets (every one sim, sweep, serve and attack
// take: the cascade and live mode's default among them) or shows one.
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
			fmt.Fprintf(w, "%s\t%s%s\n", n, sc.Describe(), note(n, sc))
		}
		w.Flush()
		fmt.Fprintln(stdout, "\nPrint one as an editable file: loadgen scenarios show NAME > my.toml")
		return nil
	case len(args) == 2 && args[0] == "show":
		b, err := scenario.PresetText(args[1])
		if err != nil {
			return usage(err)
		}
		_, err = stdout.Write(b)
		return err
	default:
		return usagef("scenarios: want 'scenarios' or 'scenarios show NAME', got %q", args)
	}
}

// note is what a listing adds to a preset's description: the stages of a
// cascade, the commands whose default it is.
func note(name string, sc *scenario.Scenario) string {
	var parts []string
	if st := sc.Stages; st.Enabled() {
		parts = append(parts, fmt.Sprintf("a cascade of %s, %s, %s", st.DWFM.Name, st.NetProp.Name, st.NLB.Name))
	}
	if name == defaultScenario {
		parts = append(parts, "the default of sim, sweep and boundary")
	}
	if name == live.SmallName {
		parts = append(parts, "the default of serve and attack")
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}
