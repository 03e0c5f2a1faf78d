package throttle

import (
	"sync"
	"testing"
	"time"
)

// The limiter core the four concurrency limits share (AIMD, Vegas, Gradient2,
// EnvoyGradient): each starts at its initial limit, admits and counts without
// allocating, and stays within its bounds under concurrent use.

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
