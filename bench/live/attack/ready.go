package attack

// ready is a FIFO of scheduled attempts waiting for a worker, in order of
// their intended send time.
type ready struct {
	q    []attempt
	head int
}

func (r *ready) len() int { return len(r.q) - r.head }

func (r *ready) push(a attempt) { r.q = append(r.q, a) }

// peek is the first attempt; only when len() > 0.
func (r *ready) peek() attempt { return r.q[r.head] }

// pop removes the first attempt; only when len() > 0.
func (r *ready) pop() attempt {
	a := r.q[r.head]
	r.q[r.head] = attempt{}
	r.head++
	if r.head == len(r.q) {
		r.q, r.head = r.q[:0], 0
	} else if r.head >= 1024 && r.head*2 >= len(r.q) {
		n := copy(r.q, r.q[r.head:])
		r.q, r.head = r.q[:n], 0
	}
	return a
}
