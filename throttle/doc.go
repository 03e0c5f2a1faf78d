// Package throttle holds overload controls: decisions a service or its
// clients make, one unit of work at a time, about whether to let work in.
//
// # Vocabulary
//
// The small interfaces every control here implements:
//   - Admitter: Admit(now, queued) — may one more unit enter at instant now,
//     with queued units already waiting? A false answer is a fast rejection
//     ("request limit exceeded"); the caller decides whether and when the
//     client tries again. Server side: TokenBucket (over x/time/rate),
//     QueueSize (the mitigation AWS announced), the concurrency limits AIMD,
//     Vegas, Gradient2 and EnvoyGradient. Client side: SREThrottle (Google
//     SRE's adaptive throttling) and CircuitBreaker.
//   - Reserver: an Admitter whose Reserve(now, queued) refuses with the
//     instant the unit's booked slot falls due (x/time/rate's ReserveN, a
//     Retry-After), and whose Redeem lets a unit that came back then in.
//     Reserve (a token bucket that books instead of shedding).
//   - Feedback: Done(now, latency, ok) — how an admitted unit ended. The
//     concurrency limits, the SRE throttle and the breaker learn from it.
//   - RetryGate: Retry(now, timeout) — may a client send a retry? RetryBudget
//     (Finagle/Linkerd; also a RequestObserver, counting first attempts) and
//     AWSQuota (AWS SDK standard mode; also a SuccessObserver, refunded by
//     successes). A caller tests for the optional observers once.
//   - Velocity caps how much of something may change within any sliding
//     window (capacity removed, hosts restarted, retries released).
//
// # API shape
//
// Units: a rate is per second; a burst is how many units may be admitted at
// once after an idle spell; a limit is units in flight.
//
// One API shape, after golang.org/x/time/rate and etcd's raft.Config: every
// control X has an XConfig with a Validate method (errors read "throttle:
// <control> <field> <value> <what is wrong>"), a documented exported default
// DefaultX, and one constructor, NewX(c XConfig) (*X, error), whose only
// error is c.Validate's. A zero X is not usable (use NewX); AdmitAll is the
// exception. A zero XConfig fails Validate: start from DefaultX and change
// what differs. The four concurrency limits share one limiter core that admits
// and counts units in flight; each algorithm is only an update rule.
//
// One name per control: the type X lives in x.go (QueueSize in queuesize.go,
// its tests in queuesize_test.go), is the policy of the same name in kebab
// case in package bench/policy (queue-size), and its errors name it in words
// ("throttle: queue size limit 0 below 1").
//
// # Time and concurrency
//
// Every control is pure in the sense of x/time/rate's AllowN: time comes in as
// an argument, nothing reads a clock, sleeps or starts a goroutine, so the same
// control runs under the simulator's virtual clock and under a live server's
// wall clock. Decision methods allocate nothing (tests prove it).
//
// Concurrency: every control is safe for concurrent use; each guards its
// state with one mutex. Naming rule: a control's method (or its limiter
// core's, or its rule's) whose name ends in Locked must be called with that
// mutex held, and no other method of theirs may be (x/time/rate's and
// CockroachDB's habit). The sliding window has no lock and no such methods:
// its owner holds the mutex around every call.
//
// Instants out of order: callers on many goroutines may present instants
// slightly out of order. What that does differs per control, and each type's
// doc says it:
//   - TokenBucket can over-admit: rate.Limiter moves its clock back to a late
//     instant it admits at, and the next on-time call credits that time again.
//   - QueueSize credits time only forward: never over-admits.
//   - Velocity judges a late call against its own window and records it at
//     the latest instant: its cap holds in every window, in any order.
//   - SREThrottle, CircuitBreaker and RetryBudget keep sliding windows that
//     never move back (see window): a late cost still counts, a late credit
//     too old for the window is dropped, so lateness never loosens them.
//   - The concurrency limits admit by count, not by time; EnvoyGradient's
//     phases and windows only move forward.
//   - AWSQuota ignores time.
//
// # Costs
//
// Costs are measured against x/time/rate's AllowN in one run:
//
//	go test ./throttle -run XXX -bench Decision      # ns per decision, serial and parallel, vs-AllowN
//	go test ./throttle -run XXX -bench Conformance   # admitted/configured from 1, 2, 64 goroutines
//
// # Non-goals
//
// Queueing and backoff schedules are package backlog's. Nothing here knows
// what a service is: controls see instants, counts and outcomes only.
package throttle
