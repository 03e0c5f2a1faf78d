package cascade

import "github.com/aftershock/aftershock/bench/sim"

// Label says what a milestone of the operator bundle (the operators' actions
// at their published times) can tell about the model when it is compared
// with AWS's published timeline.
type Label string

// Labels.
const (
	// Calibrated: a parameter was fitted to land the milestone on its
	// published time; matching it shows the fit, not the model.
	Calibrated Label = "calibrated"
	// Scheduled: the milestone is set by an action taken at its published
	// time; matching it shows that the mechanism ends (or starts) what the
	// action ends, not when.
	Scheduled Label = "scheduled"
	// Predicted: no parameter was fitted to it and no action's time sets
	// it; its distance from the published time is the model's error.
	Predicted Label = "predicted"
)

// MilestoneDef describes one milestone: its summary column (without
// _clock), its stage (dwfm, netprop, nlb; "" for the whole event), what it
// is (and in a few words, Short, for a plot), the published instant it is
// compared with (and what that instant is: an onset, a detection, an
// action), its label under the operator bundle and why.
type MilestoneDef struct {
	Name, Stage        string
	What, Short        string
	Published, Against string // Published "": nothing published to compare with
	Label              Label
	Why                string
	At                 func(Milestones) sim.Time
}

// MilestoneDefs are the cascade's milestones in timeline order, labelled as
// the operator bundle runs them (under any other policy every milestone is a
// prediction of that counterfactual).
var MilestoneDefs = []MilestoneDef{
	{"dwfm_recovered", "dwfm", "every lease back", "leases back", Published.DWFMRecovered, "every lease back", Calibrated,
		"the operator policy's throttle rate and the us-east-1 preset's DWFM capacity", func(m Milestones) sim.Time { return m.DWFMRecovered }},
	{"prop_slow", "netprop", "propagation p99 above normal (1 min)", "latency above normal", "", "", Predicted,
		"nothing published to compare with", func(m Milestones) sim.Time { return m.PropSlow }},
	{"prop_up", "netprop", "propagation latency visibly up (p99 above visible_latency)", "latency up", Published.PropUp, "latency up", Calibrated,
		"visible_latency (30 min) was chosen to match: a definition, not a prediction", func(m Milestones) sim.Time { return m.PropUp }},
	{"nlb_errors", "nlb", "connection errors above 1%", "NLB errors begin", Published.NLBErrors, "onset of NLB connection errors", Predicted,
		"nothing fitted to it (passive_catch, which was, is now 1: see the nlb preset)", func(m Milestones) sim.Time { return m.NLBErrors }},
	{"nlb_removals", "nlb", "errors the NLB's removals cause above 1%", "NLB errors begin", Published.NLBErrors, "onset of the increased errors, which AWS attributes to capacity taken out of service (monitoring detected the health-check failures at " + Published.NLBDetected + ": a detection, which the onset must precede)", Predicted,
		"nothing fitted to it", func(m Milestones) sim.Time { return m.NLBRemovals }},
	{"failover_off", "nlb", "automatic NLB failover turned off", "failover off", Published.NLBRestored, "action", Scheduled,
		"the failover-off policy's at", func(m Milestones) sim.Time { return m.FailoverOff }},
	{"nlb_restored", "nlb", "errors the NLB's removals cause at or under 1% again", "errors end", Published.NLBRestored, "failover off, which \"resolved the increased connection errors\"", Scheduled,
		"set by failover-off: removals stop, every target is routed again", func(m Milestones) sim.Time { return m.NLBRestored }},
	{"conn_restored", "nlb", "all connection errors at or under 1% again", "errors end", Published.NLBRestored, "failover off, which \"resolved the increased connection errors\"", Scheduled,
		"set by failover-off through the mechanism (moving the action moves it: tested at 07:30, 08:30, 09:36)", func(m Milestones) sim.Time { return m.ConnRestored }},
	{"prop_normal", "netprop", "propagation latency normal again", "latency normal", Published.PropNormal, "latency normal", Calibrated,
		"the backlog's size (the link's items_per_droplet_hour and the netprop station)", func(m Milestones) sim.Time { return m.PropNormal }},
	{"failover_on", "nlb", "automatic NLB failover back on (end of the NLB impact window AWS gives)", "failover on", Published.FailoverOn, "action", Scheduled,
		"the failover-off policy's until", func(m Milestones) sim.Time { return m.FailoverOn }},
	{"event_end", "", "the latest of the ends (dwfm_recovered, prop_normal, nlb_restored, conn_restored)", "event over", "", "", Calibrated,
		"under operator it is prop_normal, which is calibrated", func(m Milestones) sim.Time { return m.EventEnd }},
}
