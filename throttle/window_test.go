package throttle

import (
	"testing"
	"time"
)

func TestWindowSlidesAndExpires(t *testing.T) {
	w := newWindow(10*time.Second, 10) // 1 s buckets
	w.add(at(0), 1)
	w.add(at(500*time.Millisecond), 2) // same bucket
	if got := w.sum(at(0)); got != 3 {
		t.Fatalf("sum at 0 = %v, want 3", got)
	}
	w.add(at(3*time.Second), 4)
	for _, c := range []struct {
		t    time.Duration
		want float64
	}{
		{3 * time.Second, 7},
		{9*time.Second + 999*time.Millisecond, 7}, // bucket 0 still in
		{10 * time.Second, 4},                     // bucket 0 out: the span is 10 buckets
		{13 * time.Second, 0},
		{time.Hour, 0}, // a jump over the whole ring
	} {
		if got := w.sum(at(c.t)); got != c.want {
			t.Fatalf("sum at %v = %v, want %v", c.t, got, c.want)
		}
	}
	w.add(at(time.Hour), 5)
	if got := w.sum(at(time.Hour + 9*time.Second)); got != 5 {
		t.Fatalf("after the jump: sum %v, want 5", got)
	}
	w.reset()
	if got := w.sum(at(time.Hour + 9*time.Second)); got != 0 {
		t.Fatalf("after reset: sum %v, want 0", got)
	}
}

// TestWindowTimeGoingBackwards: a late instant neither empties buckets nor
// resurrects expired ones; a late value lands in its own bucket if that is in
// the span; beyond it, add drops and charge keeps it in the oldest bucket.
func TestWindowTimeGoingBackwards(t *testing.T) {
	w := newWindow(10*time.Second, 10)
	w.add(at(0), 1)
	w.add(at(12*time.Second), 1) // bucket 0 expires
	if got := w.sum(at(time.Second)); got != 1 {
		t.Fatalf("late sum = %v, want 1 (the window as of 12 s)", got)
	}
	w.add(at(5*time.Second), 1) // late but in the span: its own bucket
	if got := w.sum(at(14 * time.Second)); got != 2 {
		t.Fatalf("sum at 14 s = %v, want 2", got)
	}
	if got := w.sum(at(16 * time.Second)); got != 1 {
		t.Fatalf("sum at 16 s = %v, want 1 (the 5 s value left at 15 s)", got)
	}
	w.add(at(time.Second), 1) // older than the span: dropped
	if got := w.sum(at(16 * time.Second)); got != 1 {
		t.Fatalf("stale add counted: sum %v, want 1", got)
	}
	w.charge(at(time.Second), 1) // older than the span: oldest bucket (7 s)
	if got := w.sum(at(16 * time.Second)); got != 2 {
		t.Fatalf("stale charge lost: sum %v, want 2", got)
	}
	if got := w.sum(at(17 * time.Second)); got != 1 {
		t.Fatalf("charge should leave with the oldest bucket at 17 s: sum %v, want 1", got)
	}
}
