package model

import (
	"cmp"
	"math/rand/v2"
	"slices"
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
	r, v := s.Finish(2000 * ms)
	if v != Recovered || r != 1100*ms {
		t.Fatalf("%v at %v, want recovered at 1.1 s (trigger end + one window)", v, r)
	}
}

func TestSustainedCollapseIsNotRecovery(t *testing.T) {
	s := NewSustained(0, 100*ms)
	// Healthy for 500 ms, then nothing answered to the end: a collapse.
	feed(s, 0, 2000*ms, ms, 5*ms, func(t sim.Time) bool { return t < 500*ms })
	if r, v := s.Finish(2000 * ms); v != NotRecovered {
		t.Fatalf("a run that answers nothing for its last 1.5 s: %v at %v", v, r)
	}
}

func TestSustainedLastDipDecides(t *testing.T) {
	s := NewSustained(0, 100*ms)
	// Requests arriving in [800 ms, 900 ms) fail. Windows holding more than
	// 10 ms of them (10 failures of 100) are unhealthy: the last spans
	// [889 ms, 989 ms), so the first of the healthy stretch ends at 990 ms.
	feed(s, 0, 2000*ms, ms, 5*ms, func(t sim.Time) bool { return t < 800*ms || t >= 900*ms })
	r, v := s.Finish(2000 * ms)
	if v != Recovered || r != 990*ms {
		t.Fatalf("%v at %v, want recovered at 990 ms (one bucket after the last unhealthy window)", v, r)
	}
}

// An answer later than a window after the arrival does not count.
func TestSustainedLateAnswersDoNotCount(t *testing.T) {
	s := NewSustained(0, 100*ms)
	feed(s, 0, 1000*ms, ms, 101*ms, all)
	if r, v := s.Finish(1000 * ms); v != NotRecovered {
		t.Fatalf("every answer 101 ms late (window 100 ms), yet recovered at %v", r)
	}
}

func TestSustainedNoWholeWindowNoRecovery(t *testing.T) {
	s := NewSustained(0, sim.Time(time.Second))
	feed(s, 0, 1500*ms, ms, ms, all) // a window, but not a second one for its answers
	if _, v := s.Finish(1500 * ms); v != Undetermined {
		t.Fatalf("%v before a window could be judged, want undetermined", v)
	}
}

func TestSustainedIgnoresWhatCameBefore(t *testing.T) {
	s := NewSustained(1000*ms, 100*ms)
	// Before From: arrivals never answered do not count; nor do answers
	// after From to requests that arrived before it.
	feed(s, 0, 1000*ms, ms, 5*ms, func(sim.Time) bool { return false })
	feed(s, 1000*ms, 1500*ms, ms, 5*ms, all)
	if r, v := s.Finish(1500 * ms); v != Recovered || r != 1100*ms {
		t.Fatalf("%v at %v, want recovered at 1.1 s", v, r)
	}
	s = NewSustained(1000*ms, 100*ms)
	for t := sim.Time(0); t < 1000*ms; t += ms {
		s.Arrive(t)
	}
	for t := sim.Time(1000 * ms); t < 1500*ms; t += ms {
		s.Arrive(t)
		s.Good(t, t-999*ms+ms/2) // the old backlog, answered late
	}
	if r, v := s.Finish(1500 * ms); v != NotRecovered {
		t.Fatalf("only the backlog answered, yet %v at %v", v, r)
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
	if r, v := s.Finish(year + 30*ms); v != NotRecovered {
		t.Fatalf("the last judged windows lost most answers, yet %v at %v", v, r)
	}
}

// Silence after a collapse is no evidence of recovery: clients that stop,
// or trickle fewer than MinEvidence requests a window, leave the verdict
// undetermined, however long the silence.
func TestSustainedSilenceAfterCollapseIsUndetermined(t *testing.T) {
	none := func(sim.Time) bool { return false }
	for _, c := range []struct {
		name string
		tail func(s *Sustained)
	}{
		{"clients stop", func(*Sustained) {}},
		{"clients trickle, answered well", func(s *Sustained) { feed(s, 500*ms, 5000*ms, 25*ms, ms, all) }},
		{"a trickle one short of evidence", func(s *Sustained) { feed(s, 600*ms, 5000*ms, (100*ms+MinEvidence-2)/(MinEvidence-1)+ms, ms, all) }},
	} {
		s := NewSustained(0, 100*ms)
		feed(s, 0, 500*ms, ms, 5*ms, none) // collapsed: nothing answered
		c.tail(s)
		if r, v := s.Finish(5000 * ms); v != Undetermined {
			t.Errorf("%s: %v at %v, want undetermined", c.name, v, r)
		}
	}
}

// After a silent stretch, recovery is dated by the first window with
// evidence, not by the silence's start.
func TestSustainedRecoveryNeedsAWindowWithEvidence(t *testing.T) {
	s := NewSustained(0, 100*ms)
	feed(s, 0, 500*ms, ms, 5*ms, func(sim.Time) bool { return false })
	feed(s, 2000*ms, 3000*ms, 10*ms, ms, all) // 10 a window from 2 s: evidence once a window holds 10
	r, v := s.Finish(3000 * ms)
	// The first window holding the 10 arrivals at 2.00, 2.01, …, 2.09 s ends
	// one bucket (1 ms) after the 10th.
	if v != Recovered || r != 2091*ms {
		t.Fatalf("%v at %v, want recovered at 2.091 s (the first window holding %d answered requests)", v, r, MinEvidence)
	}
}

// TestSustainedAgreesWithANaiveJudge compares the online measure with a
// direct reading of its definition over random traces of phases (busy,
// trickling, silent; answered well, badly, late): every window judged by
// the end is counted from scratch. A failure prints the seed.
func TestSustainedAgreesWithANaiveJudge(t *testing.T) {
	for seed := uint64(1); seed <= 400; seed++ {
		rng := rand.New(rand.NewPCG(seed, 0))
		from := sim.Time(rng.Int64N(int64(200 * ms)))
		window := 100 * ms
		type req struct{ at, answered sim.Time } // answered -1: never
		var reqs []req
		t0 := sim.Time(0)
		for phase := 0; phase < 1+rng.IntN(8); phase++ {
			length := sim.Time(rng.Int64N(int64(600*ms))) + ms
			step := []sim.Time{ms / 2, 3 * ms, 9 * ms, 13 * ms, 40 * ms, 250 * ms}[rng.IntN(6)]
			pGood := []float64{0, 0.5, 0.85, 0.95, 1}[rng.IntN(5)]
			for at := t0; at < t0+length; at += step {
				ans := sim.Time(-1)
				if rng.Float64() < pGood {
					ans = at + sim.Time(rng.Int64N(int64(window+20*ms))) // some late
				}
				reqs = append(reqs, req{at, ans})
			}
			t0 += length
		}
		end := t0 + sim.Time(rng.Int64N(int64(300*ms)))

		// Online, events in time order (answers after arrivals at equal instants).
		type ev struct {
			at, arrived sim.Time
			answer      bool
		}
		var evs []ev
		for _, r := range reqs {
			evs = append(evs, ev{r.at, r.at, false})
			if r.answered >= 0 && r.answered <= end {
				evs = append(evs, ev{r.answered, r.at, true})
			}
		}
		slices.SortStableFunc(evs, func(a, b ev) int { return cmp.Compare(a.at, b.at) })
		s := NewSustained(from, window)
		for _, e := range evs {
			if e.answer {
				s.Good(e.at, e.arrived)
			} else {
				s.Arrive(e.at)
			}
		}
		r, v := s.Finish(end)

		// Naive: every window judged by end, from its definition.
		bucket := window / WindowBuckets
		wantV, wantR := Undetermined, sim.Time(0)
		if end >= from {
			lastEdge := int64((end-from)/bucket) - WindowBuckets
			lastBad, firstGood := sim.Time(-1), sim.Time(-1)
			for e := int64(WindowBuckets); e <= lastEdge; e++ {
				lo, hi := from+sim.Time(e-WindowBuckets)*bucket, from+sim.Time(e)*bucket
				var n, g int
				for _, q := range reqs {
					if q.at >= lo && q.at < hi {
						n++
						if q.answered >= 0 && q.answered-q.at <= window {
							g++
						}
					}
				}
				switch {
				case float64(g) < Healthy*float64(n):
					lastBad, firstGood = hi, -1
				case n >= MinEvidence && firstGood < 0:
					firstGood = hi
				}
			}
			switch {
			case lastEdge < WindowBuckets:
			case lastBad >= from+sim.Time(lastEdge)*bucket:
				wantV = NotRecovered
			case firstGood >= 0:
				wantV, wantR = Recovered, firstGood
			}
		}
		if v != wantV || (v == Recovered && r != wantR) {
			t.Fatalf("seed %d: online %v at %v, naive %v at %v (from %v, end %v, %d requests)", seed, v, r, wantV, wantR, from, end, len(reqs))
		}
	}
}
