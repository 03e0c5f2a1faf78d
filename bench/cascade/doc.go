// Package cascade runs the October 2025 us-east-1 event's stages in
// sequence: the DWFM lease manager (package dwfm), then the Network
// Manager's propagation backlog (package netprop) on what DWFM's recovery
// releases, then an NLB's health checking (package nlb) on the launches
// netprop propagated. It is a runner-level composition like package bench:
// it imports the stage models, which import the kit and never each other.
//
// Each stage runs in an engine of its own, to the cascade's horizon, one
// after the other; all share one timeline (virtual 0 is the DWFM scenario's
// start, 23:48 PDT). The pipeline is pure: same seed, same milestones.
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
//   - netprop → nlb: one launch in nlb_every is a target of the NLB modelled
//     (spread over its zones in turn), launched at its first offer and
//     reachable from its propagation instant.
//   - the NLB operators' switch is a policy (failover-off, in the operator
//     bundle); failover_off_at and failover_on_at, when set, switch it under
//     every policy, on the cascade's timeline (the nlb preset's own times are
//     on its clock and are replaced).
//   - visible_latency is the p99 propagation latency at which latency counts
//     as visibly up (prop_up); reach_before, when set, replaces the NLB
//     stage's chance of reaching an unpropagated target.
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
// Policies: each stage takes its own spec (Run.Policy for DWFM,
// NetPropPolicy, NLBPolicy; ParsePolicies reads "netprop=queue-size"-style
// values), built for that stage's station as a single-model run builds it.
// Bundles set every stage at once: operator (as the operators acted, at
// their times) and mitigated (the fixes AWS announced); see Bundles.
//
// Output: Outcome.Series is the time series (DWFM's samples and the other
// stages' intervals, zipped on one timeline; Prepared.TimeSeriesRow writes
// a row), and Outcome.Record the summary row (SummaryHeader): milestones,
// each stage's recovery, ideal and ratio (nlb has no ideal), the link's and
// the NLB's measures.
//
// Non-goals: cascade files outside the presets; cost limits (the stages'
// sizes are the presets'); interrupting a cascade mid-stage.
//
// Concurrency: a Run is a value; Execute builds and runs its three models
// on the calling goroutine.
package cascade
