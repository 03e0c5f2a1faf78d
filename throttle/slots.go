package throttle

// slots is the in-flight accounting the concurrency limits share: the limit,
// fractional as their update rules compute it, and the units admitted and not
// yet done. It has no lock of its own: each limiter embeds it in its mu struct
// and calls it with that mutex held.
type slots struct {
	limit    float64
	inflight int
}

// capacity is the limit in force: rounded down, at least 1.
func (s *slots) capacity() int { return max(1, int(s.limit)) }

// take admits one unit if fewer than n are in flight.
func (s *slots) take(n int) bool {
	if s.inflight < n {
		s.inflight++
		return true
	}
	return false
}

// leave records one unit leaving and returns how many were in flight before
// it. An extra leave never takes the count below zero.
func (s *slots) leave() int {
	n := s.inflight
	if n > 0 {
		s.inflight--
	}
	return n
}
