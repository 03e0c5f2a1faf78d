// Package live is aftershock's live mode: the DWFM lease-manager model
// (package dwfm) served over real HTTP on loopback, and the surge of
// droplets asking for leases replayed against it by an open-loop load
// generator, in wall-clock time compressed by a time scale. The simulator
// says the service collapses; live mode shows it on real sockets,
// goroutines, queues and timeouts, and is the tool a user points at their
// own service.
//
// This package holds what the server (package live/server) and the
// attacker (package live/attack) share: the scenario and policy as live
// mode runs them (Setup), the mapping between wall-clock and model time
// (Clock), and the droplets' first requests after their leases lapse
// (Surge). Package live/record writes and reads back what an attack
// measured.
//
// # Vocabulary
//
//   - model time: the scenario's time, from its start (model time 0), as
//     in the simulator; wall time: the machine's clock. model = (wall −
//     Start) × Scale. With Scale 60 one model minute passes per wall second.
//   - a droplet asks its DWFM host for a lease with POST
//     /v1/lease?droplet=ID; 200 is a lease, 503 the dependency's outage (or
//     a full queue, or a discipline's drop), 429 a refusal by admission
//     control.
//   - the surge: every droplet whose lease lapses during the dependency
//     outage asks again at its first check after the dependency is back
//     (Surge); the attacker turns these instants into a vegeta Pacer.
//
// # What is modelled
//
// What the live server models, and how (see package live/server): per DWFM
// host a real queue (a backlog discipline) and Workers goroutines; an
// attempt's work is the model's service time (the droplet's own draw, plus
// growth per queued attempt, capped) divided by Scale; a client that gives
// up does not take its attempt out of the queue: it is worked anyway, for
// nothing, which is the collapse mechanism. Admission control, the queue
// discipline and interventions (a restart of every host, a new throttle, at
// a model time) come from the policy spec (packages throttle and backlog).
// The attacker (package live/attack) runs the droplets' side, with the
// policy's client-side control, backoff and retry gate: a timed-out
// attempt is sent again at once (or after the policy's backoff),
// a fast failure (429, 503) asks again at a later check, one check interval
// later give or take half of one, as in package dwfm.
//
// Draws (a droplet's check phase, lease TTL, work) come from the
// simulator's keyed streams (sim.Draws) under live mode's own salt, keyed by
// seed and droplet: the same distributions as package dwfm, not the same
// numbers, so live and simulated runs agree in distribution, not event for
// event. A Shard is results.Shard: attacker I of N takes the droplets I
// modulo N.
//
// The dependency's outages, on the AWS us-east-1 event these scenarios
// replay: https://aws.amazon.com/message/101925/.
//
// # Non-goals
//
// The generic service model, netprop and nlb are not served; a droplet
// re-leased after an outage is not lapsed again by a later one.
//
// # Concurrency
//
// A Setup, a Clock and a Surge are immutable once built and
// safe for concurrent use.
package live
