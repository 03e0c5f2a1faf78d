package throttle

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// The contract every control keeps, whatever its rule (doc.go): decisions
// allocate nothing, concurrent use keeps each control's bounds, and the
// cost of a decision is measured against x/time/rate's AllowN.

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

// decision is one decision path: call makes one decision at now. serial
// paths reset the control's state between calls through its internals (to
// time one method alone, always on its working path) and so run on one
// goroutine only; pairs (a decision with its feedback) also run in parallel.
type decision struct {
	name   string
	serial bool
	make   func() func(now time.Time)
}

// decisions lists every decision path. High rates and limits, and state
// reset or pre-filled where needed, keep each on the path that does the most
// work: admitting, updating, refilling.
func decisions() []decision {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	pair := func(a Admitter) func(time.Time) {
		fb := a.(Feedback)
		return func(now time.Time) {
			if a.Admit(now, 0) {
				fb.Done(now, time.Millisecond, true)
			}
		}
	}
	// limit builds the admit, done and admit+done paths of a concurrency
	// limit; s is its limiter core.
	limit := func(name string, mk func() (Admitter, *limiter)) []decision {
		return []decision{
			{name + "/admit", true, func() func(time.Time) {
				a, s := mk()
				return func(now time.Time) { a.Admit(now, 0); s.inflight = 0 }
			}},
			{name + "/done", true, func() func(time.Time) {
				a, s := mk()
				s.inflight = 1 << 40
				fb := a.(Feedback)
				return func(now time.Time) { fb.Done(now, time.Millisecond, true) }
			}},
			{name + "/admit+done", false, func() func(time.Time) { a, _ := mk(); return pair(a) }},
		}
	}
	ds := []decision{
		{"x-time-rate-AllowN", false, func() func(time.Time) {
			l := rate.NewLimiter(1e9, 1<<20)
			return func(now time.Time) { l.AllowN(now, 1) }
		}},
		{"token-bucket", false, func() func(time.Time) {
			b, err := NewTokenBucket(TokenBucketConfig{Rate: 1e9, Burst: 1 << 20})
			must(err)
			return func(now time.Time) { b.Admit(now, 0) }
		}},
		{"queue-size", false, func() func(time.Time) {
			q, err := NewQueueSize(QueueSizeConfig{Rate: 1e9, Limit: 1 << 20, Burst: 1 << 20})
			must(err)
			return func(now time.Time) { q.Admit(now, 10) }
		}},
		{"velocity", false, func() func(time.Time) {
			v, err := NewVelocity(VelocityConfig{Max: 1 << 20, Window: time.Millisecond})
			must(err)
			return func(now time.Time) { v.Allow(now, 1) }
		}},
	}
	ds = append(ds, limit("aimd", func() (Admitter, *limiter) {
		a, err := NewAIMD(DefaultAIMD)
		must(err)
		return a, &a.l
	})...)
	ds = append(ds, limit("vegas", func() (Admitter, *limiter) {
		a, err := NewVegas(DefaultVegas)
		must(err)
		return a, &a.l
	})...)
	ds = append(ds, limit("gradient2", func() (Admitter, *limiter) {
		a, err := NewGradient2(DefaultGradient2)
		must(err)
		return a, &a.l
	})...)
	ds = append(ds, limit("envoy-gradient", func() (Admitter, *limiter) {
		a, err := NewEnvoyGradient(DefaultEnvoyGradient)
		must(err)
		return a, &a.l
	})...)
	sre := func() *SREThrottle {
		a, err := NewSREThrottle(SREThrottleConfig{K: 2, Window: 2 * time.Minute, Buckets: 120, Seed: 1})
		must(err)
		a.mu.accepts.add(t0b, 1e15) // a healthy history: it admits
		return a
	}
	breaker := func() *CircuitBreaker {
		b, err := NewCircuitBreaker(DefaultCircuitBreaker)
		must(err)
		return b
	}
	budget := func() *RetryBudget {
		g, err := NewRetryBudget(DefaultRetryBudget)
		must(err)
		g.mu.requests.add(t0b, 1e15) // ample budget: retries are allowed
		return g
	}
	quota := func() *AWSQuota {
		g, err := NewAWSQuota(DefaultAWSQuota)
		must(err)
		g.mu.tokens = 1 << 60
		return g
	}
	return append(ds,
		decision{"sre-throttle/admit", true, func() func(time.Time) { a := sre(); return func(now time.Time) { a.Admit(now, 0) } }},
		decision{"sre-throttle/done", true, func() func(time.Time) {
			a := sre()
			return func(now time.Time) { a.Done(now, time.Millisecond, true) }
		}},
		decision{"sre-throttle/admit+done", false, func() func(time.Time) { return pair(sre()) }},
		decision{"circuit-breaker/admit", true, func() func(time.Time) { b := breaker(); return func(now time.Time) { b.Admit(now, 0) } }},
		decision{"circuit-breaker/done", true, func() func(time.Time) {
			b := breaker()
			return func(now time.Time) { b.Done(now, time.Millisecond, true) }
		}},
		decision{"circuit-breaker/admit+done", false, func() func(time.Time) { return pair(breaker()) }},
		decision{"retry-budget/request", true, func() func(time.Time) { g := budget(); return func(now time.Time) { g.Request(now) } }},
		decision{"retry-budget/retry", true, func() func(time.Time) { g := budget(); return func(now time.Time) { g.Retry(now, false) } }},
		decision{"retry-budget/request+retry", false, func() func(time.Time) {
			g := budget()
			return func(now time.Time) { g.Request(now); g.Retry(now, false) }
		}},
		decision{"aws-quota/retry", true, func() func(time.Time) { g := quota(); return func(now time.Time) { g.Retry(now, true) } }},
		decision{"aws-quota/success", true, func() func(time.Time) { g := quota(); return func(now time.Time) { g.Success(now, true) } }},
		decision{"aws-quota/retry+success", false, func() func(time.Time) {
			g := quota()
			return func(now time.Time) { g.Retry(now, false); g.Success(now, true) }
		}},
	)
}

var t0b = time.Date(2025, 10, 20, 2, 25, 0, 0, time.UTC)

// BenchmarkDecision measures every decision path of every control serially,
// and the whole-call paths and decision+feedback pairs from all CPUs
// (RunParallel), with x/time/rate's AllowN first in the same run. Each serial
// result reports vs-AllowN: its ns/op over AllowN's. A pair (admit+done) does
// two calls per op and is still compared with one AllowN.
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
		if d.serial {
			continue
		}
		b.Run("parallel/"+d.name, func(b *testing.B) {
			call := d.make()
			var clock atomic.Int64
			b.ReportAllocs()
			b.ResetTimer() // setup (a velocity ring is 32 MB) is not the decision
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
			b, _ := NewTokenBucket(TokenBucketConfig{Rate: confRate, Burst: confBurst})
			return func(now time.Time) bool { return b.Admit(now, 0) }
		}, perSec, confBurst},
		{"queue-size", func() func(time.Time) bool {
			q, _ := NewQueueSize(QueueSizeConfig{Rate: confRate, Limit: 1000, Burst: confBurst})
			return func(now time.Time) bool { return q.Admit(now, 0) }
		}, perSec, confBurst},
		{"velocity", func() func(time.Time) bool {
			v, _ := NewVelocity(VelocityConfig{Max: int(confRate / 100), Window: 10 * time.Millisecond}) // the same 20k/s in 10 ms windows
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
