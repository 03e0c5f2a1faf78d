// Package backlog holds the work queues that sit in front of a service's
// workers: the queue disciplines that choose what a free worker takes next and
// what is dropped unworked, and the backoff schedules of the clients that feed
// them.
//
// Vocabulary:
//   - An item is queued work that knows when it was queued (Timed); its age is
//     now minus that instant. Times are offsets (time.Duration) from any fixed
//     origin: the simulator passes virtual time, a live server time.Since(start).
//   - A Queue is a discipline: Push may refuse (bounded), Pop returns the next
//     item to serve and may drop others on the way (CoDel, deadline-drop),
//     handing each dropped item to the Drop function the queue was built with.
//   - A Backoff is a client's schedule of waits between attempts.
//
// Deque is the storage every discipline builds on: a double-ended queue in
// fixed-size blocks. A collapsed service's queue can hold tens of millions of
// stale attempts; blocks keep that memory proportional to what is queued (no
// doubling, no copy on growth) and are recycled, so a queue that has reached
// its size allocates nothing more.
//
// Nothing here reads a clock or starts a goroutine. Queues belong to one
// goroutine; guard them yourself to share one.
package backlog
