package throttle

import (
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCapacityVelocityConfig(t *testing.T) {
	if err := DefaultCapacityVelocity.Validate(); err != nil {
		t.Fatalf("DefaultCapacityVelocity: %v", err)
	}
	for _, c := range []CapacityVelocityConfig{
		{Share: 0, Window: time.Minute}, {Share: -0.1, Window: time.Minute}, {Share: 1.01, Window: time.Minute},
		{Share: nan(), Window: time.Minute}, {Share: 0.1, Window: 0}, {Share: 0.1, Window: -time.Second},
	} {
		v, err := NewCapacityVelocity(c)
		if err == nil || v != nil || !strings.HasPrefix(err.Error(), "throttle: capacity velocity ") {
			t.Errorf("%+v: %v, %v", c, v, err)
		}
	}
}

func nan() float64 { var z float64; return z / z }

// A removal above the cap is granted the part the window allows, the rest
// later, as the window slides; never refused for good.
func TestCapacityVelocityGrantsInPart(t *testing.T) {
	v := ocMust(NewCapacityVelocity(CapacityVelocityConfig{Share: 0.1, Window: 10 * time.Second}))
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	if g := v.Grant(at(0), 100, 30); g != 10 { // 10% of 100
		t.Fatalf("first grant %v, want 10", g)
	}
	if g := v.Grant(at(5), 90, 20); g != 0 { // base 90 + 10: 10 allowed, all spent
		t.Fatalf("same window: %v, want 0", g)
	}
	if r := v.Remaining(at(9.999), 90); r != 0 {
		t.Fatalf("remaining before the window slides: %v", r)
	}
	if g := v.Grant(at(10), 90, 20); g != 9 { // the grant at 0 left the window (now − 10 s, now]
		t.Fatalf("next window: %v, want 9", g)
	}
	if g := v.Grant(at(20), 81, 11); g < 8.1-1e-9 || g > 8.1+1e-9 {
		t.Fatalf("third window: %v, want 8.1", g)
	}
	// Capacity added within the window raises the base.
	if g := v.Grant(at(25), 172.9, 100); g < 10-1e-9 || g > 10+1e-9 { // 0.1·(172.9 + 8.1) − 8.1
		t.Fatalf("grown fleet: %v, want 10", g)
	}
	if g := v.Grant(at(26), 50, -1); g != 0 {
		t.Fatalf("negative want granted %v", g)
	}
	// All or nothing.
	w := ocMust(NewCapacityVelocity(CapacityVelocityConfig{Share: 0.02, Window: time.Minute}))
	if w.AllowN(t0, 100, 3) || !w.AllowN(t0, 100, 2) || w.AllowN(t0, 98, 0.5) {
		t.Fatal("AllowN: want 3 of 100 refused at 2%, then 2 allowed, then nothing")
	}
}

// Share 1 never binds: every want up to what is in service is granted.
func TestCapacityVelocityShareOneNeverBinds(t *testing.T) {
	v := ocMust(NewCapacityVelocity(CapacityVelocityConfig{Share: 1, Window: time.Hour}))
	in := 300.0
	for i := range 50 {
		want := float64(1 + i%7*10)
		if want > in {
			break
		}
		if g := v.Grant(t0.Add(time.Duration(i)*time.Second), in, want); g != want {
			t.Fatalf("call %d: %v of %v granted with %v in service", i, g, want, in)
		}
		in -= want
	}
}

// Property: over random calls (capacity added and removed by others too,
// several calls per instant, uneven spacing, more events per window than the
// ring holds), the grants within every window ending at a grant stay within
// Share of the capacity left in service plus those grants, checked from the
// calls' own record, not from the control's.
func TestCapacityVelocityInvariant(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	var partial, grants int
	for c := range 40 {
		share := []float64{0.005, 0.02, 0.1, 0.5, 1}[c%5]
		window := time.Duration(1+r.IntN(300)) * time.Second
		v := ocMust(NewCapacityVelocity(CapacityVelocityConfig{Share: share, Window: window}))
		type ev struct {
			at      time.Time
			g, left float64
		}
		var evs []ev
		now, in := t0, 100+r.Float64()*900
		for range 3000 {
			if r.IntN(4) == 0 { // every fourth case more instants per window than the ring holds
				now = now.Add(time.Duration(r.Int64N(int64(window) / []int64{50, 50, 50, 2000}[c%4])))
			}
			in += r.Float64()*4 - 1 // others add and remove
			in = max(in, 0)
			want := r.Float64() * in * 0.3
			g := v.Grant(now, in, want)
			if g < 0 || g > want+1e-9 {
				t.Fatalf("case %d: granted %v of %v", c, g, want)
			}
			if g > 0 && g < want {
				partial++
			}
			in -= g
			if g > 0 {
				grants++
				evs = append(evs, ev{now, g, in})
			}
		}
		// The last grant at each instant carries the capacity left after all of
		// that instant's grants.
		for i, e := range evs {
			if i+1 < len(evs) && evs[i+1].at.Equal(e.at) {
				continue
			}
			var sum float64
			for j := i; j >= 0 && evs[j].at.After(e.at.Add(-window)); j-- {
				sum += evs[j].g
			}
			if sum > share*(e.left+sum)+1e-6 {
				t.Fatalf("case %d (share %g, window %v): %v granted in the window ending %v, %v left in service: above %g of %v",
					c, share, window, sum, e.at.Sub(t0), e.left, share, e.left+sum)
			}
		}
	}
	if partial == 0 || grants == 0 {
		t.Fatalf("%d grants, %d partial: the cases never pressed on the cap", grants, partial)
	}
}

// A late caller is judged at the latest instant: it sees the whole latest
// window, and its grant counts from there.
func TestCapacityVelocityLateCaller(t *testing.T) {
	v := ocMust(NewCapacityVelocity(CapacityVelocityConfig{Share: 0.1, Window: 10 * time.Second}))
	v.Grant(t0.Add(15*time.Second), 100, 10)
	if g := v.Grant(t0, 90, 5); g != 0 { // at 0 its own window would be empty
		t.Fatalf("late caller granted %v", g)
	}
	if g := v.Grant(t0.Add(25*time.Second), 90, 100); g != 9 {
		t.Fatalf("after the window: %v, want 9", g)
	}
}

func TestCapacityVelocityDoesNotAllocate(t *testing.T) {
	v := ocMust(NewCapacityVelocity(CapacityVelocityConfig{Share: 0.05, Window: time.Second}))
	now := t0
	tick := func() time.Time { now = now.Add(3 * time.Millisecond); return now }
	for name, f := range map[string]func(){
		"Grant":     func() { v.Grant(tick(), 1000, 3) },
		"AllowN":    func() { v.AllowN(tick(), 1000, 1) },
		"Remaining": func() { v.Remaining(tick(), 1000) },
	} {
		if n := testing.AllocsPerRun(2000, f); n != 0 {
			t.Errorf("%s allocates %v per call", name, n)
		}
	}
}

// Concurrent callers whose instants interleave out of order: the grants of
// every window stay within the share of a fixed fleet (run with -race).
func TestCapacityVelocityConcurrentUse(t *testing.T) {
	const workers, calls, fleet, share = 8, 2000, 1e6, 0.01
	window := 100 * time.Millisecond
	v := ocMust(NewCapacityVelocity(CapacityVelocityConfig{Share: share, Window: window}))
	var mu sync.Mutex
	var clock int64
	total := 0.0
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range calls {
				mu.Lock()
				clock += 10
				now := t0.Add(time.Duration(clock-clock%7) * time.Microsecond) // slightly out of order
				in := fleet - total
				mu.Unlock()
				g := v.Grant(now, in, 5)
				mu.Lock()
				total += g
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	span := time.Duration(clock) * time.Microsecond
	if limit := share * fleet * (float64(span/window) + 1); total > limit {
		t.Fatalf("%v granted over %v: above %v", total, span, limit)
	}
}

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
