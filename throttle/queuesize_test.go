package throttle

import (
	"testing"
	"time"
)

// TestQueueSizeFollowsTheQueue: admitted rate over a second of
// saturating demand falls as the queue grows, and is zero at the limit.
func TestQueueSizeFollowsTheQueue(t *testing.T) {
	admitted := func(queued int) int {
		q, err := NewQueueSize(QueueSizeConfig{Rate: 100, Limit: 50, Burst: 1})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for ms := 0; ms < 10000; ms++ { // 10 s, one offer per ms
			if q.Admit(at(time.Duration(ms)*time.Millisecond), queued) {
				n++
			}
		}
		return n
	}
	for _, c := range []struct{ queued, lo, hi int }{
		{0, 990, 1010}, // 100/s for 10 s
		{25, 490, 510}, // half
		{40, 190, 210}, // a fifth
		{50, 0, 1},     // at the limit: nothing beyond the initial burst token
		{500, 0, 1},
	} {
		if n := admitted(c.queued); n < c.lo || n > c.hi {
			t.Errorf("queued=%d: admitted %d in 10 s, want %d..%d", c.queued, n, c.lo, c.hi)
		}
	}
}

// TestQueueSizeRefillsAtTheCurrentReading is the trace that motivated
// crediting idle time at the current queue: a burst fills the queue, the queue
// drains unobserved, and the next arrival must be admitted.
func TestQueueSizeRefillsAtTheCurrentReading(t *testing.T) {
	q, _ := NewQueueSize(QueueSizeConfig{Rate: 1, Limit: 4, Burst: 4})
	for i := 0; i < 4; i++ {
		if !q.Admit(at(0), i) {
			t.Fatalf("burst admission %d refused", i)
		}
	}
	if q.Admit(at(0), 4) {
		t.Fatal("admitted with the queue at its limit")
	}
	// Ten seconds later the queue has drained: refill at rate(0) = 1/s.
	if !q.Admit(at(10*time.Second), 0) {
		t.Fatal("refused after 10 s with an empty queue")
	}
}

// TestQueueSizeAtTheLimitSpendsOnlyTheBucket: a queue at its limit with a
// full bucket takes the bucket's Burst units and then nothing, however
// long it stays there: the law stops the refill, not the spending, so a
// surge queues at most Limit + Burst (the bound the type's doc gives).
func TestQueueSizeAtTheLimitSpendsOnlyTheBucket(t *testing.T) {
	q, _ := NewQueueSize(QueueSizeConfig{Rate: 100, Limit: 20, Burst: 7})
	n := 0
	for ms := 0; ms < 10000; ms++ {
		if q.Admit(at(time.Duration(ms)*time.Millisecond), 20+n) {
			n++
		}
	}
	if n != 7 {
		t.Errorf("admitted %d with the queue at its limit of 20 and a bucket of 7, over 10 s: want the bucket's 7", n)
	}
}
