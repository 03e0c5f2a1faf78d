package model

import (
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/sim"
)

const ms = sim.Time(time.Millisecond)

// feed records, from 'from' to 'to', an arrival every step, answered well
// after lag when good(arrival) says so. Events go in in time order.
func feed(s *Sustained, from, to, step, lag sim.Time, good func(t sim.Time) bool) {
	type ev struct{ at, arrived sim.Time }
	var pending []ev
	for t := from; t < to; t += step {
		for len(pending) > 0 && pending[0].at <= t {
			s.Good(pending[0].at, pending[0].arrived)
			pending = pending[1:]
		}
		s.Arrive(t)
		if good(t) {
			pending = append(pending, ev{t + lag, t})
		}
	}
	for _, e := range pending {
		s.Good(e.at, e.arrived)
	}
}

func all(sim.Time) bool { return true }

func TestSustainedHealthyFromTheStartRecoversAfterOneWindow(t *testing.T) {
	s := NewSustained(1000*ms, 100*ms)
	feed(s, 0, 2000*ms, ms, 5*ms, all)
	r, ok := s.Finish(2000 * ms)
	if !ok || r != 1100*ms {
		t.Fatalf("recovered %v at %v, want true at 1.1 s (trigger end + one window)", ok, r)
	}
}

func TestSustainedCollapseIsNotRecovery(t *testing.T) {
	s := NewSustained(0, 100*ms)
	// Healthy for 500 ms, then nothing answered to the end: a collapse.
	feed(s, 0, 2000*ms, ms, 5*ms, func(t sim.Time) bool { return t < 500*ms })
	if r, ok := s.Finish(2000 * ms); ok {
		t.Fatalf("a run that answers nothing for its last 1.5 s recovered at %v", r)
	}
}

func TestSustainedLastDipDecides(t *testing.T) {
	s := NewSustained(0, 100*ms)
	// Requests arriving in [800 ms, 900 ms) fail. Windows holding more than
	// 10 ms of them (10 failures of 100) are unhealthy: the last spans
	// [889 ms, 989 ms), so the first of the healthy stretch ends at 990 ms.
	feed(s, 0, 2000*ms, ms, 5*ms, func(t sim.Time) bool { return t < 800*ms || t >= 900*ms })
	r, ok := s.Finish(2000 * ms)
	if !ok || r != 990*ms {
		t.Fatalf("recovered %v at %v, want at 990 ms (one bucket after the last unhealthy window)", ok, r)
	}
}

// An answer later than a window after the arrival does not count.
func TestSustainedLateAnswersDoNotCount(t *testing.T) {
	s := NewSustained(0, 100*ms)
	feed(s, 0, 1000*ms, ms, 101*ms, all)
	if r, ok := s.Finish(1000 * ms); ok {
		t.Fatalf("every answer 101 ms late (window 100 ms), yet recovered at %v", r)
	}
}

func TestSustainedNoWholeWindowNoRecovery(t *testing.T) {
	s := NewSustained(0, sim.Time(time.Second))
	feed(s, 0, 1500*ms, ms, ms, all) // a window, but not a second one for its answers
	if _, ok := s.Finish(1500 * ms); ok {
		t.Fatal("recovered before a window could be judged")
	}
}

func TestSustainedIgnoresWhatCameBefore(t *testing.T) {
	s := NewSustained(1000*ms, 100*ms)
	// Before From: arrivals never answered do not count; nor do answers
	// after From to requests that arrived before it.
	feed(s, 0, 1000*ms, ms, 5*ms, func(sim.Time) bool { return false })
	feed(s, 1000*ms, 1500*ms, ms, 5*ms, all)
	if r, ok := s.Finish(1500 * ms); !ok || r != 1100*ms {
		t.Fatalf("recovered %v at %v, want at 1.1 s", ok, r)
	}
	s = NewSustained(1000*ms, 100*ms)
	for t := sim.Time(0); t < 1000*ms; t += ms {
		s.Arrive(t)
	}
	for t := sim.Time(1000 * ms); t < 1500*ms; t += ms {
		s.Arrive(t)
		s.Good(t, t-999*ms+ms/2) // the old backlog, answered late
	}
	if r, ok := s.Finish(1500 * ms); ok {
		t.Fatalf("only the backlog answered, yet recovered at %v", r)
	}
}

func TestSustainedRecordsWithoutAllocating(t *testing.T) {
	s := NewSustained(0, 100*ms)
	now := sim.Time(0)
	if n := testing.AllocsPerRun(1000, func() {
		now += 3 * ms
		s.Arrive(now)
		s.Good(now, now-ms)
	}); n != 0 {
		t.Fatalf("%v allocations per record", n)
	}
}

// TestSustainedSkipsLongQuietStretches: a year between two bursts is
// crossed in bounded work (the test would not finish otherwise), and what
// comes after is judged as usual.
func TestSustainedSkipsLongQuietStretches(t *testing.T) {
	s := NewSustained(0, 10*ms) // buckets of 100 µs: 3·10¹¹ in a year
	feed(s, 0, 30*ms, ms/10, ms, all)
	year := sim.Time(366 * 24 * time.Hour)
	feed(s, year, year+30*ms, ms/10, ms, func(t sim.Time) bool { return t < year+10*ms })
	if r, ok := s.Finish(year + 30*ms); ok {
		t.Fatalf("the last judged windows lost most answers, yet recovered at %v", r)
	}
}
