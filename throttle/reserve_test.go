package throttle

import (
	"testing"
	"time"
)

// TestReserveBooksSlotsAtTheRate: a burst of 2 at 1 unit/s admits two units
// at once, then books each later unit one second after the previous booking;
// units arriving later than their booked slot are admitted.
func TestReserveBooksSlotsAtTheRate(t *testing.T) {
	r, err := NewReserve(ReserveConfig{Rate: 1, Burst: 2})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Unix(1000, 0)
	for i, want := range []time.Duration{0, 0, 1 * time.Second, 2 * time.Second, 3 * time.Second} {
		ok, at := r.Reserve(t0, 0)
		if want == 0 {
			if !ok || !at.IsZero() {
				t.Fatalf("unit %d: ok=%v retryAt=%v, want admitted", i, ok, at)
			}
			continue
		}
		if ok || !at.Equal(t0.Add(want)) {
			t.Fatalf("unit %d: ok=%v retryAt=%v, want booked at t0+%v", i, ok, at.Sub(t0), want)
		}
	}
	// The bookings run to t0+3s; the next free slot is t0+4s.
	if r.Admit(t0.Add(3*time.Second), 0) {
		t.Fatal("Admit at t0+3s took a booked slot")
	}
	if ok, at := r.Reserve(t0.Add(3500*time.Millisecond), 0); ok || !at.Equal(t0.Add(4*time.Second)) {
		t.Fatalf("at t0+3.5s: ok=%v retryAt=t0+%v, want booked at t0+4s", ok, at.Sub(t0))
	}
	// Long after every booking the bucket is full again.
	later := t0.Add(time.Minute)
	n := 0
	for range 3 {
		if r.Admit(later, 0) {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("a bucket idle for a minute admitted %d at once, want its burst of 2", n)
	}
}

// TestReserveAdmitBooksNothing: refusals through Admit leave the schedule as
// it was, as x/time/rate's AllowN does.
func TestReserveAdmitBooksNothing(t *testing.T) {
	r, _ := NewReserve(ReserveConfig{Rate: 10, Burst: 1})
	t0 := time.Unix(0, 0)
	if !r.Admit(t0, 0) {
		t.Fatal("a full bucket refused")
	}
	for range 100 {
		if r.Admit(t0, 0) {
			t.Fatal("an empty bucket admitted")
		}
	}
	if ok, at := r.Reserve(t0, 0); ok || !at.Equal(t0.Add(100*time.Millisecond)) {
		t.Fatalf("after 100 refused Admits: ok=%v retryAt=t0+%v, want the slot at t0+100ms", ok, at.Sub(t0))
	}
}

// TestReserveLateInstantNeverOverAdmits: an instant earlier than the last one
// seen finds the bucket further ahead, never fuller.
func TestReserveLateInstantNeverOverAdmits(t *testing.T) {
	r, _ := NewReserve(ReserveConfig{Rate: 1, Burst: 2})
	t0 := time.Unix(0, 0)
	r.Reserve(t0.Add(time.Second), 0)
	r.Reserve(t0.Add(time.Second), 0)
	if ok, _ := r.Reserve(t0, 0); ok {
		t.Fatal("a late instant was admitted past a burst already spent")
	}
}

func TestReserveConfigValidate(t *testing.T) {
	for _, c := range []ReserveConfig{{}, {Rate: 1}, {Rate: -1, Burst: 1}, {Rate: 2e9, Burst: 1}, {Rate: 1e-12, Burst: 1}} {
		if _, err := NewReserve(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
	if err := DefaultReserve.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestReserveDoesNotAllocate(t *testing.T) {
	r, _ := NewReserve(DefaultReserve)
	now := time.Unix(0, 0)
	if n := testing.AllocsPerRun(1000, func() { now = now.Add(time.Millisecond); r.Reserve(now, 0); r.Admit(now, 0) }); n != 0 {
		t.Fatalf("%v allocations per decision", n)
	}
}
