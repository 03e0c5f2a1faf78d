// Package backlog holds the work queues that sit in front of a service's
// workers: the queue disciplines that choose what a free worker takes next and
// what is dropped unworked, and the backoff schedules of the clients that feed
// them.
//
// Vocabulary:
//   - An item is queued work that knows when it was queued (Timed); its age is
//     now minus that instant. Times are time.Time, as in package throttle: a
//     live server passes time.Now(); the simulator keeps each item's 8-byte
//     virtual stamp and converts it on a fixed epoch (time.Unix(0, stamp)), as
//     Stamp does. Disciplines compare only differences, so any fixed epoch
//     serves, as long as items and now share it.
//   - A Queue is a discipline: Push may refuse (bounded), Pop returns the next
//     item to serve and may drop others on the way (CoDel, Facebook's CoDel variant, deadline-drop),
//     handing each dropped item to the Drop function the queue was built with.
//   - A Backoff is a client's schedule of waits between attempts.
//
// Deque is the storage every discipline builds on: a double-ended queue in
// fixed-size blocks. A collapsed service's queue can hold tens of millions of
// stale attempts; blocks keep that memory proportional to what is queued (no
// doubling, no copy on growth) and are recycled, so a queue that has reached
// its size allocates nothing more.
//
// Config chooses a discipline (the zero Config is FIFO) and Validate checks
// it; New validates and builds. A discipline's zero value is an empty queue
// with its parameters at zero: ready for FIFO, LIFO and Bounded-with-a-
// Capacity, degenerate for the others, so build those with New. Backoff is a
// plain value with its own Validate; its zero value retries at once.
//
// One name per discipline: the type X lives in x.go with its tests in
// x_test.go (DeadlineDrop in deadlinedrop.go), and its Kind, which is also
// its policy in package bench/policy, is the same name in kebab case
// (KindDeadlineDrop, "deadline-drop").
//
// Nothing here reads a clock or starts a goroutine. A queue is not safe for
// concurrent use: it belongs to one goroutine; guard it yourself to share
// one. A Backoff is never modified, so it may be shared; each caller brings
// its own *rand.Rand.
package backlog
