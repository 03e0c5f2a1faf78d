// Package model is the kit every aftershock model is built from: the parts a
// service under overload has whatever it serves, and the loop that drives a
// model through a run.
//
// Vocabulary:
//   - A request is one unit of work a client wants done; an attempt is one try
//     at it. Attempts per request is the amplification.
//   - A Station is one server: Workers serve attempts (Jobs) from a queue (any
//     backlog discipline, FIFO by default). Each service time is drawn from a
//     Dist and may grow with concurrency (per busy worker) or with backlog (per
//     queued attempt), up to a cap. StationConfig is the [service] section of a
//     scenario file.
//   - A trigger is what knocks a service over: a load spike, a capacity cut or
//     a dependency outage over a Window of virtual time. TriggerConfig is one
//     [[trigger]] section; each model says which kinds it supports. A
//     dns-race trigger is a dependency outage whose start a model of its
//     cause decides (package dnsrace): dnsrace.Expand turns it into the
//     dependency outages the race gives for a seed, before any model sees it
//     (the runner does this for every run).
//   - A policy acts through Hooks: a client-side control and server admission
//     (combined in a Gate), the queue discipline, the clients' backoff and
//     retry gate, and Interventions at fixed times.
//   - A Meter counts what happened to attempts (Counts) and the sojourn of
//     completed ones; each sample interval it yields a Sample (one row of the
//     time series); at the end a Result (the model's part of summary.csv).
//   - Refusals count, per role, how often the policy's control said no: the
//     Gate counts its client's and server's refusals, the Station what its
//     discipline dropped or refused, each model the retries its retry gates
//     refused; CountRefusals totals them into the Result, so a control that
//     never acted on a run is reported as such (0) rather than read as a
//     finding. A role without a control counts -1.
//   - Env is what a run gives every model when it is built: its seed, the
//     epoch its controls count wall time from, the policy's Hooks, and the
//     horizon for a model that sizes what it builds by it. Every model is
//     built by New(Config, Env), its Config holding what is its own.
//   - Drive runs an engine to the horizon in sample intervals, the loop every
//     model's Run shares. Options say how: horizon, interval, observer,
//     interrupt (the seed is the model's, given in its Env).
//   - Duration and Dist are scenario values that parse themselves from text
//     ("14h32m", "lognormal(15s,0.25)"), so configs decode straight from a file.
//
// A model is a package beside this one (bench/service, bench/dwfm) that
// imports the kit, never another model (the cascade, which chains them, is
// the one exception), and is registered with package bench's runner
// (bench.Models; docs/contributing.md, "Adding a model", has the steps).
// The trigger models (bench/dnsrace) import the kit too; the kit imports no
// model.
//
// Non-goals: the kit does not decide what a client does after a failure, when
// a run has recovered, or what the ideal bound is; those are each model's
// own. It reads no clock and starts no goroutine: time is the engine's virtual
// time, passed as an argument.
//
// Concurrency: a Station, Meter or Gate belongs to the one goroutine running
// its model; configs, Dists and Windows are values, safe to share once built.
package model
