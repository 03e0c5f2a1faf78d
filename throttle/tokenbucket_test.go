package throttle

import (
	"fmt"
	"math"
	"math/rand"
	"reflect"
	"testing"
	"time"
)

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

type bucketTrace struct {
	rate  float64 // per second
	burst int
	calls []time.Duration // non-decreasing offsets from t0
}

func (b bucketTrace) GoString() string {
	return fmt.Sprintf("bucket{rate %v, burst %d, calls %v}", b.rate, b.burst, b.calls)
}

func (bucketTrace) Generate(r *rand.Rand, _ int) reflect.Value {
	b := bucketTrace{rate: math.Exp(r.Float64()*math.Log(1e4)) / 10, burst: 1 + r.Intn(20)} // rate in [0.1, 1000)
	b.calls = make([]time.Duration, 1+r.Intn(300))
	period := time.Duration(float64(time.Second) / b.rate)
	var at time.Duration
	for i := range b.calls {
		switch r.Intn(4) {
		case 0: // same instant
		case 1:
			at += time.Duration(r.Int63n(int64(period)/4 + 1))
		case 2:
			at += time.Duration(r.Int63n(3*int64(period) + 1))
		case 3:
			at += time.Duration(r.Int63n(int64(b.burst)*int64(period) + 1))
		}
		b.calls[i] = at
	}
	return reflect.ValueOf(b)
}

// overAdmitted checks every pair of admitted instants t_i ≤ t_j: the units
// admitted in [t_i, t_j] must be at most rate·(t_j − t_i) + burst.
func (b bucketTrace) overAdmitted(a Admitter) error {
	var admitted []time.Duration
	for _, c := range b.calls {
		if a.Admit(t0.Add(c), 0) {
			admitted = append(admitted, c)
		}
	}
	for i := range admitted {
		for j := i; j < len(admitted); j++ {
			n := float64(j - i + 1)
			if bound := b.rate*(admitted[j]-admitted[i]).Seconds() + float64(b.burst); n > bound+1e-9 {
				return fmt.Errorf("%v admitted in [%v, %v], bound %v", n, admitted[i], admitted[j], bound)
			}
		}
	}
	return nil
}

// TestPropertyTokenBucketsRespectRateAndBurst: TokenBucket and
// QueueSize (with an empty queue) never admit more than rate·t +
// burst in any window of length t.
func TestPropertyTokenBucketsRespectRateAndBurst(t *testing.T) {
	quickCheck(t, func(b bucketTrace) bool {
		tb, err := NewTokenBucket(TokenBucketConfig{Rate: b.rate, Burst: b.burst})
		if err != nil {
			t.Log(err)
			return false
		}
		if err := b.overAdmitted(tb); err != nil {
			t.Log("TokenBucket:", err)
			return false
		}
		return true
	}, 500)
	quickCheck(t, func(b bucketTrace) bool {
		q, err := NewQueueSize(QueueSizeConfig{Rate: b.rate, Limit: 10, Burst: b.burst})
		if err != nil {
			t.Log(err)
			return false
		}
		if err := b.overAdmitted(q); err != nil {
			t.Log("QueueSize:", err)
			return false
		}
		return true
	}, 500)
}
