package throttle

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

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

func TestAdaptiveLimitersStartAtInitial(t *testing.T) {
	aimd, err := NewAIMD(DefaultAIMD)
	if err != nil {
		t.Fatal(err)
	}
	vegas, err := NewVegas(DefaultVegas)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := NewGradient2(DefaultGradient2)
	if err != nil {
		t.Fatal(err)
	}
	envoy, err := NewEnvoyGradient(DefaultEnvoyGradient)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("AIMD", func(t *testing.T) { checkStartsAtInitial(t, aimd, 20) })
	t.Run("Vegas", func(t *testing.T) { checkStartsAtInitial(t, vegas, 20) })
	t.Run("Gradient2", func(t *testing.T) { checkStartsAtInitial(t, g2, 20) })
	t.Run("Envoy", func(t *testing.T) { checkStartsAtInitial(t, envoy, 3) })
}

// TestAIMDTrace: +1 on an ok sample under load, none when app-limited, ×0.9
// on a drop, a timeout counts as a drop, the floor holds at Min.
func TestAIMDTrace(t *testing.T) {
	a, err := NewAIMD(AIMDConfig{Initial: 20, Min: 10, Max: 21, Backoff: 0.9, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var c msClock
	fillLimiter(t, a, &c) // 20 in flight
	steps := []struct {
		latency time.Duration
		ok      bool
		admit   int // units to admit afterwards (all must get in)
		want    int // Limit() after the Done
	}{
		{10 * time.Millisecond, true, 2, 21},  // 20 in flight ≥ 20/2: +1, room for 2
		{10 * time.Millisecond, true, 1, 21},  // capped at Max 21
		{10 * time.Millisecond, false, 0, 18}, // drop: 21·0.9 = 18.9
		{2 * time.Second, true, 0, 17},        // timeout: 18.9·0.9 = 17.01
		{time.Second, true, 0, 18},            // exactly Timeout is not a timeout: 18.01
		{0, false, 0, 16},                     // 16.209
		{0, false, 0, 14},                     // 14.5881
		{0, false, 0, 13},                     // 13.12929
		{0, false, 0, 11},                     // 11.816361
		{0, false, 0, 10},                     // 10.6347249
		{0, false, 0, 10},                     // floor: max(10, 9.57…)
	}
	for i, s := range steps {
		a.Done(c.next(), s.latency, s.ok)
		if got := a.Limit(); got != s.want {
			t.Fatalf("step %d: Limit()=%d, want %d", i, got, s.want)
		}
		for j := 0; j < s.admit; j++ {
			if !a.Admit(c.next(), 0) {
				t.Fatalf("step %d: admit %d refused", i, j)
			}
		}
		if s.admit > 0 && a.Admit(c.next(), 0) {
			t.Fatalf("step %d: admitted past the limit", i)
		}
	}
	// Drain to 5 (5·2 ≥ 10: still under load), then sample at 4 in flight
	// (4·2 < 11: app-limited, so an ok sample leaves the limit alone).
	for a.Inflight() > 5 {
		a.Done(c.next(), 0, false)
	}
	a.Done(c.next(), time.Millisecond, true) // 5 in flight: 5·2 ≥ 10, grows
	if got := a.Limit(); got != 11 {
		t.Fatalf("Limit()=%d with 5 of 10 in flight, want 11", got)
	}
	a.Done(c.next(), time.Millisecond, true) // 4 in flight: 8 < 11
	if got := a.Limit(); got != 11 {
		t.Fatalf("app-limited Limit()=%d, want 11", got)
	}
}

// TestAIMDFloorAtDefaultMin: with Netflix's defaults a drop cannot go below 20.
func TestAIMDFloorAtDefaultMin(t *testing.T) {
	a, err := NewAIMD(DefaultAIMD)
	if err != nil {
		t.Fatal(err)
	}
	var c msClock
	fillLimiter(t, a, &c)
	a.Done(c.next(), 0, false)
	a.Done(c.next(), 6*time.Second, true)
	if got := a.Limit(); got != 20 {
		t.Fatalf("Limit()=%d, want 20", got)
	}
}

// sampleAtLimit Dones one unit with latency and refills to the limit, so every
// sample is taken with the limiter saturated.
func sampleAtLimit(t *testing.T, l adaptiveLimiter, c *msClock, latency time.Duration, ok bool) {
	t.Helper()
	l.Done(c.next(), latency, ok)
	fillLimiter(t, l, c)
}

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

// TestGradient2Trace: the limit grows by Smoothing·QueueSize per sample at a
// steady latency, shrinks when the short RTT jumps well above the long RTT,
// and grows back by the queue-size term when latency returns.
func TestGradient2Trace(t *testing.T) {
	cfg := DefaultGradient2
	cfg.Min = 1
	g, err := NewGradient2(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var c msClock
	fillLimiter(t, g, &c)
	const step = 0.2 * 4 // Smoothing·QueueSize
	for i := 0; i < 5; i++ {
		before := g.l.limit
		sampleAtLimit(t, g, &c, 10*time.Millisecond, true)
		if got := g.l.limit; math.Abs(got-(before+step)) > 1e-9 {
			t.Fatalf("steady sample %d: limit %v, want %v", i, got, before+step)
		}
	}
	high := g.Limit() // 24
	for i := 0; i < 10; i++ {
		before := g.l.limit
		sampleAtLimit(t, g, &c, 100*time.Millisecond, true) // gradient clamps at 0.5
		want := 0.8*before + 0.2*(before*0.5+4)
		if got := g.l.limit; math.Abs(got-want) > 1e-9 {
			t.Fatalf("spike sample %d: limit %v, want %v", i, got, want)
		}
	}
	low := g.Limit()
	if low >= high {
		t.Fatalf("Limit()=%d after the spike, want below %d", low, high)
	}
	for i := 0; i < 5; i++ {
		before := g.l.limit
		sampleAtLimit(t, g, &c, 10*time.Millisecond, true)
		if got := g.l.limit; math.Abs(got-(before+step)) > 1e-9 {
			t.Fatalf("recovered sample %d: limit %v, want %v", i, got, before+step)
		}
	}
	if got := g.Limit(); got <= low {
		t.Fatalf("Limit()=%d after recovery, want above %d", got, low)
	}
	// App-limited: below half the limit in flight, a spike changes nothing.
	for g.Inflight() > 2 {
		g.Done(c.next(), 10*time.Millisecond, true)
	}
	before := g.l.limit
	g.Done(c.next(), time.Second, true)
	if got := g.l.limit; got != before {
		t.Fatalf("app-limited spike moved the limit from %v to %v", before, got)
	}
}

// TestGradient2LongRTTDecays: after a long slow spell, fast samples pull the
// long RTT down faster than the average alone would.
func TestGradient2LongRTTDecays(t *testing.T) {
	g, err := NewGradient2(DefaultGradient2)
	if err != nil {
		t.Fatal(err)
	}
	var c msClock
	g.Done(c.next(), 100*time.Millisecond, true) // sets long RTT
	g.Done(c.next(), 10*time.Millisecond, true)
	avg := 100e6 + (10e6-100e6)*2/601.0
	if got, want := g.longRTT, avg*0.95; math.Abs(got-want) > 1e-3 {
		t.Fatalf("long RTT %v, want %v", got, want)
	}
}

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

// TestPercentileIsExactNearestRank: up to the buffer's size the percentile
// is the nearest-rank one of every sample (checked against sorting); beyond,
// the reservoir's answer stays within a few percentile points.
func TestPercentileIsExactNearestRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(300)
		s := newSampleSet(300, uint64(trial))
		all := make([]int64, n)
		for i := range all {
			all[i] = rng.Int64N(1000) // ties included
			s.add(time.Duration(all[i]))
		}
		slices.Sort(all)
		for _, p := range []float64{0.1, 1, 25, 50, 90, 99, 100} {
			k := int(math.Ceil(p / 100 * float64(n)))
			want := all[max(1, k)-1]
			if got := s.percentile(p); int64(got) != want {
				t.Fatalf("n=%d p%v: %v, want %v", n, p, int64(got), want)
			}
		}
	}
	// Beyond the buffer: 100,000 uniform samples, 1,000 kept.
	s := newSampleSet(1000, 1)
	for i := 0; i < 100_000; i++ {
		s.add(time.Duration(rng.Int64N(1_000_000)))
	}
	if got := float64(s.percentile(50)) / 1e6; math.Abs(got-0.5) > 0.05 {
		t.Errorf("p50 of a uniform reservoir sample at quantile %.3f, want 0.5 ± 0.05", got)
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

func TestAdaptiveConstructorsRejectBadParameters(t *testing.T) {
	aimd := func(f func(*AIMDConfig)) error {
		c := DefaultAIMD
		f(&c)
		_, err := NewAIMD(c)
		return err
	}
	vegas := func(f func(*VegasConfig)) error {
		c := DefaultVegas
		f(&c)
		_, err := NewVegas(c)
		return err
	}
	g2 := func(f func(*Gradient2Config)) error {
		c := DefaultGradient2
		f(&c)
		_, err := NewGradient2(c)
		return err
	}
	envoy := func(f func(*EnvoyGradientConfig)) error {
		c := DefaultEnvoyGradient
		f(&c)
		_, err := NewEnvoyGradient(c)
		return err
	}
	cases := []struct {
		name string
		err  error
		want string // the bad value, as the message must carry it
	}{
		{"AIMD Min", aimd(func(c *AIMDConfig) { c.Min = -7 }), "-7"},
		{"AIMD Initial", aimd(func(c *AIMDConfig) { c.Initial = 13 }), "13"},
		{"AIMD Max", aimd(func(c *AIMDConfig) { c.Max = 17 }), "17"},
		{"AIMD Backoff 1", aimd(func(c *AIMDConfig) { c.Backoff = 1 }), "1"},
		{"AIMD Backoff 0", aimd(func(c *AIMDConfig) { c.Backoff = 0 }), "0"},
		{"AIMD Backoff NaN", aimd(func(c *AIMDConfig) { c.Backoff = math.NaN() }), "NaN"},
		{"AIMD Timeout", aimd(func(c *AIMDConfig) { c.Timeout = -3 * time.Second }), "-3s"},
		{"Vegas Initial", vegas(func(c *VegasConfig) { c.Initial = 0 }), "0"},
		{"Vegas Max", vegas(func(c *VegasConfig) { c.Max = 19 }), "19"},
		{"Vegas Smoothing 0", vegas(func(c *VegasConfig) { c.Smoothing = 0 }), "0"},
		{"Vegas Smoothing 1.5", vegas(func(c *VegasConfig) { c.Smoothing = 1.5 }), "1.5"},
		{"Vegas ProbeMultiplier -1", vegas(func(c *VegasConfig) { c.ProbeMultiplier = -1 }), "probe multiplier -1"},
		{"Gradient2 Min", g2(func(c *Gradient2Config) { c.Min = 0 }), "0"},
		{"Gradient2 Initial", g2(func(c *Gradient2Config) { c.Initial = 19 }), "19"},
		{"Gradient2 Max", g2(func(c *Gradient2Config) { c.Max = 18 }), "18"},
		{"Gradient2 Tolerance", g2(func(c *Gradient2Config) { c.Tolerance = 0.75 }), "0.75"},
		{"Gradient2 Tolerance Inf", g2(func(c *Gradient2Config) { c.Tolerance = math.Inf(1) }), "+Inf"},
		{"Gradient2 Smoothing", g2(func(c *Gradient2Config) { c.Smoothing = -0.25 }), "-0.25"},
		{"Gradient2 QueueSize", g2(func(c *Gradient2Config) { c.QueueSize = -4 }), "-4"},
		{"Gradient2 LongWindow", g2(func(c *Gradient2Config) { c.LongWindow = 0 }), "0"},
		{"Envoy Min", envoy(func(c *EnvoyGradientConfig) { c.Min = -2; c.Initial = 3 }), "-2"},
		{"Envoy Percentile 0", envoy(func(c *EnvoyGradientConfig) { c.Percentile = 0 }), "percentile 0 outside (0, 100]"},
		{"Envoy Percentile 100.5", envoy(func(c *EnvoyGradientConfig) { c.Percentile = 100.5 }), "100.5"},
		{"Envoy Percentile NaN", envoy(func(c *EnvoyGradientConfig) { c.Percentile = math.NaN() }), "NaN"},
		{"Envoy Jitter", envoy(func(c *EnvoyGradientConfig) { c.Jitter = 1.5 }), "jitter 1.5 outside [0, 1]"},
		{"Envoy WindowSamples 0", envoy(func(c *EnvoyGradientConfig) { c.WindowSamples = 0 }), "window samples 0"},
		{"Envoy Initial", envoy(func(c *EnvoyGradientConfig) { c.Min = 5; c.Initial = 4 }), "4"},
		{"Envoy Max", envoy(func(c *EnvoyGradientConfig) { c.Max = 2 }), "2"},
		{"Envoy Buffer", envoy(func(c *EnvoyGradientConfig) { c.Buffer = -0.5 }), "-0.5"},
		{"Envoy UpdateInterval", envoy(func(c *EnvoyGradientConfig) { c.UpdateInterval = 0 }), "0s"},
		{"Envoy MinRTTInterval", envoy(func(c *EnvoyGradientConfig) { c.MinRTTInterval = -time.Minute }), "-1m0s"},
		{"Envoy MinRTTRequests", envoy(func(c *EnvoyGradientConfig) { c.MinRTTRequests = 0 }), "0"},
	}
	for _, tc := range cases {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		msg := tc.err.Error()
		if !strings.HasPrefix(msg, "throttle: ") || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: error %q does not start with %q and carry %q", tc.name, msg, "throttle: ", tc.want)
		}
	}
	for _, err := range []error{
		aimd(func(*AIMDConfig) {}), vegas(func(*VegasConfig) {}),
		g2(func(*Gradient2Config) {}), envoy(func(*EnvoyGradientConfig) {}),
	} {
		if err != nil {
			t.Errorf("defaults rejected: %v", err)
		}
	}
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

func TestAdaptiveAdmitDoneDoNotAllocate(t *testing.T) {
	for _, tc := range newDefaultLimiters(t) {
		var c msClock
		ok := true
		allocs := testing.AllocsPerRun(1000, func() {
			now := c.next()
			if tc.l.Admit(now, 0) {
				tc.l.Done(now, 5*time.Millisecond, ok)
			}
			ok = !ok
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per Admit+Done, want 0", tc.name, allocs)
		}
	}
}

// TestAdaptiveConcurrentUse: 8 goroutines × 10000 Admit/Done pairs leave
// nothing in flight and the limit within its bounds (run with -race).
func TestAdaptiveConcurrentUse(t *testing.T) {
	const goroutines, pairs = 8, 10000
	for _, tc := range newDefaultLimiters(t) {
		t.Run(tc.name, func(t *testing.T) {
			var wg sync.WaitGroup
			for g := range goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range pairs {
						// 10 ms apart: 100 s in all, so Envoy re-measures minRTT.
						now := ct0.Add(time.Duration(i) * 10 * time.Millisecond)
						if !tc.l.Admit(now, 0) {
							continue
						}
						latency := time.Duration(1+(i*7+g)%40) * time.Millisecond
						tc.l.Done(now.Add(latency), latency, (i+g)%17 != 0)
					}
				}()
			}
			wg.Wait()
			if got := tc.l.Inflight(); got != 0 {
				t.Errorf("Inflight()=%d after all Done, want 0", got)
			}
			if got := tc.l.Limit(); got < tc.min || got > tc.max {
				t.Errorf("Limit()=%d outside [%d, %d]", got, tc.min, tc.max)
			}
		})
	}
}
