package model

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/sim"
)

// TestSustainedEdges: the recovery condition at its three closed edges. A
// request arriving exactly at From counts, and so does its answer; an answer
// exactly W after its arrival is within W; a run that ends exactly when the
// first window's answers are all in has that window judged.
func TestSustainedEdges(t *testing.T) {
	const from, w = 1000 * ms, 100 * ms
	s := NewSustained(from, w)
	for range MinEvidence {
		s.Arrive(from)
	}
	for range MinEvidence {
		s.Good(from+5*ms, from)
	}
	if r, v := s.Finish(from + 3*w); v != Recovered || r != from+w {
		t.Errorf("%d requests at From, answered: %v at %v, want recovered at From + W", MinEvidence, v, r)
	}

	s = NewSustained(0, w)
	for i := range sim.Time(MinEvidence) {
		s.Arrive(i * ms)
	}
	for i := range sim.Time(MinEvidence) {
		s.Good(i*ms+w, i*ms)
	}
	if r, v := s.Finish(3 * w); v != Recovered || r != w {
		t.Errorf("answers exactly W after arrival: %v at %v, want recovered at W", v, r)
	}

	for _, c := range []struct {
		end  sim.Time
		want Verdict
	}{{2*w - 1, Undetermined}, {2 * w, Recovered}} {
		s = NewSustained(0, w)
		for i := range sim.Time(MinEvidence) {
			s.Arrive(i * ms)
			s.Good(i*ms+ms, i*ms)
		}
		if r, v := s.Finish(c.end); v != c.want || (v == Recovered && r != w) {
			t.Errorf("a healthy first window, run ending at %v: %v at %v, want %v", c.end, v, r, c.want)
		}
	}
}

// TestCheckEdgesAllowed: what the invariants allow at their other edges,
// and a bound of 0 is a bound: a recovery below it breaks the ratio.
func TestCheckEdgesAllowed(t *testing.T) {
	for _, edge := range []func(*Result){
		func(r *Result) { r.Totals.TimedOut = r.Totals.Attempts }, // every attempt timed out
		func(r *Result) { r.WastedFraction = 0 },
		func(r *Result) { r.WastedFraction = 1 },
		func(r *Result) { r.Ideal, r.Recovery = 0, 0 },
	} {
		r := sound()
		edge(&r)
		if err := r.Check(); err != nil {
			t.Errorf("an edge the invariants allow: %v", err)
		}
	}
	r := sound()
	r.Ideal, r.Recovery = 0, -1
	if v := (*Violation)(nil); !errors.As(r.Check(), &v) || v.Invariant != InvariantRatio {
		t.Errorf("recovered 1 ns before a bound of 0: %v, want %q broken", r.Check(), InvariantRatio)
	}
}

// TestSampleCheck: a sample's counts at 0 pass, -1 (not said) passes where
// a model may leave a count unsaid, leases and expiries only together;
// each count one below what it allows fails.
func TestSampleCheck(t *testing.T) {
	for _, s := range []Sample{
		{},
		{Arrivals: -1, InService: -1, Leased: -1, Expired: -1},
		{Queue: 3, Arrivals: 5, InService: 2, Leased: 7, Expired: 1},
	} {
		if err := s.Check(); err != nil {
			t.Errorf("%+v: %v", s, err)
		}
	}
	for _, s := range []Sample{
		{Queue: -1},
		{Arrivals: -2},
		{InService: -2},
		{Leased: -2, Expired: -2},
		{Leased: -1, Expired: -2},
		{Leased: -1},
		{Expired: -1},
	} {
		var v *Violation
		if err := s.Check(); !errors.As(err, &v) || v.Invariant != InvariantSample {
			t.Errorf("queue %d, arrivals %d, in service %d, leased %d, expired %d: %v, want %q broken",
				s.Queue, s.Arrivals, s.InService, s.Leased, s.Expired, err, InvariantSample)
		}
	}
}

// TestMeterTrace: three attempts served, one of them wasted, counted by
// hand: the interval's counts, the peak queue, the wasted share of the
// work, goodput, and the sojourn's mean and percentiles (a sojourn under a
// microsecond is recorded as one in the histogram, its mean stays exact).
func TestMeterTrace(t *testing.T) {
	m := NewMeter()
	if mean, _, _, _ := m.Sojourn(); !math.IsNaN(mean) || m.WastedFraction() != 0 {
		t.Errorf("an empty meter: mean sojourn %v, wasted %v; want NaN, 0", mean, m.WastedFraction())
	}
	us := sim.Time(time.Microsecond)
	m.Complete(2000*us, 1*ms, true)
	m.Queue(5)
	m.Complete(4000*us, 3*ms, false)
	m.Queue(3)
	m.Served(500, 2*ms) // 500 ns
	m.Judge(2*ms, true)
	s := m.Flush(10*sim.Time(time.Second), 10*sim.Time(time.Second), 2, -1, -1)
	want := Counts{Completed: 3, Good: 2, Wasted: 1}
	if s.Counts != want || m.Total != want || m.Interval != (Counts{}) {
		t.Errorf("sample counts %+v, total %+v, interval %+v; want %+v, the same, none", s.Counts, m.Total, m.Interval, want)
	}
	if s.Queue != 2 || s.Arrivals != -1 || s.InService != -1 || s.Leased != -1 || m.PeakQueue != 5 {
		t.Errorf("sample queue %d, arrivals %d, in service %d, leased %d; peak %d; want 2, -1, -1, -1; 5",
			s.Queue, s.Arrivals, s.InService, s.Leased, m.PeakQueue)
	}
	if w := m.WastedFraction(); w != 0.5 {
		t.Errorf("wasted 3 ms of 6 ms of work: fraction %v", w)
	}
	if g := s.GoodputPerS(); g != 0.2 {
		t.Errorf("2 good in 10 s: goodput %v/s", g)
	}
	if g := (Sample{Counts: Counts{Good: 3}}).GoodputPerS(); g != 0 {
		t.Errorf("an interval of 0: goodput %v, want 0", g)
	}
	mean, p50, p99, p999 := m.Sojourn()
	if want := (2e6 + 4e6 + 500) / 3 / 1e9; mean != want {
		t.Errorf("mean sojourn %v s, want %v", mean, want)
	}
	for _, q := range []struct{ got, want float64 }{{p50, 0.002}, {p99, 0.004}, {p999, 0.004}} {
		if math.Abs(q.got-q.want) > q.want*1e-3 {
			t.Errorf("percentiles %v, %v, %v s; want 0.002, 0.004, 0.004 within 0.1%%", p50, p99, p999)
			break
		}
	}
	m = NewMeter()
	m.Served(1, 0) // 1 ns: the histogram's least value, 1 µs
	if _, p50, _, _ := m.Sojourn(); p50 != 1e-6 {
		t.Errorf("a 1 ns sojourn: p50 %v s, want 1 µs", p50)
	}
}

// TestMeterLongSojourns: the histogram holds sojourns of days (up to 30),
// far past any one-hour bucket.
func TestMeterLongSojourns(t *testing.T) {
	m := NewMeter()
	day := sim.Time(24 * time.Hour)
	m.Served(10*day, 0)
	m.Served(2*day, 0)
	_, p50, p99, _ := m.Sojourn()
	if math.Abs(p50-2*86400) > 2*86400e-3 || math.Abs(p99-10*86400) > 10*86400e-3 {
		t.Errorf("sojourns of 2 and 10 days: p50 %v s, p99 %v s", p50, p99)
	}
}

// TestResultFromMeter: Finish takes the meter's totals, peak and shares;
// amplification is attempts per request (NaN without one); the recovery
// ratio needs a recovery and a bound above 0.
func TestResultFromMeter(t *testing.T) {
	m := NewMeter()
	m.Complete(ms, ms, true)
	m.Complete(3*ms, ms, false)
	m.Queue(4)
	m.Interval.Attempts = 6
	m.Flush(sim.Time(time.Second), sim.Time(time.Second), 0, -1, -1)
	var r Result
	r.Finish(m, 4)
	if r.Amplification != 1.5 || r.PeakQueue != 4 || r.WastedFraction != 0.5 || r.Totals.Attempts != 6 || r.Sojourn[0] != 0.002 {
		t.Errorf("6 attempts for 4 requests: %+v", r)
	}
	r.Finish(m, 0)
	if !math.IsNaN(r.Amplification) {
		t.Errorf("no request: amplification %v, want NaN", r.Amplification)
	}
	for _, c := range []struct {
		r    Result
		want float64
	}{
		{Result{Recovered: true, Recovery: 3e9, Ideal: 2e9}, 1.5},
		{Result{Recovered: true, Recovery: 3e9, Ideal: 0}, math.NaN()},
		{Result{Recovered: true, Recovery: 3e9, Ideal: -1}, math.NaN()},
		{Result{Recovered: false, Recovery: 3e9, Ideal: 2e9}, math.NaN()},
	} {
		if got := c.r.RecoveryRatio(); got != c.want && !(math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("recovered %v in %v, ideal %v: ratio %v, want %v", c.r.Recovered, c.r.Recovery, c.r.Ideal, got, c.want)
		}
	}
}
