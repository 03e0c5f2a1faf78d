// Package throttle holds overload controls: decisions a service or its
// clients make, one unit of work at a time, about whether to let work in.
//
// Vocabulary — the small interfaces every control here implements:
//   - Admitter: Admit(now, queued) — may one more unit enter at instant now,
//     with queued units already waiting? A false answer is a fast rejection
//     ("request limit exceeded"); the caller decides whether and when the
//     client tries again. Server side: TokenBucket (over x/time/rate),
//     QueueProportional (the mitigation AWS announced), the concurrency limits
//     AIMD, Vegas, Gradient2 and EnvoyGradient. Client side: AdaptiveThrottle
//     (Google SRE) and Breaker (circuit breaker).
//   - Feedback: Done(now, latency, ok) — how an admitted unit ended. The
//     concurrency limits, the SRE throttle and the breaker learn from it.
//   - RetryGate: may a client send a retry? RetryBudget (Finagle/Linkerd) and
//     RetryQuota (AWS SDK standard mode).
//   - Velocity caps how much of something may change within any sliding
//     window (capacity removed, hosts restarted, retries released).
//
// Units: a rate is per second; a burst is how many units may be admitted at
// once after an idle spell; a limit is units in flight.
//
// Every control is pure in the sense of x/time/rate's AllowN: time comes in as
// an argument, nothing reads a clock, sleeps or starts a goroutine, so the same
// control runs under the simulator's virtual clock and under a live server's
// wall clock. Decision methods allocate nothing (tests prove it), and every
// control is safe for concurrent use: each guards its state with a mutex
// (`mu struct{ sync.Mutex; ... }`). Callers on many goroutines may present
// instants slightly out of order; no control over-admits because of it.
//
// Costs are measured against x/time/rate's AllowN in one run:
//
//	go test ./throttle -run XXX -bench Decision      # ns per decision, serial and parallel, vs-AllowN
//	go test ./throttle -run XXX -bench Conformance   # admitted/configured from 1, 2, 64 goroutines
//
// Non-goals: queueing and backoff schedules (package backlog), and knowing
// what a service is: controls see instants, counts and outcomes only.
package throttle
