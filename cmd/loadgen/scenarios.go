package main

import (
	"fmt"
	"strings"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
)

// scenariosOpts are scenarios' arguments: a preset to show, or none (list).
type scenariosOpts struct{ show string }

// parseScenarios parses scenarios' arguments: none, or "show NAME"; done:
// help was printed.
func (a app) parseScenarios(args []string) (o scenariosOpts, done bool, err error) {
	fs := cli.NewFlagSet("scenarios")
	if done, err := cli.Parse(fs, args, -1, a.stdout, scenariosHelp); done || err != nil {
		return o, done, err
	}
	switch rest := fs.Args(); {
	case len(rest) == 0:
	case len(rest) == 2 && rest[0] == "show":
		o.show = rest[1]
	default:
		return o, false, pointToHelp("scenarios", usagef("scenarios: want 'scenarios' or 'scenarios show NAME', got %q", rest))
	}
	return o, false, nil
}

// runScenarios lists the presets (every one sim, sweep, serve and attack
// take: the cascade and live mode's default among them) or shows one.
func (a app) runScenarios(o scenariosOpts) error {
	if o.show != "" {
		b, err := scenario.PresetText(o.show)
		if err != nil {
			return pointToHelp("scenarios", usage(err))
		}
		_, err = a.stdout.Write(b)
		return err
	}
	rows := [][]string{{"NAME", "DESCRIPTION"}}
	for _, n := range scenario.Presets() {
		sc, err := scenario.Load(n)
		if err != nil {
			return err // a broken preset is a bug; TestPresetsParse guards it
		}
		rows = append(rows, []string{n, sc.Describe() + note(n, sc)})
	}
	results.Table{Rows: rows}.Text(a.stdout)
	fmt.Fprintln(a.stdout, "\nPrint one as an editable file: loadgen scenarios show NAME > my.toml")
	return nil
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
