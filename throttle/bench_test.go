package throttle

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// decision is one decision path: call makes one decision at now (plus, for
// controls that learn, the feedback that completes it).
type decision struct {
	name string
	make func() func(now time.Time)
}

// high rates and limits keep every control on its admitting path, the one
// that does the most work.
func decisions() []decision {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	feedback := func(a Admitter) func(time.Time) {
		fb := a.(Feedback)
		return func(now time.Time) {
			if a.Admit(now, 0) {
				fb.Done(now, time.Millisecond, true)
			}
		}
	}
	return []decision{
		{"x-time-rate-AllowN", func() func(time.Time) {
			l := rate.NewLimiter(1e9, 1<<20)
			return func(now time.Time) { l.AllowN(now, 1) }
		}},
		{"token-bucket", func() func(time.Time) {
			b, err := NewTokenBucket(1e9, 1<<20)
			must(err)
			return func(now time.Time) { b.Admit(now, 0) }
		}},
		{"queue-size", func() func(time.Time) {
			q, err := NewQueueProportional(1e9, 1<<20, 1<<20)
			must(err)
			return func(now time.Time) { q.Admit(now, 10) }
		}},
		{"aimd/admit+done", func() func(time.Time) {
			a, err := NewAIMD(DefaultAIMD)
			must(err)
			return feedback(a)
		}},
		{"vegas/admit+done", func() func(time.Time) {
			a, err := NewVegas(DefaultVegas)
			must(err)
			return feedback(a)
		}},
		{"gradient2/admit+done", func() func(time.Time) {
			a, err := NewGradient2(DefaultGradient2)
			must(err)
			return feedback(a)
		}},
		{"envoy-gradient/admit+done", func() func(time.Time) {
			a, err := NewEnvoyGradient(DefaultEnvoyGradient)
			must(err)
			return feedback(a)
		}},
		{"sre-throttle/admit+done", func() func(time.Time) {
			a, err := NewAdaptiveThrottle(DefaultAdaptiveThrottle, 1)
			must(err)
			return feedback(a)
		}},
		{"circuit-breaker/admit+done", func() func(time.Time) {
			a, err := NewBreaker(DefaultBreaker)
			must(err)
			return feedback(a)
		}},
		{"velocity", func() func(time.Time) {
			v, err := NewVelocity(1<<20, time.Millisecond)
			must(err)
			return func(now time.Time) { v.Allow(now, 1) }
		}},
		{"retry-budget/request+retry", func() func(time.Time) {
			g, err := NewRetryBudget(DefaultRetryBudget)
			must(err)
			return func(now time.Time) { g.Request(now); g.Retry(now, false) }
		}},
		{"aws-quota/retry+success", func() func(time.Time) {
			g, err := NewRetryQuota(DefaultRetryQuota)
			must(err)
			return func(now time.Time) { g.Retry(now, false); g.Success(now, true) }
		}},
	}
}

var t0b = time.Date(2025, 10, 20, 2, 25, 0, 0, time.UTC)

// BenchmarkDecision measures every decision path of every control, serially
// and from all CPUs (RunParallel), with x/time/rate's AllowN first in the
// same run. Each serial result reports vs-AllowN: its ns/op over AllowN's.
// Paths that pair a decision with its feedback (admit+done) do two calls per
// op and are still compared with one AllowN.
//
//	go test ./throttle -run XXX -bench Decision
func BenchmarkDecision(b *testing.B) {
	var allowN float64
	for _, d := range decisions() {
		b.Run("serial/"+d.name, func(b *testing.B) {
			call := d.make()
			now := t0b
			b.ReportAllocs()
			for b.Loop() {
				now = now.Add(time.Microsecond)
				call(now)
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if d.name == "x-time-rate-AllowN" {
				allowN = ns
			}
			if allowN > 0 {
				b.ReportMetric(ns/allowN, "vs-AllowN")
			}
		})
		b.Run("parallel/"+d.name, func(b *testing.B) {
			call := d.make()
			var clock atomic.Int64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					call(t0b.Add(time.Duration(clock.Add(1000))))
				}
			})
		})
	}
}

// rated is a rate-type control under conformance test: admit one unit at now;
// configured is how many it promises over an interval.
type rated struct {
	name       string
	admit      func() func(now time.Time) bool
	configured func(d time.Duration) float64
	burst      float64
}

const confRate, confBurst = 20_000.0, 20

func rateds() []rated {
	perSec := func(d time.Duration) float64 { return confRate*d.Seconds() + confBurst }
	return []rated{
		{"x-time-rate", func() func(time.Time) bool {
			l := rate.NewLimiter(confRate, confBurst)
			return func(now time.Time) bool { return l.AllowN(now, 1) }
		}, perSec, confBurst},
		{"token-bucket", func() func(time.Time) bool {
			b, _ := NewTokenBucket(confRate, confBurst)
			return func(now time.Time) bool { return b.Admit(now, 0) }
		}, perSec, confBurst},
		{"queue-size", func() func(time.Time) bool {
			q, _ := NewQueueProportional(confRate, 1000, confBurst)
			return func(now time.Time) bool { return q.Admit(now, 0) }
		}, perSec, confBurst},
		{"velocity", func() func(time.Time) bool {
			v, _ := NewVelocity(int(confRate/100), 10*time.Millisecond) // the same 20k/s in 10 ms windows
			return func(now time.Time) bool { return v.Allow(now, 1) }
		}, func(d time.Duration) float64 { return confRate * d.Seconds() }, confRate / 100},
	}
}

// BenchmarkConformance drives each rate-type control from 1, 2 and 64
// goroutines calling it as fast as they can with the wall clock for a fixed
// interval, and reports admitted/configured (configured = rate·interval +
// burst). golang/go#65508 reports x/time/rate admitting more than its rate
// under contention: this measures it beside ours. TestConformance asserts ours
// stay within 1% + burst.
//
//	go test ./throttle -run XXX -bench Conformance -benchtime 5x
func BenchmarkConformance(b *testing.B) {
	const interval = 200 * time.Millisecond
	for _, r := range rateds() {
		for _, g := range []int{1, 2, 64} {
			b.Run(fmt.Sprintf("%s/goroutines=%d", r.name, g), func(b *testing.B) {
				var sum float64
				for b.Loop() {
					admitted := hammer(r.admit(), g, interval)
					sum += float64(admitted) / r.configured(interval)
				}
				b.ReportMetric(sum/float64(b.N), "admitted/configured")
			})
		}
	}
}

// hammer calls admit from g goroutines with time.Now() until interval has
// passed since the first call and returns how many were admitted.
func hammer(admit func(time.Time) bool, g int, interval time.Duration) int64 {
	var admitted atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(interval)
	for range g {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				now := time.Now()
				if now.After(end) {
					return
				}
				if admit(now) {
					admitted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return admitted.Load()
}

// TestConformance: under contention our rate-type controls admit within
// 1% + burst of what they promise over the interval, and never more.
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the wall clock for about a second")
	}
	const interval = 100 * time.Millisecond
	for _, r := range rateds() {
		if r.name == "x-time-rate" {
			continue // measured, not asserted: it is not ours
		}
		for _, g := range []int{1, 2, 64} {
			admitted := float64(hammer(r.admit(), g, interval))
			promised := r.configured(interval)
			// Upper bound is strict; the lower bound allows for goroutines
			// that start late or are descheduled on a loaded machine.
			if admitted > promised*1.01+r.burst {
				t.Errorf("%s, %d goroutines: admitted %.0f over %v, promised %.0f: more than 1%% + burst %v over", r.name, g, admitted, interval, promised, r.burst)
			}
			if admitted < promised*0.99-r.burst-confRate*0.01 {
				t.Logf("%s, %d goroutines: admitted %.0f of %.0f (under-admission on a busy machine is logged, not failed)", r.name, g, admitted, promised)
			}
		}
	}
}
