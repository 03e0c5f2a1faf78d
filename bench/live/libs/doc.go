// Package libs registers real overload-control libraries, unmodified, as
// live-only policies (policy.Def.Live): failsafe-go v0.9.8's adaptive
// limiter, adaptive throttler, circuit breaker, bulkhead and rate limiter
// as net/http middleware in front of each DWFM host's queue (through its
// failsafehttp handler where that fits), sony/gobreaker v2.4.0's circuit
// breaker the same way, and failsafe-go's retry policy with its retry
// budget as a wrapper of the droplets' transport in `loadgen attack`
// (through failsafehttp's round tripper). Importing the package registers
// them; package bench/live imports it, so `loadgen serve`, `loadgen attack`
// and `loadgen policies` know them, and `loadgen sim` refuses them in one
// line (they read the wall clock).
//
// Each policy is the library at its defaults, as its builder or Settings
// documents them and its code sets them (read from the module: failsafe-go's
// NewBuilder functions, gobreaker's NewCircuitBreaker); the parameters a
// library requires without a default (a bulkhead's concurrency, a rate
// limiter's rate) default to the host (its workers, its capacity). A
// parameter changes one setting through the library's own builder method.
// A setting the library would refuse (its builders panic on some) is
// refused here first, in one line naming the parameter, and a builder's
// panic is turned into such a line rather than a crash.
//
// Time: the libraries read the wall clock, so their durations are wall time
// whatever --time-scale says: under a time scale S a model span M lasts M/S
// on the wall, and a library duration d spans d·S of model time (at S = 60
// gobreaker's 60 s open state is an hour of the model). Give durations in
// wall time (delay=1s at 60x is a model minute). Rates written as a
// multiple of the host's capacity ("1x") are converted to wall time (×S per
// wall second); plain rates are per wall second. The live-realtime scenario
// runs at scale 1, where no conversion happens and every library runs with
// its own defaults.
//
// What a library sees: a host's middleware wraps the handler that queues an
// attempt and answers when its work is done; the handler returns when its
// client gives up (the attempt stays queued and is worked anyway). A
// library that times executions (the adaptive limiter) sees the time until
// then; one that counts failures (the breakers, the throttler) counts a
// request that answered 5xx or 429, or whose client gave up first
// (httpmw.DefaultOK), as a failure. failsafehttp's handler reports every
// request as a success (it sees no status: its inner function returns no
// result), so the failure-counting policies use the libraries' standalone
// permit API (TryAcquirePermit, RecordSuccess, RecordFailure; gobreaker's
// Execute) instead; a refusal is answered 429 as failsafehttp answers its
// policies' errors, 503 for gobreaker's open state.
//
// Concurrency: registration happens once, from init; every middleware and
// transport is safe for concurrent use, as the libraries are.
package libs
