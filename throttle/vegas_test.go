package throttle

import (
	"math"
	"slices"
	"testing"
	"time"
)

// TestVegasTrace: the limit grows while latency stays at the no-load RTT,
// shrinks when latency doubles, and halves on a drop.
func TestVegasTrace(t *testing.T) {
	v, err := NewVegas(DefaultVegas)
	if err != nil {
		t.Fatal(err)
	}
	var c msClock
	fillLimiter(t, v, &c)
	sampleAtLimit(t, v, &c, 10*time.Millisecond, true) // queue 0 ≤ 1.30: +6·log10(20)
	if got, want := v.Limit(), int(20+6*math.Log10(20)); got != want {
		t.Fatalf("after one no-load sample Limit()=%d, want %d", got, want)
	}
	prev := v.Limit()
	for i := 0; i < 5; i++ {
		sampleAtLimit(t, v, &c, 10*time.Millisecond, true)
		if got := v.Limit(); got <= prev {
			t.Fatalf("no-load sample %d: Limit() %d did not grow from %d", i, got, prev)
		}
		prev = v.Limit()
	}
	high := prev
	// Latency doubles: the estimated queue is limit/2, above 6·log10(limit).
	for i := 0; i < 5; i++ {
		before := v.l.limit
		sampleAtLimit(t, v, &c, 20*time.Millisecond, true)
		want := before - math.Log10(before)
		if got := v.l.limit; math.Abs(got-want) > 1e-9 {
			t.Fatalf("doubled-latency sample %d: limit %v, want %v", i, got, want)
		}
	}
	if got := v.Limit(); got >= high {
		t.Fatalf("Limit()=%d after doubled latency, want below %d", got, high)
	}
	before := v.l.limit
	sampleAtLimit(t, v, &c, 10*time.Millisecond, false)
	if got := v.l.limit; math.Abs(got-before/2) > 1e-9 {
		t.Fatalf("after a drop limit %v, want %v", got, before/2)
	}
	// App-limited: with one unit in flight a no-load sample does not grow it.
	for v.Inflight() > 1 {
		v.Done(c.next(), 20*time.Millisecond, true) // shrinking is still allowed
	}
	before = v.l.limit
	v.Done(c.next(), 10*time.Millisecond, true)
	if got := v.l.limit; got > before {
		t.Fatalf("app-limited sample grew the limit from %v to %v", before, got)
	}
}

// TestVegasReprobesNoLoadLatency: after the no-load latency rises for good
// (10 ms → 100 ms, whatever the load), a Vegas that never re-probes reads the
// rise as a standing queue and holds its limit at a handful; with Netflix's
// probe (ProbeMultiplier 30) it re-learns rttNoLoad and grows again. The
// probes fall after 15-30 limits' worth of ok samples, and the same Seed
// gives the same limits.
func TestVegasReprobesNoLoadLatency(t *testing.T) {
	type outcome struct {
		v       *Vegas
		limits  []int
		atRise  int // limit when the latency rose
		relearn int // samples after the rise until rttNoLoad was 100ms; -1: never
	}
	run := func(c VegasConfig) outcome {
		v, err := NewVegas(c)
		if err != nil {
			t.Fatal(err)
		}
		var clk msClock
		fillLimiter(t, v, &clk)
		for i := 0; i < 200; i++ {
			sampleAtLimit(t, v, &clk, 10*time.Millisecond, true)
		}
		o := outcome{v: v, atRise: v.Limit(), relearn: -1}
		for i := 0; i < 20000; i++ {
			sampleAtLimit(t, v, &clk, 100*time.Millisecond, true)
			o.limits = append(o.limits, v.Limit())
			if o.relearn < 0 && v.rttNoLoad == 100*time.Millisecond {
				o.relearn = i + 1
			}
		}
		return o
	}
	never := DefaultVegas
	never.ProbeMultiplier = 0
	o := run(never)
	if got := o.v.Limit(); got > 7 || o.relearn >= 0 {
		t.Fatalf("without probing: limit %d, rttNoLoad %v; want ≤ 7 and the stale 10ms", got, o.v.rttNoLoad)
	}
	a := run(DefaultVegas)
	if got := a.v.Limit(); got < 500 || a.relearn < 0 {
		t.Fatalf("with probing: limit %d, rttNoLoad %v; want ≥ 500 and 100ms", got, a.v.rttNoLoad)
	}
	// The probe comes within 30 limits' worth of samples (the limit only
	// falls after the rise), and the limit is never squeezed to a handful.
	if a.relearn > 30*a.atRise {
		t.Errorf("rttNoLoad re-learnt %d samples after the rise, want ≤ 30 × %d", a.relearn, a.atRise)
	}
	if m := slices.Min(a.limits); m <= 7 {
		t.Errorf("with probing the limit still fell to %d", m)
	}
	if b := run(DefaultVegas); !slices.Equal(a.limits, b.limits) {
		t.Error("same Seed, different limits")
	}
	seeded := DefaultVegas
	seeded.Seed = 99
	if c := run(seeded); slices.Equal(a.limits, c.limits) {
		t.Error("another Seed gave the same limits: the jitter is not drawn from the seed")
	}
}

// TestVegasSmoothing: Smoothing 0.5 moves half-way to the target.
func TestVegasSmoothing(t *testing.T) {
	v, err := NewVegas(VegasConfig{Initial: 100, Max: 1000, Smoothing: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	var c msClock
	fillLimiter(t, v, &c)
	v.Done(c.next(), 10*time.Millisecond, true) // target 100 + 6·2 = 112
	if got := v.l.limit; math.Abs(got-106) > 1e-9 {
		t.Fatalf("limit %v, want 106", got)
	}
}
