// Package cascade is the model of the October 2025 us-east-1 event's
// stages in sequence: the DWFM lease manager (package dwfm), then the
// Network Manager's propagation backlog (package netprop) on what DWFM's
// recovery releases, then an NLB's health checking (package nlb) on the
// launches netprop propagated.
//
// It is a model like the others, built by New(Config, model.Env) and
// registered in package bench (bench.Models): a scenario with [stages]
// (package scenario: each stage a preset or a scenario written inline, and
// a [link]) runs here, through bench.Run, with --vary, limits, sweeps,
// compare and --assert as any scenario does.
//
// Why there is no import cycle. The cascade imports the stage models (dwfm
// only through the Stage interface it runs), the kit (model, sim) and
// nothing above them: not bench, not scenario, not policy. What needs
// those lives in bench: the cascade's registration (bench's planCascade)
// reads the stages' scenarios, builds each stage's policy for that stage's
// station as a single-model run builds it, builds the DWFM stage as the dwfm
// registration does and hands all of it to New as a Config (the later
// stages each as its own model's Config, their hooks beside them), with the
// run's seed and epoch, every stage's, as the model.Env. Package scenario
// imports cascade for the [link] section's type (Link), as it imports dwfm
// for [dwfm]. So bench → cascade → {dwfm, netprop, nlb, model, sim}, bench →
// scenario → cascade: one direction. The later stages are built here, not
// by the runner, because their inputs are the earlier stages' outputs, known
// only as the run goes.
//
// Each stage runs in an engine of its own, to the run's horizon at its
// sample interval, one after the other; all share one timeline (virtual 0
// is the DWFM stage's start, 23:48 PDT in the preset). The pipeline is
// pure: same seed, same milestones, same bytes. Every stage's invariants are
// checked (each sample's and model.Result.Check), and a stage that breaks
// one stops the run with a *model.Violation naming the stage.
//
// Published (AWS post-event summary, https://aws.amazon.com/message/101925/):
// every droplet held a lease again at 05:28 PDT, when Network Manager began
// propagating the delayed network state; its latency was up by 06:21 and
// normal at 10:36; NLB connection errors began at 05:30 and lasted until the
// operators disabled automatic failover at 09:36 (re-enabled at 14:09).
//
// The link between the stages (Link, the [link] section of a cascade file) is
// ASSUMED, as AWS published no backlog size:
//   - DWFM → netprop: launches and terminations are held back while droplets
//     have no lease, at items_per_droplet_hour per droplet-hour without a
//     lease (Σ over the DWFM samples of unleased droplets × interval). The
//     held-back items are released evenly over release_over from the instant
//     every droplet holds a lease again (dwfm_recovered), as published; the
//     base stream of the netprop stage is held back too from the outage's
//     start until then, so no propagation work exists before DWFM recovers.
//   - netprop → nlb: one launch in nlb_every, counted in launch order, is a
//     target of the NLB modelled (spread over its zones in turn), registered
//     at its first offer and reachable from its propagation instant; one
//     still propagating at the horizon is registered and never reachable,
//     so a shorter horizon leaves the rows before it as they were.
//   - the NLB operators' switch is a policy (failover-off, in the operator
//     bundle); failover_off_at and failover_on_at, when set, switch it under
//     every policy, on the cascade's timeline.
//   - visible_latency is the p99 propagation latency at which latency counts
//     as visibly up (prop_up); reach_before, when set, replaces the NLB
//     stage's chance of reaching an unpropagated target.
//
// What the cascade replaces in its later stages' scenarios (Replaced; bench.
// With refuses to set these, and so does a cascade file that sets one over
// a stage's preset, since setting one would change nothing):
// their start, horizon and interval (the DWFM stage's timeline); netprop's
// surge, surge_at and surge_over (the held-back work, released as the link
// says); the NLB's launches, launch_at, launch_over, launch_weights and
// propagation_delay (netprop's output) and failover_off_at and
// failover_on_at (the link's, or the failover-off policy). Sized bounds the
// later stages' inputs before the run (every droplet unleased for the whole
// horizon, every item a launch): the run's cost, and a refusal when the
// bound passes netprop's MaxSurge or the NLB's MaxTargets.
//
// The run's result (Model.Run) is the whole event's: recovered when every
// stage ended by the horizon (Milestones.EventEnd), its recovery counted
// from the DWFM outage's end, its ideal the DWFM stage's ideal plus the
// release window. That is a bound no policy can beat: propagation is normal
// again only after the last held-back item is offered (netprop counts its
// recovery from there), which is at least release_over after every lease is
// back, which is at least DWFM's ideal after the outage; it is the same for
// every policy, as bench.CheckIdeals requires, and loose (the backlog's own
// work is not in it). Its other measures (peak queue, waste, amplification,
// sojourn, refusals) are the DWFM stage's, Events the three stages'.
//
// Milestones (Milestones): dwfm_recovered (every lease back), prop_slow and
// prop_up (the first minute whose p99 propagation latency is above normal,
// and above visible_latency), prop_normal (propagation latency back to
// normal: the completion of the last item slower than normal), nlb_errors
// and conn_restored (the first tick whose connection error rate is above
// 1%, and the end of the last), nlb_removals and nlb_restored (the same for
// the errors the NLB's removals cause), failover_off and failover_on (the
// operators' switch as the NLB stage saw it), event_end (the latest of the
// ends). MilestoneDefs labels each, as the operator bundle runs it:
// calibrated (a parameter was fitted to it), scheduled (an action at a
// published time sets it) or predicted (neither: its distance from the
// published time is the model's error), and says what the published instant
// it is compared with is (an onset, a detection, an action).
//
// Policies: each stage takes its own spec; ParsePolicies reads the words of
// a cascade's policy ("operator", "dwfm=operator nlb=velocity:cap=2%"), a
// bare spec being DWFM's. Bundles set every stage at once: operator (as the
// operators acted, at their times) and mitigated (the fixes AWS announced);
// see Bundles.
//
// Output: the runner's time series is DWFM's samples with the later stages'
// columns (StageColumns, empty where a stage did not run), one row per
// sample interval of the timeline, handed on after the last stage; the
// summary row's own columns are SummaryColumns (milestones as RFC 3339
// clocks, each stage's recovery, ideal and ratio, the link's and the NLB's
// measures), after those every run has. Outcome is the rest, for the CLI's
// tables.
//
// Non-goals: stages read from other files than the presets (a stage is a
// preset or written inline, so a cascade file is whole in itself); stages
// that run concurrently or feed back (the NLB does not slow propagation);
// an interrupt inside the later stages' rows (they are handed on after the
// last stage; a stop ends the run at the stage it stops).
//
// Concurrency: a Model belongs to the goroutine that runs it, once.
package cascade
