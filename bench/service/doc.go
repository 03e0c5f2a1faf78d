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
//   - Recovery: the first sample interval after the last trigger in which at
//     least Healthy of the interval's new requests succeed. The ideal bound is
//     the backlog live at the trigger's end ÷ the capacity left over from new
//     arrivals.
//
// Latency is charged from the intended send time of a request's first attempt
// (no coordinated omission): arrivals are scheduled, never held back by the
// service.
//
// Non-goals: closed-loop clients, more than one station, and any notion of
// what the requests do.
//
// Everything here is driven by sim.Engine: no clocks, no goroutines; one Model
// belongs to one goroutine.
package service
