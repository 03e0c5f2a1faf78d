// Package throttle holds admission controls: the decisions a service makes,
// one unit of work at a time, about whether to let work in.
//
// Vocabulary:
//   - An Admitter answers Admit(now, queued): may one more unit of work enter
//     at instant now, when queued units are already waiting? A false answer is
//     a fast rejection ("request limit exceeded"); the caller decides whether
//     and when the client tries again.
//   - A rate is in units per second; a burst is how many units may be admitted
//     at once after an idle spell.
//
// Every control here is pure in the sense of golang.org/x/time/rate's AllowN:
// time comes in as an argument, nothing reads a clock, sleeps or starts a
// goroutine, so the same control runs under the simulator's virtual clock and
// under a live server's wall clock. Admit allocates nothing.
//
// Concurrency: each type states its contract. The ones built on rate.Limiter
// inherit its mutex and are safe for concurrent use; see each type.
//
// Non-goals: queueing (see package backlog) and client retry schedules.
package throttle
