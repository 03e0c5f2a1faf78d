// Package service is the generic model every aftershock scenario is an instance
// of: a service under retries.
//
// Vocabulary:
//   - A request is one unit of work a client wants done; an attempt is one try
//     at it. Attempts per request is the amplification.
//   - A Station is the service: Workers serve attempts from a queue (any
//     backlog discipline, FIFO by default); each service time is drawn from a
//     Dist and may grow with concurrency (per busy worker) or with backlog (per
//     queued attempt), up to a cap.
//   - A client gives up on an attempt at its timeout and may retry after a
//     backoff. The stale attempt stays queued and may still be worked: work
//     finished after its client gave up is wasted.
//   - A trigger is what knocks the service over: a load spike (arrival rate ×
//     factor over a window), a capacity cut (fewer workers or service time ×
//     factor over a window) or a dependency outage (every attempt fails fast
//     over a window).
//   - A policy acts through Hooks: a client-side control and server
//     admission (Gate), the queue discipline, the clients' backoff and retry
//     gate, and interventions at fixed times. A rejected or dropped attempt
//     fails fast and the client treats it like a failure.
//
// Model runs the open-loop version (Poisson or piecewise-rate arrivals) on the
// sim engine; package dwfm builds the lease manager from the same Station.
// Latency is charged from the intended send time of a request's first attempt
// (no coordinated omission): arrivals are scheduled, never held back by the
// service.
//
// Everything here is driven by sim.Engine: no clocks, no goroutines; one Model
// belongs to one goroutine.
package service
