package attack

import "time"

// due is one scheduled attempt: a droplet's retry or re-check at a model
// time.
type due struct {
	at      time.Duration
	droplet int32
}

// dueQueue is a binary min-heap of attempts by due time (ties: droplet).
type dueQueue []due

func (q dueQueue) less(i, j int) bool {
	return q[i].at < q[j].at || q[i].at == q[j].at && q[i].droplet < q[j].droplet
}

func (q *dueQueue) push(d due) {
	*q = append(*q, d)
	h := *q
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q dueQueue) peek() (due, bool) {
	if len(q) == 0 {
		return due{}, false
	}
	return q[0], true
}

func (q *dueQueue) pop() due {
	h := *q
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && h.less(l, m) {
			m = l
		}
		if r < n && h.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*q = h
	return top
}
