// Package dnsrace models the race in DynamoDB's DNS management that emptied
// the regional endpoint's record in us-east-1 on 19 October 2025 at 23:48 PDT,
// the trigger of that day's EC2 outage (AWS's post-event summary,
// https://aws.amazon.com/message/101925/). It decides WHEN the record
// empties; how long it stays empty is a parameter (Repair).
//
// Published (AWS's summary) and modelled as written:
//   - a DNS Planner produces plans periodically, each a new generation;
//   - three independent DNS Enactors each pick up the newest plan and apply it
//     to the endpoint's record;
//   - an Enactor checks that its plan is newer than the one applied only once,
//     at the start of its apply, and one Enactor was unusually delayed;
//   - after applying, an Enactor runs clean-up, deleting plans much older than
//     the one it just applied;
//   - a delayed Enactor applied a stale plan over a newer one, clean-up then
//     deleted that plan, the record was emptied, and the state left behind
//     blocked further automatic updates until operators repaired it: the
//     record was empty from 23:48 to 02:25 (2 h 37 min).
//
// Assumed (AWS published none of these; each is a Config field, documented
// there): the Enactors' delay distribution, the plan interval, how many
// generations clean-up keeps, and that an apply is two draws of the delay
// (until the record is written, then until the pass over the other endpoints
// ends and clean-up runs). Repair defaults to the published 2h37m: it is
// calibrated to the published window, not derived from the race.
//
// Vocabulary:
//   - A generation numbers a plan; generation 0 is applied at the start.
//   - An apply: check (once, at its start), delay, write the record, delay,
//     clean-up.
//   - Clean-up deletes every plan more than Cleanup generations older than
//     the one the Enactor just applied. A clean-up that finds the applied plan
//     among those deleted empties the record (Racy); Fixed never deletes the
//     applied plan.
//     A stale write of a plan that clean-up had already deleted is taken as
//     harmless (the next apply replaces it): AWS's summary describes only
//     the deletion of the applied plan.
//   - Fixed stands for the fix AWS announced (fix the race, and guard against
//     applying incorrect plans); its mechanism is ours: the check is a
//     compare-and-set at the moment of writing (a stale write is refused), and
//     clean-up keeps the applied plan. It never empties the record.
//   - Trace reports every step (Event: plan, check, write, stale, refused,
//     cleanup, empty, repair) with its instant; Race only the outages.
//   - An Outage is the record empty: from the instant clean-up deletes the
//     applied plan until Repair later, when operators restore the newest plan
//     and the Enactors resume.
//
// Non-goals: the DNS records of other endpoints, TTLs and resolvers' caches
// (the record empty is the dependency outage), the Planner's content, and
// any reason for an Enactor's delay beyond its distribution.
//
// Concurrency: Race is a pure function of its arguments: virtual time is an
// argument, randomness comes from seeded streams (bench/sim.Stream, one per
// Enactor), and it starts no goroutine. The same seed gives the same outages.
package dnsrace
