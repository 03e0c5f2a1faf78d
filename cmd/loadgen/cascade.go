package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
)

// policyList is sim's --policy: repeated for a cascade's stages. The first
// value given replaces the default.
type policyList struct {
	specs []string
	set   bool
}

func (p *policyList) String() string {
	if p == nil {
		return ""
	}
	return strings.Join(p.specs, " ")
}

func (p *policyList) Set(v string) error {
	if !p.set {
		p.specs, p.set = nil, true
	}
	p.specs = append(p.specs, v)
	return nil
}

// cascadeFlags are the sim flags a cascade run takes; the others (files,
// interval, limits) are not built for it yet.
var cascadeFlags = map[string]bool{"scenario": true, "policy": true, "seed": true, "droplets": true}

// simCascade runs a cascade preset: DWFM under --policy, then the Network
// Manager and the NLB on what it released, and prints each stage's
// milestones beside the published ones. It writes no files.
func (a app) simCascade(fs *flag.FlagSet, f simFlags, policies []string) error {
	var bad string
	fs.Visit(func(fl *flag.Flag) {
		if !cascadeFlags[fl.Name] && bad == "" {
			bad = fl.Name
		}
	})
	if bad != "" {
		return cli.Flagf("sim", "--%s is not supported by the cascade scenario %s yet (it takes --policy, per stage, --seed, --droplets; it prints milestones and writes no files)", bad, f.scenario)
	}
	file, err := cascade.Load(f.scenario)
	if err != nil {
		return cli.Usage(err)
	}
	pol, err := cascade.ParsePolicies(policies)
	if err != nil {
		return cli.Usage(err)
	}
	p, err := cascade.Run{File: file, Policy: pol.DWFM, NetPropPolicy: pol.NetProp, NLBPolicy: pol.NLB, Seed: f.seed, Droplets: f.droplets}.Prepare()
	if err != nil {
		return cli.Usage(err)
	}
	prog := cli.NewProgress(a.stderr, cli.IsTerminal(a.stderr))
	prog.Update(0, "sim "+f.scenario+": dwfm, then netprop, then nlb")
	o, err := p.Execute()
	prog.Done()
	if err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	printCascade(a.stdout, file, pol, f.seed, o)
	return nil
}

func printCascade(w io.Writer, file *cascade.File, pol cascade.Policies, seed uint64, o cascade.Outcome) {
	m, pub := o.Milestones, cascade.Published
	fmt.Fprintf(w, "scenario %s · policies %s · seed %d\n", file.Name, pol, seed)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STAGE\tMILESTONE\tMODEL\tPUBLISHED")
	for _, r := range []struct{ stage, name, model, pub string }{
		{"dwfm", "dwfm_recovered_clock", o.Clock(m.DWFMRecovered), pub.DWFMRecovered},
		{"netprop", "prop_up_clock", o.Clock(m.PropUp), pub.PropUp},
		{"netprop", "prop_normal_clock", o.Clock(m.PropNormal), pub.PropNormal},
		{"nlb", "nlb_errors_clock", o.Clock(m.NLBErrors), pub.NLBErrors},
		{"nlb", "nlb_restored_clock", o.Clock(m.NLBRestored), pub.NLBRestored},
		{"all", "event_end_clock", o.Clock(m.EventEnd), "-"},
	} {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.stage, r.name, r.model, r.pub)
	}
	tw.Flush()
	if m.DWFMRecovered < 0 {
		fmt.Fprintf(w, "DWFM did not recover by the horizon: the held-back work (%.0f droplet-hours without a lease) is never released, so propagation and NLB do not start\n", o.DropletHours)
		return
	}
	fmt.Fprintf(w, "held back: %d items from %.0f droplet-hours without a lease; %d launches propagated, %d of them NLB targets\n",
		o.HeldBack, o.DropletHours, o.Launches, o.Targets)
}
