package throttle

import (
	"testing"
	"time"
)

var t0 = time.Date(2025, 10, 20, 2, 25, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

// TestTokenBucketTrace: a 2/s bucket of burst 2 starts full, sheds, refills.
func TestTokenBucketTrace(t *testing.T) {
	b, err := NewTokenBucket(TokenBucketConfig{Rate: 2, Burst: 2})
	if err != nil {
		t.Fatal(err)
	}
	trace := []struct {
		t    time.Duration
		want bool
	}{
		{0, true}, {0, true}, {0, false}, // burst of 2, then empty
		{250 * time.Millisecond, false}, // half a token
		{500 * time.Millisecond, true},  // one token
		{500 * time.Millisecond, false},
		{2 * time.Second, true}, {2 * time.Second, true}, {2 * time.Second, false}, // refilled to burst, not beyond
	}
	for i, s := range trace {
		if got := b.Admit(at(s.t), 0); got != s.want {
			t.Fatalf("step %d at %v: Admit=%v, want %v", i, s.t, got, s.want)
		}
	}
}

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

func TestConstructorsRejectBadParameters(t *testing.T) {
	if _, err := NewTokenBucket(TokenBucketConfig{Rate: 0, Burst: 1}); err == nil {
		t.Error("rate 0 accepted")
	}
	if _, err := NewTokenBucket(TokenBucketConfig{Rate: 1, Burst: 0}); err == nil {
		t.Error("burst 0 accepted")
	}
	if _, err := NewQueueSize(QueueSizeConfig{Rate: 1, Limit: 0, Burst: 1}); err == nil {
		t.Error("limit 0 accepted")
	}
	if _, err := NewQueueSize(QueueSizeConfig{Rate: -1, Limit: 10, Burst: 1}); err == nil {
		t.Error("negative rate accepted")
	}
}

func TestAdmitDoesNotAllocate(t *testing.T) {
	b, _ := NewTokenBucket(TokenBucketConfig{Rate: 1e6, Burst: 10})
	q, _ := NewQueueSize(QueueSizeConfig{Rate: 1e6, Limit: 100, Burst: 10})
	now := t0
	for name, a := range map[string]Admitter{"token-bucket": b, "queue-size": q, "none": AdmitAll{}} {
		if n := testing.AllocsPerRun(1000, func() { now = now.Add(time.Microsecond); a.Admit(now, 10) }); n != 0 {
			t.Errorf("%s: Admit allocates %v, want 0", name, n)
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

// TestLateInstantTokenBucketOverAdmits pins down what the package doc says
// about instants out of order: rate.Limiter moves its clock back to a late
// instant it admits at and credits that time again, so a 1/s bucket of burst
// 2 admits 3 units at one instant; QueueSize, crediting time only
// forward, admits at most its burst there.
func TestLateInstantTokenBucketOverAdmits(t *testing.T) {
	trace := func(a Admitter) (atTen int) {
		a.Admit(at(0), 0)              // 2 → 1 token
		a.Admit(at(10*time.Second), 0) // refilled to 2, → 1
		a.Admit(at(5*time.Second), 0)  // late: no refill, → 0
		for range 5 {
			if a.Admit(at(10*time.Second), 0) {
				atTen++
			}
		}
		return atTen + 1 // with the on-time one above
	}
	if n := trace(ocMust(NewTokenBucket(TokenBucketConfig{Rate: 1, Burst: 2}))); n != 3 {
		t.Errorf("token bucket: %d admitted at 10 s, want 3 (above burst 2: the late call's time was credited twice)", n)
	}
	if n := trace(ocMust(NewQueueSize(QueueSizeConfig{Rate: 1, Limit: 1000, Burst: 2}))); n > 2 {
		t.Errorf("queue size: %d admitted at 10 s, want at most burst 2", n)
	}
}
