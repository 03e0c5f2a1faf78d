package throttle

import (
	"math"
	"strings"
	"testing"
	"time"
)

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
