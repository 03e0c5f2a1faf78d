// Package server serves the DWFM lease-manager model (package dwfm) over
// HTTP in wall-clock time: `loadgen serve`, and the in-process target of
// `loadgen attack`.
//
// What it models: one host per DWFM host of the scenario, each a real queue
// (the policy's backlog discipline, FIFO by default) in front of Workers
// goroutines. A droplet asks for a lease with POST /v1/lease?droplet=ID.
// The request is answered at once with 503 while the dependency is out (the
// scenario's dependency-outage windows, model time), with 429 when the
// policy's admission control (package throttle) or a bounded discipline
// refuses it, and with 503 when the server is past its hard limits (queued
// attempts across hosts, or lease requests in flight): memory stays
// bounded under any overload. Otherwise the attempt is queued and a worker
// takes it: its work is the droplet's own establishment time plus growth per
// busy worker and per queued attempt, capped at max_service_time (as
// model.Station computes it), in model time, divided by the time scale in
// wall time. Work that overlapped an outage fails (503). A client that gives
// up (its connection closes) leaves its attempt where it is: it is still
// worked, for nothing — the collapse mechanism — unless the discipline
// drops it (deadline-drop, codel, ...), which answers 503.
//
// Short work: timers here do not sleep less than about 1 ms, while at a
// time scale of 60 the 50 ms growth per queued attempt is under 1 ms of wall
// time. Each worker therefore keeps its own schedule: it owes the sum of the
// work it has taken, and sleeps only when it is 1 ms or more ahead of the
// wall clock, until the end of what it owes. A run of short attempts is
// answered in batches up to 1 ms early, and the worker's throughput is
// exact over any span longer than a millisecond (an oversleep is paid back
// by the next attempts, which do not sleep).
//
// Every response carries X-Aftershock-Queue, the attempts queued across
// hosts at reply time. GET /v1/info describes the run (start, time scale, scenario,
// droplets); GET /metrics is Prometheus's text format (a registry of the
// server's own, not the global one); GET /healthz answers 200.
//
// Interventions (the operator policy) run at their model time: a restart
// drops every host's queue and abandons the work in service (their clients
// get 503 at once, as from a broken connection), and a new admission
// control replaces each host's.
//
// Admission has one path: each host's queue is wrapped by package
// throttle/httpmw's middleware holding the policy's admission control of
// package throttle (none: it admits everything; an operator's intervention
// swaps it), the same middleware a user puts in front of their own handler.
// It judges the host's queue, answers a refusal 429, and hears how an
// admitted attempt ended when its work leaves the host (httpmw.Later): a
// client that gave up does not free its attempt's place, as in the
// simulator. Its decisions, requests inside and limit are metrics, per host
// (httpmw_decisions_total{host,outcome}, httpmw_in_flight, httpmw_limit). A
// live-only policy's middleware (a library's: policy.LiveHooks.Server)
// wraps that, per host; it reads the wall clock, and what it refuses is
// the attempt's answer. Both stand after the outage check and the hard
// limits.
//
// Time for the policy's controls is model time: admission controls see
// the scenario's clock at the current model time, and queue disciplines
// compare model-time stamps, so a policy means the same as in `loadgen sim`
// (rates per model second, spans in model time). A reserving control
// (reserve) answers a refusal with its booking: 429 with RetryAtHeader (and
// Retry-After); the droplet that comes back then with reserved=1 redeems
// it, as in package dwfm.
//
// Concurrency: a Server is safe for concurrent use; Shutdown ends its
// workers and waits for them.
package server
