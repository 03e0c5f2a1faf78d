package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/results"
)

// policyList is sim's --policy: repeatable, for a cascade's stages (each
// value one stage's spec, joined with spaces into the run's spec). The
// first value given replaces the default.
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

// stageOf names the stage a milestone belongs to ("all": the event's).
func stageOf(d cascade.MilestoneDef) string {
	if d.Stage == "" {
		return "all"
	}
	return d.Stage
}

// nlbImpact is the model's NLB impact window, as AWS gives its own
// (05:30–14:09): from the first connection errors above 1% to the later of
// their end and failover back on (nlbImpactEnd; "-" for an end that never
// came); "none" when no connection error rose above 1%, "did not run" when
// the NLB stage did not.
func nlbImpact(o cascade.Outcome) string {
	switch {
	case !o.NLBRan:
		return "did not run"
	case o.Milestones.NLBErrors < 0:
		return "none"
	}
	return o.Clock(o.Milestones.NLBErrors) + "–" + o.Clock(nlbImpactEnd(o.Milestones))
}

// nlbImpactEnd is the end of the NLB impact window: the later of the end of
// the connection errors above 1% (conn_restored) and failover back on; -1
// when either never came (errors to the horizon, or failover switched off
// and never back on) or no error rose above 1%. Without a switch it is the
// errors' end.
func nlbImpactEnd(m cascade.Milestones) sim.Time {
	if m.NLBErrors < 0 || m.ConnRestored < 0 || (m.FailoverOff >= 0 && m.FailoverOn < 0) {
		return -1
	}
	return max(m.ConnRestored, m.FailoverOn)
}

// nlbImpactRow is the NLB impact window's published clocks and label.
var nlbImpactRow = struct{ name, pub, label string }{"nlb_impact: connection errors above 1% to the later of their end and failover back on",
	cascade.Published.NLBErrors + "–" + cascade.Published.FailoverOn, string(cascade.Predicted) + "–" + string(cascade.Scheduled)}

// publishedOf is a milestone's published clock as the tables show it.
func publishedOf(d cascade.MilestoneDef) string {
	switch {
	case d.Published == "":
		return "-"
	case d.Name == "nlb_removals":
		return d.Published + " (onset; detected " + cascade.Published.NLBDetected + ")"
	}
	return d.Published
}

// milestoneClock is d's clock in o; a failover switch that came before
// the NLB stage's start (the model ticks from virtual 0) says so.
func milestoneClock(o cascade.Outcome, d cascade.MilestoneDef) string {
	at := d.At(o.Milestones)
	if (d.Name == "failover_off" || d.Name == "failover_on") && at >= 0 && at < o.NLBStart {
		return o.Clock(at) + " (before the stage)"
	}
	return o.Clock(at)
}

// printCascade prints a cascade run's milestones beside the published ones,
// each with its label, and what the link held back and passed on.
func printCascade(w io.Writer, o cascade.Outcome) {
	m := o.Milestones
	t := results.Table{Rows: [][]string{{"STAGE", "MILESTONE", "MODEL", "PUBLISHED", "LABEL (under operator)"}}}
	for _, d := range cascade.MilestoneDefs {
		t.Rows = append(t.Rows, []string{stageOf(d), d.Name + "_clock", milestoneClock(o, d), publishedOf(d), string(d.Label)})
	}
	t.Rows = append(t.Rows, []string{"nlb", "nlb_impact", nlbImpact(o), nlbImpactRow.pub, nlbImpactRow.label})
	t.Text(w)
	switch {
	case o.DWFM.Interrupted || o.NetProp.Interrupted || o.NLB.Interrupted:
		fmt.Fprintln(w, "interrupted: the stages after the one stopped did not run")
	case m.DWFMRecovered < 0:
		fmt.Fprintf(w, "DWFM did not recover by the horizon: the held-back work (%.0f droplet-hours without a lease) is never released, so propagation and NLB do not start\n", o.DropletHours)
	default:
		fmt.Fprintf(w, "held back: %d items from %.0f droplet-hours without a lease; %d launches propagated; %d NLB targets, each registered at its launch\n",
			o.HeldBack, o.DropletHours, o.Launches, o.Targets)
	}
}
