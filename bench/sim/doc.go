// Package sim is aftershock's virtual-time discrete-event engine.
//
// Vocabulary:
//   - Time is virtual time: an integer count of nanoseconds since the start of
//     a run. Integer time makes runs reproducible bit for bit; nanoseconds let
//     Time convert to and from time.Duration without loss.
//   - An event is a (Time, Kind, Arg) triple. Kind names a Handler registered
//     with the Engine; Arg is 64 bits the handler interprets (a droplet index
//     and a generation, a host and a worker, ...). Events carry no closures, so
//     scheduling one allocates nothing.
//   - Events with equal times fire in the order they were scheduled: the
//     sequence-number tie-break. The queue keeps that order structurally (see
//     queue.go) instead of storing a sequence number per event.
//   - A lane (SetLaneDelay, Lane) holds events that all fire a fixed delay
//     after they are scheduled, a model's timeouts: their times arrive in
//     order, so a FIFO keeps them at O(1) a push and a pop, outside the heap.
//     A lane event fires after the heap's events pending for its instant.
//   - While few events pend (at most 48), they sit in a small sorted array
//     instead of the radix heap (small.go): same order, less bookkeeping.
//   - A Stream is a seeded random source for one subsystem. Every stream of a
//     run derives from the run's seed and the stream's name, so adding a
//     subsystem does not perturb the draws of the others.
//
// The engine never reads a clock, never sleeps and starts no goroutine: it is
// the pure core that the models in bench/... are written against. Scheduling an
// event in the past is a programming error and panics.
//
// Cancellation is left to handlers: a model that may want to forget a timer
// stores a generation in Arg and ignores events whose generation is stale. That
// costs one pop per forgotten timer and keeps the queue free of back-pointers.
//
// Concurrency: an Engine and everything it drives belong to one goroutine.
// Run many engines in parallel for sweeps.
package sim
