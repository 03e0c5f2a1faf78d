package model

import (
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/sim"
)

const ms = sim.Time(time.Millisecond)

// feed records, from 'from' to 'to', an arrival every step and a good
// completion every step whose index i makes good(i) true.
func feed(s *Sustained, from, to, step sim.Time, good func(t sim.Time) bool) {
	for t := from; t < to; t += step {
		s.Arrive(t)
		if good(t) {
			s.Good(t)
		}
	}
}

func TestSustainedHealthyFromTheStartRecoversAfterOneWindow(t *testing.T) {
	s := NewSustained(1000*ms, 100*ms)
	feed(s, 0, 2000*ms, ms, func(sim.Time) bool { return true })
	r, ok := s.Finish(2000 * ms)
	if !ok || r != 1100*ms {
		t.Fatalf("recovered %v at %v, want true at 1.1 s (trigger end + one window)", ok, r)
	}
}

func TestSustainedCollapseIsNotRecovery(t *testing.T) {
	s := NewSustained(0, 100*ms)
	// Healthy for 500 ms, then nothing good to the end: a collapse.
	feed(s, 0, 2000*ms, ms, func(t sim.Time) bool { return t < 500*ms })
	if r, ok := s.Finish(2000 * ms); ok {
		t.Fatalf("a run with no goodput for its last 1.5 s recovered at %v", r)
	}
}

func TestSustainedLastDipDecides(t *testing.T) {
	s := NewSustained(0, 100*ms)
	// Good everywhere except a dip on [800 ms, 900 ms): the last unhealthy
	// window ends in the dip's last 10% of a window; recovery one bucket
	// (1 ms) after the last unhealthy window's end.
	feed(s, 0, 2000*ms, ms, func(t sim.Time) bool { return t < 800*ms || t >= 900*ms })
	r, ok := s.Finish(2000 * ms)
	if !ok || r <= 900*ms || r > 1000*ms {
		t.Fatalf("recovered %v at %v, want after the dip, by 1 s", ok, r)
	}
}

func TestSustainedNoWholeWindowNoRecovery(t *testing.T) {
	s := NewSustained(0, sim.Time(time.Second))
	feed(s, 0, 500*ms, ms, func(sim.Time) bool { return true })
	if _, ok := s.Finish(500 * ms); ok {
		t.Fatal("recovered with no whole window before the end")
	}
}

func TestSustainedIgnoresWhatCameBefore(t *testing.T) {
	s := NewSustained(1000*ms, 100*ms)
	// Before From: arrivals with no goodput do not count.
	feed(s, 0, 1000*ms, ms, func(sim.Time) bool { return false })
	feed(s, 1000*ms, 1500*ms, ms, func(sim.Time) bool { return true })
	if r, ok := s.Finish(1500 * ms); !ok || r != 1100*ms {
		t.Fatalf("recovered %v at %v, want at 1.1 s", ok, r)
	}
}

func TestSustainedRecordsWithoutAllocating(t *testing.T) {
	s := NewSustained(0, 100*ms)
	now := sim.Time(0)
	if n := testing.AllocsPerRun(1000, func() {
		now += 3 * ms
		s.Arrive(now)
		s.Good(now)
	}); n != 0 {
		t.Fatalf("%v allocations per record", n)
	}
}

// TestSustainedSkipsLongQuietStretches: a gap of a year between two events
// is crossed in bounded work (the run would not finish otherwise).
func TestSustainedSkipsLongQuietStretches(t *testing.T) {
	s := NewSustained(0, 10*ms) // buckets of 100 µs: 3·10¹¹ in a year
	s.Arrive(0)
	s.Good(0)
	year := sim.Time(366 * 24 * time.Hour)
	s.Arrive(year)
	s.Good(year)
	if _, ok := s.Finish(year + 20*ms); !ok {
		t.Fatal("not recovered")
	}
}
