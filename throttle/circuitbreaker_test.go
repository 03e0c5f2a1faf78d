package throttle

import (
	"testing"
	"time"
)

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
