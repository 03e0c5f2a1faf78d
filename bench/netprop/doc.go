// Package netprop models EC2's Network Manager after the October 2025
// us-east-1 event: the launches and terminations held back while the lease
// manager (DWFM) was down become propagation work once droplets hold leases
// again, and the backlog of that work makes propagation slow.
//
// Published (AWS post-event summary, https://aws.amazon.com/message/101925/):
// at 05:28 PDT, once every droplet held a lease again, Network Manager began
// propagating a large backlog of delayed network state (new launches and
// instances terminated during the event); by 06:21 its propagation latency
// had risen and new instances launched without network connectivity; it was
// back to normal at 10:36. AWS announced, for this data propagation system,
// a control that rate-limits incoming work by the size of the waiting queue.
// Nothing else is published: the backlog's size, the workers, the service
// time and how it grows with the backlog are assumed (see the netprop
// preset and docs/models.md).
//
// Vocabulary:
//   - An item is one unit of propagation work: a launch or a termination
//     whose network state must reach the fleet. Items come from an Input, a
//     time-ordered stream; standalone runs build it from the [netprop]
//     section (Section: a steady base rate plus a surge, the held-back items
//     released over a span).
//   - The station is the Network Manager: a model.Station (the scenario's
//     [service] section) whose service time grows with the waiting queue
//     (growth_per_queued), so propagation latency grows with the backlog.
//     Each item's base work is drawn once from its own stream: a retried item
//     costs the same work again.
//   - Admission: the policy's controls (model.Hooks: admission, client
//     control, queue discipline) decide whether an offered item enters the
//     queue. A refused or dropped item is not lost, it is offered again after
//     retry_after: a launch held back is still a launch. queue-size is the
//     mitigation AWS announced.
//   - Latency is from an item's first offer to the end of its propagation;
//     a launched instance is reachable from then on (Output reports the pair
//     of instants for every launch).
//   - Backlog is the items offered and not yet propagated: queued, in service
//     or held back after a refusal.
//   - Recovery: latency is back to normal at R, the completion of the last
//     item whose latency exceeded normal_latency (the surge's end if none
//     did); recovery is R − surge end. A run has recovered when, at its end,
//     every item offered by the surge's end has propagated and no outstanding
//     item is older than normal_latency.
//   - Ideal: a policy-independent bound on R from the work alone (see
//     Ideal): no policy recovers sooner.
//
// Chaining (the cascade, not built here): DWFM's output provides the Input
// (Config.Input) —
// the launches and terminations held back until droplets have leases again,
// offered as the leases come back, so no propagation work exists before the
// lease manager recovers — and SurgeEnd is when its held-back work has all
// been offered. Output hands each launch's (launch, propagated) instants to
// the NLB model (package nlb), whose targets fail health checks until their
// state has propagated. Each stage then takes its own station section
// instead of [service].
//
// Non-goals: which host a change concerns, per-AZ propagation, partial
// propagation; triggers (the surge is the trigger). The retry roles
// (backoff, retry gates) do not apply: nothing here times out, and a
// refused item is offered again after retry_after.
//
// Building: New(Config, model.Env). Config is the [netprop] section
// (Section), the [service] section (the propagation station) and, for a
// cascade stage, its Input; Env is the run's seed, epoch and hooks, and
// its horizon, up to which a standalone run draws its input.
//
// Concurrency: a Model belongs to the goroutine that runs it; Config is a
// value, but for its Input, which belongs to the one model given it.
package netprop
