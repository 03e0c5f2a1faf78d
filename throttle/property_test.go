package throttle

import (
	"fmt"
	"math"
	"math/rand"
	"reflect"
	"testing"
	"testing/quick"
	"time"
)

// Property tests with testing/quick. Each generator builds a whole trace from
// quick's random source; on failure quick prints the trace (through its
// GoString method, which %#v uses) and the test prints the seed that
// reproduces the run.

// quickCheck runs f over generated inputs from a logged seed.
func quickCheck(t *testing.T, f any, count int) {
	t.Helper()
	seed := time.Now().UnixNano()
	cfg := &quick.Config{MaxCount: count, Rand: rand.New(rand.NewSource(seed))}
	if err := quick.Check(f, cfg); err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
}

// --- (a) Velocity ---

type velocityStep struct {
	dt time.Duration // since the previous step (negative: a late caller)
	n  int
}

type velocityTrace struct {
	max    int
	window time.Duration
	steps  []velocityStep
	late   bool // steps may go back in time
}

func (v velocityTrace) GoString() string {
	return fmt.Sprintf("velocity{max %d, window %v, late %v, steps %v}", v.max, v.window, v.late, v.steps)
}

func genVelocity(r *rand.Rand, late bool) velocityTrace {
	tr := velocityTrace{max: 1 + r.Intn(8), window: time.Duration(1+r.Intn(100)) * time.Millisecond, late: late}
	tr.steps = make([]velocityStep, r.Intn(200))
	for i := range tr.steps {
		var dt time.Duration
		switch r.Intn(4) {
		case 0: // same instant
		case 1: // within a window
			dt = time.Duration(r.Int63n(int64(tr.window)))
		case 2: // about a window: hits the boundaries
			dt = tr.window + time.Duration(r.Intn(3)-1)
		case 3:
			dt = time.Duration(r.Int63n(3 * int64(tr.window)))
		}
		if late && r.Intn(3) == 0 {
			dt = -time.Duration(r.Int63n(int64(tr.window)))
		}
		tr.steps[i] = velocityStep{dt, r.Intn(tr.max + 2)} // 0..max+1, so invalid n too
	}
	return tr
}

type monotoneVelocity struct{ velocityTrace }

func (monotoneVelocity) Generate(r *rand.Rand, _ int) reflect.Value {
	return reflect.ValueOf(monotoneVelocity{genVelocity(r, false)})
}

type lateVelocity struct{ velocityTrace }

func (lateVelocity) Generate(r *rand.Rand, _ int) reflect.Value {
	return reflect.ValueOf(lateVelocity{genVelocity(r, true)})
}

// replay runs the trace and returns the true instants and sizes of the
// allowed events, or an error for a decision that is wrong on its face.
func (tr velocityTrace) replay() (times []time.Time, units []int, err error) {
	v, err := NewVelocity(VelocityConfig{Max: tr.max, Window: tr.window})
	if err != nil {
		return nil, nil, err
	}
	now := t0
	for i, s := range tr.steps {
		now = now.Add(s.dt)
		ok := v.Allow(now, s.n)
		if ok && (s.n < 1 || s.n > tr.max) {
			return nil, nil, fmt.Errorf("step %d: allowed n = %d outside [1, %d]", i, s.n, tr.max)
		}
		if ok {
			times, units = append(times, now), append(units, s.n)
			continue
		}
		// With non-decreasing instants a refusal must be justified: the
		// units allowed in (now − window, now] plus n exceed max.
		if !tr.late && s.n >= 1 && s.n <= tr.max {
			in := 0
			for j, at := range times {
				if at.After(now.Add(-tr.window)) {
					in += units[j]
				}
			}
			if in+s.n <= tr.max {
				return nil, nil, fmt.Errorf("step %d: refused n = %d with %d of %d used", i, s.n, in, tr.max)
			}
		}
	}
	return times, units, nil
}

// TestPropertyVelocityNeverExceedsMax: in every interval [a, a+window) the
// allowed units total at most max, by brute force over all intervals starting
// at an allowed event; with non-decreasing instants every refusal is
// justified, and with late callers mixed in the bound still holds in true
// time.
func TestPropertyVelocityNeverExceedsMax(t *testing.T) {
	check := func(tr velocityTrace) bool {
		times, units, err := tr.replay()
		if err != nil {
			t.Log(err)
			return false
		}
		if a, sum := worstWindow(times, units, tr.window); sum > tr.max {
			t.Logf("%d units in [%v, +%v), max %d", sum, a.Sub(t0), tr.window, tr.max)
			return false
		}
		return true
	}
	quickCheck(t, func(tr monotoneVelocity) bool { return check(tr.velocityTrace) }, 500)
	quickCheck(t, func(tr lateVelocity) bool { return check(tr.velocityTrace) }, 500)
}

// --- (b) token buckets ---

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

// --- (c) RetryBudget ---

type budgetEvent struct {
	dt    time.Duration // since the previous event, >= 0
	retry bool          // a Retry call, else a Request
}

type budgetTrace struct {
	cfg    RetryBudgetConfig
	events []budgetEvent
}

func (b budgetTrace) GoString() string {
	return fmt.Sprintf("budget{%+v, events %v}", b.cfg, b.events)
}

func (budgetTrace) Generate(r *rand.Rand, _ int) reflect.Value {
	n := 1 + r.Intn(10)
	width := time.Duration(1+r.Intn(1000)) * time.Millisecond
	b := budgetTrace{cfg: RetryBudgetConfig{
		Ratio:        []float64{0, 0.1, 0.2, 0.29, 0.5, 1, r.Float64()}[r.Intn(7)],
		MinPerSecond: []float64{0, 0.5, 1, 10, r.Float64() * 5}[r.Intn(5)],
		TTL:          time.Duration(n) * width,
		Buckets:      n,
	}}
	b.events = make([]budgetEvent, r.Intn(400))
	for i := range b.events {
		var dt time.Duration
		switch r.Intn(3) {
		case 1:
			dt = time.Duration(r.Int63n(int64(width)))
		case 2:
			dt = time.Duration(r.Int63n(2 * int64(b.cfg.TTL)))
		}
		b.events[i] = budgetEvent{dt: dt, retry: r.Intn(3) == 0}
	}
	return reflect.ValueOf(b)
}

// TestPropertyRetryBudgetBound: for every allowed retry at t_j, the retries
// allowed in the TTL − TTL/Buckets before it (which the ring always covers),
// itself included, number at most Ratio·(requests in (t_j − TTL, t_j]) +
// MinPerSecond·TTL.
func TestPropertyRetryBudgetBound(t *testing.T) {
	total := 0
	quickCheck(t, func(b budgetTrace) bool {
		rb, err := NewRetryBudget(b.cfg)
		if err != nil {
			t.Log(err)
			return false
		}
		covered := b.cfg.TTL - b.cfg.TTL/time.Duration(b.cfg.Buckets)
		reserve := b.cfg.MinPerSecond * b.cfg.TTL.Seconds()
		var requests, retries []time.Duration // in call order
		var now time.Duration
		for k, e := range b.events {
			now += e.dt
			if !e.retry {
				rb.Request(t0.Add(now))
				requests = append(requests, now)
				continue
			}
			if !rb.Retry(t0.Add(now), false) {
				continue
			}
			retries = append(retries, now)
			n := 0
			for _, at := range retries {
				if at >= now-covered {
					n++
				}
			}
			q := 0
			for _, at := range requests {
				if at > now-b.cfg.TTL {
					q++
				}
			}
			if float64(n) > b.cfg.Ratio*float64(q)+reserve+1e-9 {
				t.Logf("event %d at %v: %d retries in the last %v, %d requests in the last %v: bound %v",
					k, now, n, covered, q, b.cfg.TTL, b.cfg.Ratio*float64(q)+reserve)
				return false
			}
		}
		total += len(retries)
		return true
	}, 500)
	if total == 0 {
		t.Fatal("no retry was ever allowed: the property is vacuous")
	}
}
