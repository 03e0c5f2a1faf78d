package throttle

import (
	"math"
	"testing"
	"time"
)

// TestCapacityVelocityRingHoldsOneEventAnInstant: the ring's 256 events are
// one per distinct instant that granted something. Grants at 254 instants
// a second apart, then two at a 255th (they merge), a refusal at a 256th
// (it records nothing) and a grant at a 257th: 256 events, so nothing is
// folded, and the first instant's unit leaves the window on time, 1000 s
// later.
func TestCapacityVelocityRingHoldsOneEventAnInstant(t *testing.T) {
	v, err := NewCapacityVelocity(CapacityVelocityConfig{Share: 0.5, Window: 1000 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Unix(0, 0)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	for i := 1; i <= 254; i++ {
		if g := v.Grant(at(float64(i)), 1e9, 1); g != 1 {
			t.Fatalf("grant %d: %v", i, g)
		}
	}
	if g1, g2 := v.Grant(at(255), 1e9, 1), v.Grant(at(255), 1e9, 1); g1 != 1 || g2 != 1 {
		t.Fatalf("two grants at one instant: %v, %v", g1, g2)
	}
	if g := v.Grant(at(256), 0, 1); g != 0 { // nothing in service: nothing may go
		t.Fatalf("a grant with nothing in service: %v", g)
	}
	if g := v.Grant(at(257), 1e9, 1); g != 1 {
		t.Fatalf("grant at 257 s: %v", g)
	}
	// At 1001.5 s the window (1.5 s, 1001.5 s] holds the grants of 2 … 257 s:
	// 253 + 2 + 1 = 256 units, so with 1000 in service 0.5·1256 − 256 may go.
	if got, want := v.Remaining(at(1001.5), 1000), 0.5*(1000+256)-256; got != want {
		t.Errorf("remaining %v, want %v (the first instant's unit forgotten)", got, want)
	}
}

// TestCapacityVelocityRefusesNothingAsked: AllowN grants no removal of
// nothing, nor of an amount that is no number; Grant gives 0 for them.
func TestCapacityVelocityRefusesNothingAsked(t *testing.T) {
	v, err := NewCapacityVelocity(DefaultCapacityVelocity)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(100, 0)
	for _, n := range []float64{0, -1, math.NaN()} {
		if v.AllowN(now, 100, n) {
			t.Errorf("AllowN(%v units): allowed", n)
		}
		if g := v.Grant(now, 100, n); g != 0 {
			t.Errorf("Grant(%v units) = %v, want 0", n, g)
		}
	}
	if r := v.Remaining(now, 100); r != 10 {
		t.Errorf("after asking for nothing: remaining %v of 100, want 10 (10%%)", r)
	}
}
