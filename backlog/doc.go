// Package backlog holds the work queues that sit in front of a service's
// workers, and (later) the disciplines that choose what to work next.
//
// Vocabulary: an item is queued work; its age is now minus the time it was
// queued. A discipline decides which queued item a free worker takes and which
// items are dropped unworked.
//
// Deque is the storage every discipline builds on: a FIFO/LIFO double-ended
// queue in fixed-size blocks. A collapsed service's queue can hold tens of
// millions of stale attempts; blocks keep that memory proportional to what is
// queued (no doubling, no copy on growth) and are recycled, so a queue that
// has reached its size allocates nothing more.
//
// Nothing here reads a clock or starts a goroutine. A Deque belongs to one
// goroutine; guard it yourself to share it.
package backlog
