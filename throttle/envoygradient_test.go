package throttle

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestEnvoyGradientTrace: pinned to Min while measuring minRTT (the p50 of
// the phase's samples), then at Initial; the limit rises when sampleRTT ≈
// minRTT, falls when sampleRTT ≫ minRTT·(1+Buffer), and is pinned again at
// the next measurement.
func TestEnvoyGradientTrace(t *testing.T) {
	e, err := NewEnvoyGradient(EnvoyGradientConfig{
		Initial: 10, Min: 3, Max: 1000, Buffer: 0.25,
		UpdateInterval: 100 * time.Millisecond, MinRTTInterval: 60 * time.Second, MinRTTRequests: 5,
		Percentile: 50, WindowSamples: 1000,
	})
	if err != nil {
		t.Fatal(err)
	}
	var c msClock
	c.ms = 1000
	// Measurement phase: pinned to 3 for the first 5 ok samples.
	for i, lat := range []int{12, 10, 14, 11, 13} {
		if got := e.Limit(); got != 3 {
			t.Fatalf("measuring sample %d: Limit()=%d, want 3", i, got)
		}
		fillLimiter(t, e, &c)
		if got := e.Inflight(); got != 3 {
			t.Fatalf("measuring: Inflight()=%d, want 3", got)
		}
		if i == 2 {
			e.Done(c.next(), time.Millisecond, false) // failures do not count
			fillLimiter(t, e, &c)
		}
		e.Done(c.next(), time.Duration(lat)*time.Millisecond, true)
	}
	if got := e.minRTT; got != 12*time.Millisecond { // the median of 12, 10, 14, 11, 13
		t.Fatalf("minRTT %v, want 12ms", got)
	}
	if got := e.Limit(); got != 10 {
		t.Fatalf("after measuring Limit()=%d, want Initial 10", got)
	}
	if n := fillLimiter(t, e, &c); n != 8 { // 2 still in flight from the phase
		t.Fatalf("admitted %d after measuring, want 8", n)
	}

	// window keeps the limiter full with ok samples at latency until the
	// current update window closes.
	window := func(latency time.Duration) {
		t.Helper()
		start := e.windowStart
		for e.windowStart.Equal(start) {
			sampleAtLimit(t, e, &c, latency, true)
		}
	}
	window(12 * time.Millisecond) // gradient 1.25: 12.5 + √12.5 = 16.04
	if got := e.Limit(); got != 16 {
		t.Fatalf("after a window at minRTT Limit()=%d, want 16", got)
	}
	window(12 * time.Millisecond) // gradient 1.25 on 16.04: 20.04 + 4.48 = 24.5
	if got := e.Limit(); got != 24 {
		t.Fatalf("after two windows at minRTT Limit()=%d, want 24", got)
	}
	high := e.l.limit
	window(50 * time.Millisecond) // gradient clamps at 0.5: 12.26 + 3.50 = 15.76
	want := high*0.5 + math.Sqrt(high*0.5)
	if got := e.l.limit; math.Abs(got-want) > 1e-9 {
		t.Fatalf("after a slow window limit %v, want %v", got, want)
	}
	window(15 * time.Millisecond) // exactly minRTT·(1+Buffer): gradient 1, grows by √limit
	if got, want2 := e.l.limit, want+math.Sqrt(want); math.Abs(got-want2) > 1e-9 {
		t.Fatalf("after a window at the buffer limit %v, want %v", got, want2)
	}
	before := e.Limit()

	// The next measurement is due 60 s after the last one ended.
	c.ms += 60_000
	if e.Admit(c.next(), 0) {
		t.Fatal("admitted during a new measurement with the old units still in flight")
	}
	if got := e.Limit(); got != 3 {
		t.Fatalf("re-measuring: Limit()=%d, want 3", got)
	}
	// Units admitted before the phase began do not count towards minRTT.
	for e.Inflight() > 0 {
		e.Done(c.next(), 100*time.Millisecond, true)
	}
	if got := e.phaseSamples; got != 0 {
		t.Fatalf("%d samples from before the phase counted", got)
	}
	for i := 0; i < 5; i++ {
		if got := e.Limit(); got != 3 {
			t.Fatalf("re-measuring sample %d: Limit()=%d, want 3", i, got)
		}
		fillLimiter(t, e, &c)
		c.ms += 20
		e.Done(c.next(), 20*time.Millisecond, true)
	}
	if got := e.minRTT; got != 20*time.Millisecond {
		t.Fatalf("re-measured minRTT %v, want 20ms", got)
	}
	if got := e.Limit(); got != before {
		t.Fatalf("after re-measuring Limit()=%d, want %d as before", got, before)
	}
}

// TestEnvoyGradientP50AgainstMean: on skewed (exponential) latencies that do
// not depend on load, the p50 summary keeps sampleRTT near minRTT, so the
// limit climbs; the window mean would read the skew as queueing. A window
// with a slow minority (6 at 10 ms, 4 at 1 s) shows the two apart: its p50 is
// 10 ms, its mean 406 ms.
func TestEnvoyGradientP50AgainstMean(t *testing.T) {
	cfg := DefaultEnvoyGradient
	e, err := NewEnvoyGradient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var c msClock
	c.ms = 10
	meanBelow := 0 // windows whose mean-based gradient would shrink the limit
	var sum float64
	var n int
	for w := 0; w < 300; w++ {
		start := e.windowStart
		sum, n = 0, 0
		for e.windowStart.Equal(start) || e.measuring {
			lat := time.Duration(rng.ExpFloat64() * float64(10*time.Millisecond))
			fillLimiter(t, e, &c)
			e.Done(c.next(), lat, true)
			sum += float64(lat)
			n++
		}
		if float64(e.minRTT)*(1+cfg.Buffer) < sum/float64(n) {
			meanBelow++
		}
	}
	if got := e.Limit(); got < 100 {
		t.Errorf("p50 on exponential latencies: limit %d after 300 windows, want it well above Min 3 (≥ 100)", got)
	}
	if meanBelow < 150 {
		t.Errorf("the window mean exceeded minRTT·(1+Buffer) in only %d of 300 windows; the test does not separate p50 from mean", meanBelow)
	}

	skewed := newSampleSet(100, 0)
	var total time.Duration
	for _, ms := range []int{10, 1000, 10, 1000, 10, 10, 1000, 10, 1000, 10} {
		skewed.add(time.Duration(ms) * time.Millisecond)
		total += time.Duration(ms) * time.Millisecond
	}
	if p50, mean := skewed.percentile(50), total/10; p50 != 10*time.Millisecond || mean != 406*time.Millisecond {
		t.Errorf("p50 %v, mean %v; want 10ms and 406ms", p50, mean)
	}
}

// TestEnvoyGradientRemeasuresAfterFiveWindowsAtMin: windows so slow that
// they leave the limit at Min five times in a row start a new minRTT
// measurement at once, long before MinRTTInterval.
func TestEnvoyGradientRemeasuresAfterFiveWindowsAtMin(t *testing.T) {
	cfg := DefaultEnvoyGradient
	cfg.MinRTTRequests = 1
	e, err := NewEnvoyGradient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var c msClock
	c.ms = 10
	e.Admit(c.next(), 0)
	e.Done(c.next(), 10*time.Millisecond, true) // minRTT 10ms; limit Initial 3 = Min
	for w := 1; w <= 5; w++ {
		if e.measuring {
			t.Fatalf("measuring again after %d windows at Min, want after 5", w-1)
		}
		e.Admit(c.next(), 0)
		c.ms += 150
		e.Done(c.next(), 100*time.Millisecond, true) // sampleRTT 10× minRTT: gradient 0.5, limit stays 3
		if got := e.Limit(); got != 3 {
			t.Fatalf("window %d: Limit()=%d, want 3", w, got)
		}
	}
	start := c.next()
	e.Admit(start, 0)
	if !e.measuring {
		t.Fatal("5 windows at Min did not start a minRTT measurement")
	}
	// A fresh 100 ms sample is the new minRTT (p50 of one); the next
	// measurement is due MinRTTInterval plus up to 15% later.
	end := start.Add(100 * time.Millisecond)
	e.Done(end, 100*time.Millisecond, true)
	if e.measuring || e.minRTT != 100*time.Millisecond {
		t.Fatalf("measuring %v, minRTT %v; want done and 100ms", e.measuring, e.minRTT)
	}
	if d := e.nextMinRTT.Sub(end); d < time.Minute || d >= time.Minute*115/100 {
		t.Fatalf("next measurement %v after the last, want in [1m, 1m9s)", d)
	}
}

// TestEnvoyGradientJitterIsSeeded: the interval to the next measurement is
// MinRTTInterval·(1 + U[0, Jitter)): exact with Jitter 0, different draws
// for different seeds, the same for the same seed.
func TestEnvoyGradientJitterIsSeeded(t *testing.T) {
	next := func(jitter float64, seed uint64) []time.Duration {
		cfg := DefaultEnvoyGradient
		cfg.MinRTTRequests, cfg.Jitter, cfg.Seed = 1, jitter, seed
		e, err := NewEnvoyGradient(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var out []time.Duration
		var c msClock
		for i := 0; i < 5; i++ {
			e.Admit(c.next(), 0)
			end := c.next()
			e.Done(end, time.Millisecond, true) // ends a measurement
			out = append(out, e.nextMinRTT.Sub(end))
			c.ms = int(e.nextMinRTT.Sub(ct0)/time.Millisecond) + 1
		}
		return out
	}
	for _, d := range next(0, 1) {
		if d != time.Minute {
			t.Fatalf("Jitter 0: interval %v, want 1m", d)
		}
	}
	a, b, c := next(0.15, 1), next(0.15, 1), next(0.15, 2)
	if !slices.Equal(a, b) || slices.Equal(a, c) {
		t.Fatalf("seed 1 twice: %v, %v; seed 2: %v", a, b, c)
	}
	for _, d := range a {
		if d < time.Minute || d >= time.Minute*115/100 {
			t.Fatalf("interval %v outside [1m, 1m9s)", d)
		}
	}
}

// TestEnvoyGradientFloorAndEmptyWindow: the limit does not fall below Min,
// and a window with no ok samples leaves it alone.
func TestEnvoyGradientFloorAndEmptyWindow(t *testing.T) {
	cfg := DefaultEnvoyGradient
	cfg.MinRTTRequests = 1
	e, err := NewEnvoyGradient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var c msClock
	c.ms = 10
	e.Admit(c.next(), 0)
	e.Done(c.next(), 10*time.Millisecond, true) // minRTT 10ms, limit 3
	e.Admit(c.next(), 0)
	c.ms += 200
	e.Done(c.next(), time.Second, false) // window closes with no ok sample
	if got := e.l.limit; got != 3 {
		t.Fatalf("after an empty window limit %v, want 3", got)
	}
	e.Admit(c.next(), 0)
	c.ms += 200
	e.Done(c.next(), 200*time.Millisecond, true) // gradient 0.5: 1.5 + 1.22 → floor 3
	if got := e.Limit(); got != 3 {
		t.Fatalf("Limit()=%d, want floor 3", got)
	}
}
