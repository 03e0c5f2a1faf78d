package throttle

import (
	"math"
	"testing"
	"time"
)

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
