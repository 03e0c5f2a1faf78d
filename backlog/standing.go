package backlog

import "time"

// standing tracks whether a queue has been non-empty for a whole interval: the
// signal Facebook's CoDel variant and adaptive LIFO share.
type standing struct {
	lastEmpty time.Time // last instant the queue was seen empty
}

// push notes a push at now onto a queue of n items (before the push).
func (s *standing) push(now time.Time, n int) {
	if n == 0 {
		s.lastEmpty = now
	}
}

// popped notes that the queue holds n items after a pop at now.
func (s *standing) popped(now time.Time, n int) {
	if n == 0 {
		s.lastEmpty = now
	}
}

// overloaded reports whether the queue has been non-empty for longer than
// interval at now. Before the first push it may answer either way; with
// nothing queued the answer changes nothing.
func (s *standing) overloaded(now time.Time, interval time.Duration) bool {
	return now.Sub(s.lastEmpty) > interval
}
