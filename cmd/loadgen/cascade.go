package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

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

// cascadeFlags are the sim flags a cascade run takes; the limit flags are
// not built for it (its cost is fixed by the presets).
var cascadeFlags = map[string]bool{"scenario": true, "policy": true, "seed": true, "droplets": true, "out": true, "interval": true}

// simCascade runs a cascade preset: DWFM under --policy, then the Network
// Manager and the NLB on what it released; it prints each stage's
// milestones beside the published ones and writes DIR/timeseries.csv and
// DIR/summary.csv (atomically, as a single-model run does).
func (a app) simCascade(ctx context.Context, fs *flag.FlagSet, f simFlags, policies []string) error {
	var bad string
	fs.Visit(func(fl *flag.Flag) {
		if !cascadeFlags[fl.Name] && bad == "" {
			bad = fl.Name
		}
	})
	if bad != "" {
		return cli.Flagf("sim", "--%s is not supported by the cascade scenario %s (it takes --policy, per stage, --seed, --droplets, --interval, --out)", bad, f.scenario)
	}
	if f.interval < 0 || (f.interval > 0 && f.interval < MinInterval) {
		return cli.Flagf("sim", "--interval %v below %v", f.interval, MinInterval)
	}
	file, err := cascade.Load(f.scenario)
	if err != nil {
		return cli.Usage(err)
	}
	pol, err := cascade.ParsePolicies(policies)
	if err != nil {
		return cli.Usage(err)
	}
	p, err := cascade.Run{File: file, Policy: pol.DWFM, NetPropPolicy: pol.NetProp, NLBPolicy: pol.NLB, Seed: f.seed, Droplets: f.droplets, Interval: f.interval}.Prepare()
	if err != nil {
		return cli.Usage(err)
	}
	var out *outputs
	if f.out != "" {
		if out, err = a.createOutputs(f.out, p.Columns()); err != nil {
			return cli.Usage(err)
		}
	}
	prog := cli.NewProgress(a.stderr, cli.IsTerminal(a.stderr))
	prog.Update(0, "sim "+f.scenario+": dwfm, then netprop, then nlb")
	wall := time.Now()
	o, err := p.Execute()
	prog.Done()
	if err != nil {
		if out != nil {
			out.abandonCascade()
		}
		return fmt.Errorf("sim: %w", err)
	}
	if ctx.Err() != nil { // the stages do not poll: an interrupt keeps nothing half-written
		if out != nil {
			out.abandonCascade()
		}
		return fmt.Errorf("sim: %w", cli.ErrInterrupted)
	}
	printCascade(a.stdout, file, pol, f.seed, o)
	if out == nil {
		return nil
	}
	row := cascade.SummaryRow{Scenario: file.Name, Policies: pol, Seed: f.seed, Droplets: p.Droplets(), WallS: time.Since(wall).Seconds(), Outcome: o}
	for _, r := range o.Series {
		out.row(p.TimeSeriesRow(r))
	}
	if out.err == nil {
		out.err = out.tsw.Flush()
	}
	if out.err == nil {
		out.err = cascade.WriteSummary(out.summary, row)
	}
	if out.err != nil {
		out.abandonCascade()
		return fmt.Errorf("sim: %w", out.err)
	}
	if err := out.ts.Commit(); err != nil {
		out.summary.Abandon()
		return fmt.Errorf("sim: %w", err)
	}
	if err := out.summary.Commit(); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	fmt.Fprintf(a.stderr, "wrote %s, %s\n", out.ts.Path(), out.summary.Path())
	return nil
}

// abandonCascade keeps what was written under .partial names.
func (o *outputs) abandonCascade() {
	o.ts.Abandon()
	o.summary.Abandon()
}

// stageOf names the stage a milestone belongs to.
func stageOf(name string) string {
	switch {
	case strings.HasPrefix(name, "dwfm"):
		return "dwfm"
	case strings.HasPrefix(name, "prop"):
		return "netprop"
	case name == "event_end":
		return "all"
	}
	return "nlb"
}

// nlbImpact is the model's NLB impact window, as AWS gives its own
// (05:30–14:09): from the first connection errors above 1% to failover
// back on ("-" for an end that never came); "none" when no connection
// error rose above 1%.
func nlbImpact(o cascade.Outcome) string {
	if o.Milestones.NLBErrors < 0 {
		return "none"
	}
	return o.Clock(o.Milestones.NLBErrors) + "–" + o.Clock(o.Milestones.FailoverOn)
}

// nlbImpactRow is the NLB impact window's published clocks and label.
var nlbImpactRow = struct{ name, pub, label string }{"nlb_impact: connection errors above 1% to failover back on",
	cascade.Published.NLBErrors + "–" + cascade.Published.FailoverOn, string(cascade.Predicted) + "–" + string(cascade.Scheduled)}

func printCascade(w io.Writer, file *cascade.File, pol cascade.Policies, seed uint64, o cascade.Outcome) {
	m := o.Milestones
	fmt.Fprintf(w, "scenario %s · policies %s · seed %d\n", file.Name, pol, seed)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STAGE\tMILESTONE\tMODEL\tPUBLISHED\tLABEL (under operator)")
	for _, d := range cascade.MilestoneDefs {
		pub := d.Published
		if pub == "" {
			pub = "-"
		} else if d.Name == "nlb_removals" {
			pub += " (onset; detected " + cascade.Published.NLBDetected + ")"
		}
		fmt.Fprintf(tw, "%s\t%s_clock\t%s\t%s\t%s\n", stageOf(d.Name), d.Name, o.Clock(d.At(m)), pub, d.Label)
	}
	fmt.Fprintf(tw, "nlb\tnlb_impact\t%s\t%s\t%s\n", nlbImpact(o), nlbImpactRow.pub, nlbImpactRow.label)
	tw.Flush()
	if m.DWFMRecovered < 0 {
		fmt.Fprintf(w, "DWFM did not recover by the horizon: the held-back work (%.0f droplet-hours without a lease) is never released, so propagation and NLB do not start\n", o.DropletHours)
		return
	}
	fmt.Fprintf(w, "held back: %d items from %.0f droplet-hours without a lease; %d launches propagated, %d of them NLB targets\n",
		o.HeldBack, o.DropletHours, o.Launches, o.Targets)
}
