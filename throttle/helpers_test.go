package throttle

import (
	"math/rand"
	"testing"
	"testing/quick"
	"time"
)

// Helpers shared by the tests of several files.

// t0 is the first instant of the traces; at(d) is d after it.
var t0 = time.Date(2025, 10, 20, 2, 25, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

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

// adaptiveLimiter is what every adaptive concurrency limit here offers.
type adaptiveLimiter interface {
	Admitter
	Feedback
	Limit() int
	Inflight() int
}

var (
	_ adaptiveLimiter = (*AIMD)(nil)
	_ adaptiveLimiter = (*Vegas)(nil)
	_ adaptiveLimiter = (*Gradient2)(nil)
	_ adaptiveLimiter = (*EnvoyGradient)(nil)
)

// ct0 is the first instant of every trace; msClock hands out ct0, ct0+1ms, ...
var ct0 = time.Date(2025, 10, 20, 7, 0, 0, 0, time.UTC)

type msClock struct{ ms int }

// next is the next millisecond instant of the trace.
func (c *msClock) next() time.Time {
	t := ct0.Add(time.Duration(c.ms) * time.Millisecond)
	c.ms++
	return t
}

// fillLimiter admits at successive instants until refused and returns how many got in.
func fillLimiter(t *testing.T, l adaptiveLimiter, c *msClock) int {
	t.Helper()
	n := 0
	for l.Admit(c.next(), 0) {
		n++
		if n > 1_000_000 {
			t.Fatal("Admit never refuses")
		}
	}
	return n
}

// checkStartsAtInitial: a fresh limiter reports want, admits exactly want
// units, refuses the next, and admits again once one is Done.
func checkStartsAtInitial(t *testing.T, l adaptiveLimiter, want int) {
	t.Helper()
	var c msClock
	if got := l.Limit(); got != want {
		t.Fatalf("fresh Limit()=%d, want %d", got, want)
	}
	if n := fillLimiter(t, l, &c); n != want {
		t.Fatalf("admitted %d before refusing, want %d", n, want)
	}
	if got := l.Inflight(); got != want {
		t.Fatalf("Inflight()=%d after filling, want %d", got, want)
	}
	if l.Admit(c.next(), 0) {
		t.Fatal("admitted past the limit")
	}
	// (The limit may move on this sample, but none of them shrinks it.)
	l.Done(c.next(), time.Millisecond, true)
	if got := l.Inflight(); got != want-1 {
		t.Fatalf("Inflight()=%d after Done, want %d", got, want-1)
	}
	if !l.Admit(c.next(), 0) {
		t.Fatal("Done did not free a slot")
	}
}

// sampleAtLimit Dones one unit with latency and refills to the limit, so every
// sample is taken with the limiter saturated.
func sampleAtLimit(t *testing.T, l adaptiveLimiter, c *msClock, latency time.Duration, ok bool) {
	t.Helper()
	l.Done(c.next(), latency, ok)
	fillLimiter(t, l, c)
}

// newDefaultLimiters returns one of each limiter at its defaults, with the
// bounds its limit must stay within.
func newDefaultLimiters(t testing.TB) []struct {
	name     string
	l        adaptiveLimiter
	min, max int
} {
	aimd, err1 := NewAIMD(DefaultAIMD)
	vegas, err2 := NewVegas(DefaultVegas)
	g2, err3 := NewGradient2(DefaultGradient2)
	envoy, err4 := NewEnvoyGradient(DefaultEnvoyGradient)
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return []struct {
		name     string
		l        adaptiveLimiter
		min, max int
	}{
		{"AIMD", aimd, DefaultAIMD.Min, DefaultAIMD.Max},
		{"Vegas", vegas, 1, DefaultVegas.Max},
		{"Gradient2", g2, DefaultGradient2.Min, DefaultGradient2.Max},
		{"Envoy", envoy, DefaultEnvoyGradient.Min, DefaultEnvoyGradient.Max},
	}
}

// quickCheck runs f over generated inputs from a logged seed: the property
// tests with testing/quick (TestProperty* in tokenbucket_test.go,
// velocity_test.go and retrybudget_test.go). Each generator builds a whole
// trace from quick's random source; on failure quick prints the trace
// (through its GoString method, which %#v uses) and the test prints the seed
// that reproduces the run.
func quickCheck(t *testing.T, f any, count int) {
	t.Helper()
	seed := time.Now().UnixNano()
	cfg := &quick.Config{MaxCount: count, Rand: rand.New(rand.NewSource(seed))}
	if err := quick.Check(f, cfg); err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
}
