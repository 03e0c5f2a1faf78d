// Package service is the generic model of a service under retries: open-loop
// clients send requests to one Station and retry what fails or times out.
//
// Vocabulary (the shared terms, Station, trigger, Hooks, are package model's):
//   - Clients arrive as a Poisson process at a rate, or at a piecewise rate
//     (a schedule "0s=100, 1h=300"); load-spike triggers multiply it.
//   - A client gives up on an attempt at its timeout and may retry after a
//     backoff, up to its attempts per request. The stale attempt stays queued
//     and may still be worked: work finished after its client gave up is
//     wasted.
//   - A rejected, dropped or failed-fast attempt (admission refusal, full
//     queue, restart, dependency outage) fails at once and the client treats
//     it like any other failure.
//   - Recovery (model.Sustained): a request that arrives after the last
//     trigger is good when answered in time within a window of its arrival;
//     recovery is the end of the first window (the clients' recovery_window,
//     by default WindowTimeouts timeouts) from which at least Healthy of the
//     new requests of every window are good, to the end of the run. Without
//     a trigger it is not defined. The ideal bound is one window: refusing a
//     trigger's excess costs no time, so a shedding policy attains it.
//   - Network (rtt_out, rtt_back): each attempt travels to the service and
//     its answer back, inside the client's timeout, which runs from the send.
//     With a network, both admission controls decide when an attempt reaches
//     the service.
//   - The orbit: clients waiting to retry; orbit_cap abandons retries beyond
//     it. retry_delay draws each wait from a distribution instead of backoff.
//   - The station may cap its queue (queue_capacity: full means a fast
//     failure) or have none (delay_station: every attempt served at once).
//
// Latency is charged from the intended send time of a request's first attempt
// (no coordinated omission): arrivals are scheduled, never held back by the
// service.
//
// Non-goals: closed-loop clients, more than one station, and any notion of
// what the requests do.
//
// Building: New(Config, model.Env). Config is the [clients], [service] and
// [[trigger]] sections (load spikes, capacity cuts and dependency outages);
// Env is the run's seed, the epoch the controls count wall time from and
// the policy's hooks. (The runner hands this model the zero Epoch, the
// Unix epoch, whatever the scenario's start; see bench's newService.)
//
// Everything here is driven by sim.Engine: no clocks, no goroutines; one Model
// belongs to one goroutine.
package service
