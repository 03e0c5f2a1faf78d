package throttle

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"
	"time"
)

func TestVelocityWindowBoundaries(t *testing.T) {
	v := ocMust(NewVelocity(VelocityConfig{Max: 3, Window: 10 * time.Second}))
	s := time.Second
	ns := time.Nanosecond
	for i, c := range []struct {
		t    time.Duration
		n    int
		want bool
		left int // Remaining after the call
	}{
		{0, 2, true, 1},
		{0, 2, false, 1},
		{0, 1, true, 0},
		{0, 0, false, 0},     // n < 1
		{5 * s, 4, false, 0}, // n > max
		{5 * s, 1, false, 0},
		{10*s - ns, 1, false, 0}, // the events at 0 are still inside (t − 10 s, t]
		{10 * s, 1, true, 2},     // ... and out at exactly 10 s
		{10 * s, 3, false, 2},
		{10 * s, 2, true, 0},
		{20*s - ns, 1, false, 0},
		{20 * s, 3, true, 0},
	} {
		if got := v.Allow(at(c.t), c.n); got != c.want {
			t.Fatalf("step %d: Allow(%v, %d) = %v, want %v", i, c.t, c.n, got, c.want)
		}
		if got := v.Remaining(at(c.t)); got != c.left {
			t.Fatalf("step %d at %v: Remaining %d, want %d", i, c.t, got, c.left)
		}
	}
	// Admit is Allow(now, 1).
	if v.Admit(at(29*s), 0) {
		t.Fatal("Admit with the window full")
	}
	if !v.Admit(at(30*s), 0) {
		t.Fatal("Admit refused with the window empty")
	}
}

// TestVelocityLateCaller: a caller whose instant is earlier than the latest
// seen is judged against everything recorded since its own now − window,
// including events after its now.
func TestVelocityLateCaller(t *testing.T) {
	v := ocMust(NewVelocity(VelocityConfig{Max: 2, Window: 10 * time.Second}))
	if !v.Allow(at(0), 1) || !v.Allow(at(12*time.Second), 1) {
		t.Fatal("setup refused")
	}
	// At 12 s the window (2 s, 12 s] holds 1. A caller at 9 s sees (−1 s, 9 s]
	// plus the later event: 2, full.
	if v.Allow(at(9*time.Second), 1) {
		t.Fatal("late caller admitted against a full window")
	}
	if !v.Allow(at(11*time.Second), 1) { // (1 s, 11 s]: the 12 s event only
		t.Fatal("late caller refused with room")
	}
	if v.Allow(at(13*time.Second), 1) {
		t.Fatal("admitted a third unit within 10 s")
	}
}

type velocityStep struct {
	dt time.Duration // since the previous step (negative: a late caller)
	n  int
}

type velocityTrace struct {
	max    int
	window time.Duration
	steps  []velocityStep
	late   bool // steps may go back in time
}

func (v velocityTrace) GoString() string {
	return fmt.Sprintf("velocity{max %d, window %v, late %v, steps %v}", v.max, v.window, v.late, v.steps)
}

func genVelocity(r *rand.Rand, late bool) velocityTrace {
	tr := velocityTrace{max: 1 + r.Intn(8), window: time.Duration(1+r.Intn(100)) * time.Millisecond, late: late}
	tr.steps = make([]velocityStep, r.Intn(200))
	for i := range tr.steps {
		var dt time.Duration
		switch r.Intn(4) {
		case 0: // same instant
		case 1: // within a window
			dt = time.Duration(r.Int63n(int64(tr.window)))
		case 2: // about a window: hits the boundaries
			dt = tr.window + time.Duration(r.Intn(3)-1)
		case 3:
			dt = time.Duration(r.Int63n(3 * int64(tr.window)))
		}
		if late && r.Intn(3) == 0 {
			dt = -time.Duration(r.Int63n(int64(tr.window)))
		}
		tr.steps[i] = velocityStep{dt, r.Intn(tr.max + 2)} // 0..max+1, so invalid n too
	}
	return tr
}

type monotoneVelocity struct{ velocityTrace }

func (monotoneVelocity) Generate(r *rand.Rand, _ int) reflect.Value {
	return reflect.ValueOf(monotoneVelocity{genVelocity(r, false)})
}

type lateVelocity struct{ velocityTrace }

func (lateVelocity) Generate(r *rand.Rand, _ int) reflect.Value {
	return reflect.ValueOf(lateVelocity{genVelocity(r, true)})
}

// replay runs the trace and returns the true instants and sizes of the
// allowed events, or an error for a decision that is wrong on its face.
func (tr velocityTrace) replay() (times []time.Time, units []int, err error) {
	v, err := NewVelocity(VelocityConfig{Max: tr.max, Window: tr.window})
	if err != nil {
		return nil, nil, err
	}
	now := t0
	for i, s := range tr.steps {
		now = now.Add(s.dt)
		ok := v.Allow(now, s.n)
		if ok && (s.n < 1 || s.n > tr.max) {
			return nil, nil, fmt.Errorf("step %d: allowed n = %d outside [1, %d]", i, s.n, tr.max)
		}
		if ok {
			times, units = append(times, now), append(units, s.n)
			continue
		}
		// With non-decreasing instants a refusal must be justified: the
		// units allowed in (now − window, now] plus n exceed max.
		if !tr.late && s.n >= 1 && s.n <= tr.max {
			in := 0
			for j, at := range times {
				if at.After(now.Add(-tr.window)) {
					in += units[j]
				}
			}
			if in+s.n <= tr.max {
				return nil, nil, fmt.Errorf("step %d: refused n = %d with %d of %d used", i, s.n, in, tr.max)
			}
		}
	}
	return times, units, nil
}

// TestPropertyVelocityNeverExceedsMax: in every interval [a, a+window) the
// allowed units total at most max, by brute force over all intervals starting
// at an allowed event; with non-decreasing instants every refusal is
// justified, and with late callers mixed in the bound still holds in true
// time.
func TestPropertyVelocityNeverExceedsMax(t *testing.T) {
	check := func(tr velocityTrace) bool {
		times, units, err := tr.replay()
		if err != nil {
			t.Log(err)
			return false
		}
		if a, sum := worstWindow(times, units, tr.window); sum > tr.max {
			t.Logf("%d units in [%v, +%v), max %d", sum, a.Sub(t0), tr.window, tr.max)
			return false
		}
		return true
	}
	quickCheck(t, func(tr monotoneVelocity) bool { return check(tr.velocityTrace) }, 500)
	quickCheck(t, func(tr lateVelocity) bool { return check(tr.velocityTrace) }, 500)
}
