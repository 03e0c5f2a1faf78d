package throttle

import (
	"testing"
	"time"
)

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
