package throttle

import (
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Traces for the overload controls of window.go, sre.go, breaker.go,
// velocity.go, retrybudget.go and awsquota.go, over fixed instants from t0
// (throttle_test.go).

// seeded is c with Seed set.
func seeded(c SREThrottleConfig, seed uint64) SREThrottleConfig {
	c.Seed = seed
	return c
}

// ocMust unwraps a constructor that must succeed.
func ocMust[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// --- window ---

func TestWindowSlidesAndExpires(t *testing.T) {
	w := newWindow(10*time.Second, 10) // 1 s buckets
	w.add(at(0), 1)
	w.add(at(500*time.Millisecond), 2) // same bucket
	if got := w.sum(at(0)); got != 3 {
		t.Fatalf("sum at 0 = %v, want 3", got)
	}
	w.add(at(3*time.Second), 4)
	for _, c := range []struct {
		t    time.Duration
		want float64
	}{
		{3 * time.Second, 7},
		{9*time.Second + 999*time.Millisecond, 7}, // bucket 0 still in
		{10 * time.Second, 4},                     // bucket 0 out: the span is 10 buckets
		{13 * time.Second, 0},
		{time.Hour, 0}, // a jump over the whole ring
	} {
		if got := w.sum(at(c.t)); got != c.want {
			t.Fatalf("sum at %v = %v, want %v", c.t, got, c.want)
		}
	}
	w.add(at(time.Hour), 5)
	if got := w.sum(at(time.Hour + 9*time.Second)); got != 5 {
		t.Fatalf("after the jump: sum %v, want 5", got)
	}
	w.reset()
	if got := w.sum(at(time.Hour + 9*time.Second)); got != 0 {
		t.Fatalf("after reset: sum %v, want 0", got)
	}
}

// TestWindowTimeGoingBackwards: a late instant neither empties buckets nor
// resurrects expired ones; a late value lands in its own bucket if that is in
// the span; beyond it, add drops and charge keeps it in the oldest bucket.
func TestWindowTimeGoingBackwards(t *testing.T) {
	w := newWindow(10*time.Second, 10)
	w.add(at(0), 1)
	w.add(at(12*time.Second), 1) // bucket 0 expires
	if got := w.sum(at(time.Second)); got != 1 {
		t.Fatalf("late sum = %v, want 1 (the window as of 12 s)", got)
	}
	w.add(at(5*time.Second), 1) // late but in the span: its own bucket
	if got := w.sum(at(14 * time.Second)); got != 2 {
		t.Fatalf("sum at 14 s = %v, want 2", got)
	}
	if got := w.sum(at(16 * time.Second)); got != 1 {
		t.Fatalf("sum at 16 s = %v, want 1 (the 5 s value left at 15 s)", got)
	}
	w.add(at(time.Second), 1) // older than the span: dropped
	if got := w.sum(at(16 * time.Second)); got != 1 {
		t.Fatalf("stale add counted: sum %v, want 1", got)
	}
	w.charge(at(time.Second), 1) // older than the span: oldest bucket (7 s)
	if got := w.sum(at(16 * time.Second)); got != 2 {
		t.Fatalf("stale charge lost: sum %v, want 2", got)
	}
	if got := w.sum(at(17 * time.Second)); got != 1 {
		t.Fatalf("charge should leave with the oldest bucket at 17 s: sum %v, want 1", got)
	}
}

// --- SREThrottle ---

func TestSREThrottleNeverRejectsWhileAccepted(t *testing.T) {
	th := ocMust(NewSREThrottle(seeded(DefaultSREThrottle, 1)))
	for i := 0; i < 20000; i++ { // 10 per second for 2000 s
		now := at(time.Duration(i) * 100 * time.Millisecond)
		if !th.Admit(now, 0) {
			t.Fatalf("request %d refused with every request accepted", i)
		}
		th.Done(now, 0, true)
	}
}

// TestSREThrottleRejectsWhenAcceptsStop: 100 accepted requests, then the
// backend accepts nothing. Admit refuses request i with probability
// p_i = max(0, (r_i − 2a)/(r_i + 1)), r_i the requests counted before it.
func TestSREThrottleRejectsWhenAcceptsStop(t *testing.T) {
	const accepted, more = 100, 20000
	for seed := uint64(1); seed <= 5; seed++ {
		th := ocMust(NewSREThrottle(seeded(DefaultSREThrottle, seed)))
		for i := 0; i < accepted; i++ {
			if !th.Admit(at(0), 0) {
				t.Fatalf("seed %d: refused while accepted", seed)
			}
			th.Done(at(0), 0, true)
		}
		var rejected, mean, variance float64
		var tailRejected, tailMean float64
		for i := 0; i < more; i++ {
			now := at(time.Duration(i) * time.Millisecond) // 20 s, well inside the window
			r := float64(accepted + i)
			p := max(0, (r-2*accepted)/(r+1))
			if got := th.RejectProbability(now); math.Abs(got-p) > 1e-12 {
				t.Fatalf("seed %d, request %d: RejectProbability %v, want %v", seed, i, got, p)
			}
			refused := !th.Admit(now, 0)
			if refused {
				rejected++
			}
			mean += p
			variance += p * (1 - p)
			if i >= more-2000 {
				tailMean += p
				if refused {
					tailRejected++
				}
			}
		}
		if sd := math.Sqrt(variance); math.Abs(rejected-mean) > 5*sd {
			t.Errorf("seed %d: %v refused, expected %.1f ± %.1f", seed, rejected, mean, sd)
		}
		// The last 2000 calls: the refused fraction approaches (r − 2a)/(r + 1).
		if got, want := tailRejected/2000, tailMean/2000; math.Abs(got-want) > 0.02 {
			t.Errorf("seed %d: refused fraction %.4f at the tail, want %.4f", seed, got, want)
		}
	}
}

func TestSREThrottleForgetsAfterTheWindow(t *testing.T) {
	th := ocMust(NewSREThrottle(SREThrottleConfig{K: 2, Window: 10 * time.Second, Buckets: 10, Seed: 7}))
	for i := 0; i < 1000; i++ {
		th.Admit(at(0), 0) // never accepted
	}
	if p := th.RejectProbability(at(9 * time.Second)); p < 0.99 {
		t.Fatalf("P(reject) = %v after 1000 unanswered requests, want ≈ 1", p)
	}
	if p := th.RejectProbability(at(10 * time.Second)); p != 0 {
		t.Fatalf("P(reject) = %v once the window has passed, want 0", p)
	}
	if !th.Admit(at(10*time.Second), 0) {
		t.Fatal("refused with an empty window")
	}
}

func TestSREThrottleIsDeterministic(t *testing.T) {
	run := func() string {
		th := ocMust(NewSREThrottle(seeded(DefaultSREThrottle, 42)))
		var b strings.Builder
		for i := 0; i < 500; i++ {
			if th.Admit(at(time.Duration(i)*time.Millisecond), 0) {
				b.WriteByte('1')
			} else {
				b.WriteByte('0')
			}
		}
		return b.String()
	}
	if a, b := run(), run(); a != b {
		t.Fatal("same seed, same calls, different decisions")
	}
}

// --- CircuitBreaker ---

func TestCircuitBreakerStateString(t *testing.T) {
	for s, want := range map[CircuitBreakerState]string{
		CircuitBreakerClosed: "closed", CircuitBreakerOpen: "open", CircuitBreakerHalfOpen: "half-open", 7: "CircuitBreakerState(7)",
	} {
		if got := s.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(s), got, want)
		}
	}
}

// breakerStep is one event of a breaker trace: admit at t (want the answer),
// or report an outcome at t of a unit admitted lat before.
type breakerStep struct {
	t     time.Duration
	op    string // "admit", "ok", "fail"
	lat   time.Duration
	want  bool                // for admit
	state CircuitBreakerState // after the step
}

func runCircuitBreaker(t *testing.T, b *CircuitBreaker, steps []breakerStep) {
	t.Helper()
	for i, s := range steps {
		now := at(s.t)
		switch s.op {
		case "admit":
			if got := b.Admit(now, 0); got != s.want {
				t.Fatalf("step %d at %v: Admit = %v, want %v", i, s.t, got, s.want)
			}
		case "ok", "fail":
			b.Done(now, s.lat, s.op == "ok")
		}
		if got := b.State(now); got != s.state {
			t.Fatalf("step %d at %v (%s): state %v, want %v", i, s.t, s.op, got, s.state)
		}
	}
}

var testCircuitBreaker = CircuitBreakerConfig{FailureRatio: 0.5, MinRequests: 4, Window: 10 * time.Second, Buckets: 10, Cooldown: 5 * time.Second, Probes: 2}

func TestCircuitBreakerClosedOpenHalfOpenClosed(t *testing.T) {
	b := ocMust(NewCircuitBreaker(testCircuitBreaker))
	s := time.Second
	ms := time.Millisecond
	runCircuitBreaker(t, b, []breakerStep{
		{t: 0, op: "admit", want: true, state: CircuitBreakerClosed},
		{t: 1 * s, op: "fail", lat: s, state: CircuitBreakerClosed},
		{t: 1 * s, op: "fail", lat: s, state: CircuitBreakerClosed},
		{t: 1 * s, op: "fail", lat: s, state: CircuitBreakerClosed}, // 3 failures, but 3 outcomes < MinRequests
		{t: 2 * s, op: "ok", lat: s, state: CircuitBreakerOpen},     // 4 outcomes, 3/4 failed: open at 2 s
		{t: 2 * s, op: "admit", want: false, state: CircuitBreakerOpen},
		{t: 6*s + 999*ms, op: "admit", want: false, state: CircuitBreakerOpen},
		{t: 7 * s, op: "admit", want: true, state: CircuitBreakerHalfOpen}, // cooldown over: probe 1
		{t: 7 * s, op: "admit", want: true, state: CircuitBreakerHalfOpen}, // probe 2
		{t: 7 * s, op: "admit", want: false, state: CircuitBreakerHalfOpen},
		{t: 7*s + 500*ms, op: "fail", lat: 6 * s, state: CircuitBreakerHalfOpen}, // straggler from 1.5 s: ignored
		{t: 7*s + 500*ms, op: "ok", lat: 500 * ms, state: CircuitBreakerHalfOpen},
		{t: 8 * s, op: "admit", want: false, state: CircuitBreakerHalfOpen},
		{t: 8 * s, op: "ok", lat: time.Second, state: CircuitBreakerClosed}, // both probes passed
		{t: 8 * s, op: "admit", want: true, state: CircuitBreakerClosed},
		// The window starts empty: three failures are below MinRequests.
		{t: 9 * s, op: "fail", lat: s, state: CircuitBreakerClosed},
		{t: 9 * s, op: "fail", lat: s, state: CircuitBreakerClosed},
		{t: 9 * s, op: "fail", lat: s, state: CircuitBreakerClosed},
		{t: 9 * s, op: "fail", lat: 5 * s, state: CircuitBreakerClosed}, // admitted at 4 s, before closing: ignored
		// They expire: at 19 s the 9 s bucket has left; three successes and one
		// failure are 1/4 < 0.5.
		{t: 19 * s, op: "ok", lat: s, state: CircuitBreakerClosed},
		{t: 19 * s, op: "ok", lat: s, state: CircuitBreakerClosed},
		{t: 19 * s, op: "ok", lat: s, state: CircuitBreakerClosed},
		{t: 19 * s, op: "fail", lat: s, state: CircuitBreakerClosed},
		{t: 19 * s, op: "fail", lat: s, state: CircuitBreakerClosed}, // 2/5
		{t: 19 * s, op: "fail", lat: s, state: CircuitBreakerOpen},   // 3/6
	})
}

func TestCircuitBreakerHalfOpenFailureReopens(t *testing.T) {
	b := ocMust(NewCircuitBreaker(testCircuitBreaker))
	s := time.Second
	ms := time.Millisecond
	steps := []breakerStep{}
	for i := 0; i < 4; i++ {
		steps = append(steps, breakerStep{t: 0, op: "fail", state: CircuitBreakerClosed})
	}
	steps[3].state = CircuitBreakerOpen // opened at 0
	steps = append(steps,
		breakerStep{t: 4 * s, op: "ok", lat: 4 * s, state: CircuitBreakerOpen}, // outcomes while open: ignored
		breakerStep{t: 5 * s, op: "admit", want: true, state: CircuitBreakerHalfOpen},
		breakerStep{t: 5 * s, op: "ok", state: CircuitBreakerHalfOpen},                     // probe 1 passed
		breakerStep{t: 6 * s, op: "admit", want: true, state: CircuitBreakerHalfOpen},      // probe 2
		breakerStep{t: 6 * s, op: "admit", want: false, state: CircuitBreakerHalfOpen},     // no third
		breakerStep{t: 6*s + 300*ms, op: "fail", lat: 300 * ms, state: CircuitBreakerOpen}, // probe 2 failed
		breakerStep{t: 11*s + 299*ms, op: "admit", want: false, state: CircuitBreakerOpen}, // new cooldown from 6.3 s
		breakerStep{t: 11*s + 300*ms, op: "admit", want: true, state: CircuitBreakerHalfOpen},
	)
	runCircuitBreaker(t, b, steps)
	if got := b.State(at(6 * s)); got != CircuitBreakerHalfOpen {
		t.Fatalf("a late State call moved the breaker back: %v", got)
	}
}

// --- Velocity ---

func TestVelocityWindowBoundaries(t *testing.T) {
	v := ocMust(NewVelocity(VelocityConfig{Max: 3, Window: 10 * time.Second}))
	s := time.Second
	ns := time.Nanosecond
	for i, c := range []struct {
		t    time.Duration
		n    int
		want bool
		left int // Remaining after the call
	}{
		{0, 2, true, 1},
		{0, 2, false, 1},
		{0, 1, true, 0},
		{0, 0, false, 0},     // n < 1
		{5 * s, 4, false, 0}, // n > max
		{5 * s, 1, false, 0},
		{10*s - ns, 1, false, 0}, // the events at 0 are still inside (t − 10 s, t]
		{10 * s, 1, true, 2},     // ... and out at exactly 10 s
		{10 * s, 3, false, 2},
		{10 * s, 2, true, 0},
		{20*s - ns, 1, false, 0},
		{20 * s, 3, true, 0},
	} {
		if got := v.Allow(at(c.t), c.n); got != c.want {
			t.Fatalf("step %d: Allow(%v, %d) = %v, want %v", i, c.t, c.n, got, c.want)
		}
		if got := v.Remaining(at(c.t)); got != c.left {
			t.Fatalf("step %d at %v: Remaining %d, want %d", i, c.t, got, c.left)
		}
	}
	// Admit is Allow(now, 1).
	if v.Admit(at(29*s), 0) {
		t.Fatal("Admit with the window full")
	}
	if !v.Admit(at(30*s), 0) {
		t.Fatal("Admit refused with the window empty")
	}
}

// TestVelocityLateCaller: a caller whose instant is earlier than the latest
// seen is judged against everything recorded since its own now − window,
// including events after its now.
func TestVelocityLateCaller(t *testing.T) {
	v := ocMust(NewVelocity(VelocityConfig{Max: 2, Window: 10 * time.Second}))
	if !v.Allow(at(0), 1) || !v.Allow(at(12*time.Second), 1) {
		t.Fatal("setup refused")
	}
	// At 12 s the window (2 s, 12 s] holds 1. A caller at 9 s sees (−1 s, 9 s]
	// plus the later event: 2, full.
	if v.Allow(at(9*time.Second), 1) {
		t.Fatal("late caller admitted against a full window")
	}
	if !v.Allow(at(11*time.Second), 1) { // (1 s, 11 s]: the 12 s event only
		t.Fatal("late caller refused with room")
	}
	if v.Allow(at(13*time.Second), 1) {
		t.Fatal("admitted a third unit within 10 s")
	}
}

// --- RetryBudget ---

func TestRetryBudgetFloorRatioExpiry(t *testing.T) {
	s := time.Second
	b := ocMust(NewRetryBudget(DefaultRetryBudget))
	retries := func(now time.Duration) int { // retries allowed at now until refused
		n := 0
		for b.Retry(at(now), false) {
			n++
			if n > 1e6 {
				t.Fatal("unbounded")
			}
		}
		return n
	}
	// The floor alone: 10/s × 10 s, with no requests at all.
	if n := retries(0); n != 100 {
		t.Fatalf("floor: %d retries, want 100", n)
	}
	// Each request adds 0.2: 50 requests, 10 more retries.
	for i := 0; i < 50; i++ {
		b.Request(at(0))
	}
	if n := retries(0); n != 10 {
		t.Fatalf("50 requests: %d more retries, want 10", n)
	}
	for i := 0; i < 4; i++ {
		b.Request(at(5 * s))
	}
	if n := retries(5 * s); n != 0 {
		t.Fatalf("4 requests (0.8): %d more retries, want 0", n)
	}
	b.Request(at(5 * s))
	if n := retries(5 * s); n != 1 {
		t.Fatalf("5 requests (1.0): %d more retries, want 1", n)
	}
	// At 10 s the 0 s bucket leaves: 110 retries and 50 requests with it.
	// Left: 1 retry, 5 requests; budget 1 + 100.
	if n := retries(10*s - time.Nanosecond); n != 0 {
		t.Fatalf("just before the TTL: %d retries, want 0", n)
	}
	if n := retries(10 * s); n != 100 {
		t.Fatalf("after the TTL: %d retries, want 100", n)
	}

	// Requests expire on their own: with no floor, 10 requests fund 2 retries
	// for 10 s and no more.
	b = ocMust(NewRetryBudget(RetryBudgetConfig{Ratio: 0.2, MinPerSecond: 0, TTL: 10 * s, Buckets: 10}))
	if b.Retry(at(0), false) {
		t.Fatal("retry with no requests and no floor")
	}
	for i := 0; i < 10; i++ {
		b.Request(at(0))
	}
	if n := retries(0); n != 2 {
		t.Fatalf("10 requests: %d retries, want 2", n)
	}
	if n := retries(10 * s); n != 0 {
		t.Fatalf("after the TTL, requests gone: %d retries, want 0", n)
	}
	for i := 0; i < 5; i++ {
		b.Request(at(10 * s))
	}
	if n := retries(10 * s); n != 1 {
		t.Fatalf("5 fresh requests: %d retries, want 1", n)
	}
}

// --- AWSQuota ---

func TestAWSQuotaSpendsAndRefunds(t *testing.T) {
	q := ocMust(NewAWSQuota(DefaultAWSQuota))
	n := 0
	for q.Retry(at(0), false) {
		n++
	}
	if n != 100 || q.Available() != 0 {
		t.Fatalf("500/5: %d retries, %d left; want 100, 0", n, q.Available())
	}
	for i := 0; i < 4; i++ {
		q.Success(at(0), false) // +1 each
	}
	if q.Retry(at(0), false) {
		t.Fatal("retry with 4 tokens")
	}
	q.Success(at(0), false)
	if !q.Retry(at(0), false) {
		t.Fatal("retry refused with 5 tokens")
	}
	q.Success(at(0), true) // +5
	q.Success(at(0), true) // +5
	if q.Available() != 10 {
		t.Fatalf("%d tokens, want 10", q.Available())
	}
	if !q.Retry(at(0), true) || q.Available() != 0 { // a timeout retry costs 10
		t.Fatalf("timeout retry: %d tokens left, want 0", q.Available())
	}
	if q.Retry(at(0), true) {
		t.Fatal("timeout retry with no tokens")
	}
	for i := 0; i < 200; i++ {
		q.Success(at(0), true)
	}
	if q.Available() != 500 {
		t.Fatalf("refunds went to %d, want capped at 500", q.Available())
	}
}

// --- constructors ---

func TestOverloadConstructorsRejectBadParameters(t *testing.T) {
	sre := func(f func(*SREThrottleConfig)) error {
		c := DefaultSREThrottle
		f(&c)
		_, err := NewSREThrottle(c)
		return err
	}
	br := func(f func(*CircuitBreakerConfig)) error {
		c := DefaultCircuitBreaker
		f(&c)
		_, err := NewCircuitBreaker(c)
		return err
	}
	rb := func(f func(*RetryBudgetConfig)) error {
		c := DefaultRetryBudget
		f(&c)
		_, err := NewRetryBudget(c)
		return err
	}
	rq := func(f func(*AWSQuotaConfig)) error {
		c := DefaultAWSQuota
		f(&c)
		_, err := NewAWSQuota(c)
		return err
	}
	vel := func(max int, w time.Duration) error {
		_, err := NewVelocity(VelocityConfig{Max: max, Window: w})
		return err
	}
	for _, c := range []struct {
		err  error
		want string // must appear in the message
	}{
		{sre(func(c *SREThrottleConfig) { c.K = 0.5 }), "0.5"},
		{sre(func(c *SREThrottleConfig) { c.K = math.NaN() }), "NaN"},
		{sre(func(c *SREThrottleConfig) { c.K = math.Inf(1) }), "+Inf"},
		{sre(func(c *SREThrottleConfig) { c.Window = 0 }), "0s"},
		{sre(func(c *SREThrottleConfig) { c.Buckets = 0 }), "0"},
		{sre(func(c *SREThrottleConfig) { c.Window, c.Buckets = 5, 6 }), "5ns"},
		{br(func(c *CircuitBreakerConfig) { c.FailureRatio = 0 }), "0"},
		{br(func(c *CircuitBreakerConfig) { c.FailureRatio = 1.5 }), "1.5"},
		{br(func(c *CircuitBreakerConfig) { c.MinRequests = -3 }), "-3"},
		{br(func(c *CircuitBreakerConfig) { c.Window = -time.Second }), "-1s"},
		{br(func(c *CircuitBreakerConfig) { c.Buckets = -2 }), "-2"},
		{br(func(c *CircuitBreakerConfig) { c.Cooldown = 0 }), "0s"},
		{br(func(c *CircuitBreakerConfig) { c.Probes = 0 }), "0"},
		{vel(0, time.Second), "0"},
		{vel(3, -2*time.Second), "-2s"},
		{rb(func(c *RetryBudgetConfig) { c.Ratio = -0.1 }), "-0.1"},
		{rb(func(c *RetryBudgetConfig) { c.Ratio = math.Inf(1) }), "+Inf"},
		{rb(func(c *RetryBudgetConfig) { c.MinPerSecond = -1 }), "-1"},
		{rb(func(c *RetryBudgetConfig) { c.TTL = 0 }), "0s"},
		{rb(func(c *RetryBudgetConfig) { c.Buckets = 0 }), "0"},
		{rq(func(c *AWSQuotaConfig) { c.Capacity = 0 }), "0"},
		{rq(func(c *AWSQuotaConfig) { c.RetryCost = 0 }), "0"},
		{rq(func(c *AWSQuotaConfig) { c.RetryCost = 600 }), "600"},
		{rq(func(c *AWSQuotaConfig) { c.TimeoutCost = 501 }), "501"},
		{rq(func(c *AWSQuotaConfig) { c.SuccessRefund = -1 }), "-1"},
	} {
		if c.err == nil {
			t.Errorf("accepted a bad parameter (want error naming %q)", c.want)
			continue
		}
		if msg := c.err.Error(); !strings.HasPrefix(msg, "throttle: ") || !strings.Contains(msg, c.want) {
			t.Errorf("error %q: want prefix %q and the value %q", msg, "throttle: ", c.want)
		}
	}
	// The defaults are valid.
	ocMust(NewSREThrottle(seeded(DefaultSREThrottle, 0)))
	ocMust(NewCircuitBreaker(DefaultCircuitBreaker))
	ocMust(NewRetryBudget(DefaultRetryBudget))
	ocMust(NewAWSQuota(DefaultAWSQuota))
	ocMust(NewVelocity(VelocityConfig{Max: 1, Window: time.Nanosecond}))
}

// --- allocations ---

func TestOverloadDecisionsDoNotAllocate(t *testing.T) {
	th := ocMust(NewSREThrottle(seeded(DefaultSREThrottle, 1)))
	br := ocMust(NewCircuitBreaker(DefaultCircuitBreaker))
	v := ocMust(NewVelocity(VelocityConfig{Max: 1000, Window: time.Second}))
	rb := ocMust(NewRetryBudget(DefaultRetryBudget))
	rq := ocMust(NewAWSQuota(DefaultAWSQuota))
	w := newWindow(time.Minute, 60)
	now := t0
	tick := func() time.Time { now = now.Add(37 * time.Millisecond); return now }
	for name, f := range map[string]func(){
		"window.add":             func() { w.add(tick(), 1) },
		"window.charge":          func() { w.charge(tick(), 1) },
		"window.sum":             func() { w.sum(tick()) },
		"SREThrottle.Admit":      func() { th.Admit(tick(), 0) },
		"SREThrottle.Done":       func() { th.Done(tick(), time.Millisecond, true) },
		"SREThrottle.RejectProb": func() { th.RejectProbability(tick()) },
		"CircuitBreaker.Admit":   func() { br.Admit(tick(), 0) },
		"CircuitBreaker.Done":    func() { br.Done(tick(), time.Millisecond, now.UnixNano()%3 != 0) },
		"CircuitBreaker.State":   func() { br.State(tick()) },
		"Velocity.Allow":         func() { v.Allow(tick(), 2) },
		"Velocity.Admit":         func() { v.Admit(tick(), 0) },
		"Velocity.Remaining":     func() { v.Remaining(tick()) },
		"RetryBudget.Request":    func() { rb.Request(tick()) },
		"RetryBudget.Retry":      func() { rb.Retry(tick(), false) },
		"AWSQuota.Retry":         func() { rq.Retry(tick(), true) },
		"AWSQuota.Success":       func() { rq.Success(tick(), false) },
	} {
		if n := testing.AllocsPerRun(2000, f); n != 0 {
			t.Errorf("%s allocates %v per call, want 0", name, n)
		}
	}
}

// --- concurrency ---

// TestOverloadControlsConcurrentUse drives every control from 8 goroutines
// whose instants come from a shared clock, so they interleave slightly out of
// order, and checks the bounds that must survive it. Run with -race.
func TestOverloadControlsConcurrentUse(t *testing.T) {
	const workers, calls = 8, 3000
	th := ocMust(NewSREThrottle(SREThrottleConfig{K: 2, Window: time.Second, Buckets: 10, Seed: 3}))
	br := ocMust(NewCircuitBreaker(CircuitBreakerConfig{FailureRatio: 0.3, MinRequests: 10, Window: time.Second, Buckets: 10, Cooldown: 50 * time.Millisecond, Probes: 3}))
	v := ocMust(NewVelocity(VelocityConfig{Max: 50, Window: 100 * time.Millisecond}))
	rb := ocMust(NewRetryBudget(RetryBudgetConfig{Ratio: 0.2, MinPerSecond: 10, TTL: 100 * time.Second, Buckets: 10}))
	rq := ocMust(NewAWSQuota(DefaultAWSQuota))

	var clock atomic.Int64 // µs since t0
	var requests, retries atomic.Int64
	type event struct {
		at time.Time
		n  int
	}
	allowed := make([][]event, workers)
	var wg sync.WaitGroup
	for g := 0; g < workers; g++ {
		wg.Go(func() {
			for i := 0; i < calls; i++ {
				now := t0.Add(time.Duration(clock.Add(100)) * time.Microsecond)
				if th.Admit(now, 0) {
					th.Done(now, 0, i%3 != 0)
				}
				if br.Admit(now, 0) {
					br.Done(now, 0, i%4 != 0)
				}
				br.State(now)
				n := 1 + (i+g)%3
				if v.Allow(now, n) {
					allowed[g] = append(allowed[g], event{now, n})
				}
				rb.Request(now)
				requests.Add(1)
				if rb.Retry(now, false) {
					retries.Add(1)
				}
				if rq.Retry(now, i%2 == 0) {
					if k := rq.Available(); k < 0 || k > 500 {
						t.Errorf("quota at %d tokens", k)
					}
				}
				rq.Success(now, i%5 == 0)
			}
		})
	}
	wg.Wait()

	// Velocity: in true time, no interval of 100 ms holds more than 50 units.
	var all []event
	for _, e := range allowed {
		all = append(all, e...)
	}
	if len(all) == 0 {
		t.Fatal("velocity allowed nothing")
	}
	times := make([]time.Time, len(all))
	units := make([]int, len(all))
	for i, e := range all {
		times[i], units[i] = e.at, e.n
	}
	if a, sum := worstWindow(times, units, 100*time.Millisecond); sum > 50 {
		t.Errorf("velocity let %d units through in [%v, +100ms), max 50", sum, a.Sub(t0))
	}
	// Retry budget: everything happens within one TTL, so retries never
	// exceed 0.2 × all requests + the floor.
	if r, q := float64(retries.Load()), float64(requests.Load()); r > 0.2*q+1000+1e-9 {
		t.Errorf("retry budget allowed %v retries for %v requests", r, q)
	}
	if k := rq.Available(); k < 0 || k > 500 {
		t.Errorf("quota ended at %d tokens", k)
	}
}

// worstWindow returns the start of the interval [a, a+w) holding the most
// units, and that total, by brute force over the events (sorted or not).
func worstWindow(times []time.Time, units []int, w time.Duration) (time.Time, int) {
	var worstAt time.Time
	worst := 0
	for i := range times {
		sum := 0
		for j := range times {
			if d := times[j].Sub(times[i]); d >= 0 && d < w {
				sum += units[j]
			}
		}
		if sum > worst {
			worst, worstAt = sum, times[i]
		}
	}
	return worstAt, worst
}
