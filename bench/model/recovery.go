package model

import "github.com/aftershock/aftershock/bench/sim"

// Healthy is the share of a window's new requests that must be answered
// well for the window to count as healthy.
const Healthy = 0.9

// MinEvidence is the fewest arrivals a window must hold for its health to
// count as evidence of recovery. With fewer, one failure already breaks the
// Healthy share, so a window that passes tells nothing about it: a window of
// no arrivals is not healthy, it is silent. Ten is the least count at which a
// window can hold a failure and still be healthy.
const MinEvidence = 10

// Verdict is what a run's evidence says of recovery.
type Verdict uint8

// Verdicts.
const (
	NotRecovered Verdict = iota // the last window judged was unhealthy
	Recovered                   // healthy or silent from the recovery instant to the end, the first window with evidence
	Undetermined                // no window judged, or none with evidence since the last unhealthy one
)

func (v Verdict) String() string {
	switch v {
	case Recovered:
		return "recovered"
	case Undetermined:
		return "undetermined"
	}
	return "not recovered"
}

// WindowBuckets is how many buckets a recovery window is cut into: the
// resolution of the recovery instant is the window ÷ WindowBuckets.
const WindowBuckets = 100

// ring holds the buckets a Sustained needs at once: a window's worth being
// judged, a window's worth still collecting answers, and the bucket under
// way.
const ring = 2*WindowBuckets + 2

// Sustained measures the generic recovery condition online. Time from From
// on is cut into buckets of W ÷ WindowBuckets. A request that arrives at or
// after From is good when it is answered well (Good) within W of its arrival;
// a window of W (WindowBuckets buckets) is healthy when at least Healthy of
// the requests that arrived in it are good. A window is judged once its last
// arrival has had W to be answered, so a request still on its way is never
// counted as failed, and completions of requests that arrived before From
// (a trigger's backlog drained late) never count at all.
//
// A window is unhealthy when fewer than Healthy of its arrivals were good
// (one arrival is enough to fail it), healthy when it also held at least
// MinEvidence arrivals, and silent otherwise (too few arrivals to tell,
// none at all included): a silent window neither proves nor breaks recovery.
// The recovery instant R is the end of the first healthy window after the
// last unhealthy one, so every window judged from R to the end of the run is
// healthy or silent and the window ending at R is evidence: at least From +
// W, resolved to one bucket (W/100). When windows after the last unhealthy one
// were all silent (clients that trickle or stop after a collapse), the
// verdict is Undetermined, never Recovered. The last W of a run only collects
// answers for the windows before it.
//
// Memory is fixed (two rings of 2·WindowBuckets+2 counters); recording never
// allocates. Work is one step per judged window, and a stretch without
// arrivals longer than a window is skipped in one step, so the total is at
// most (events + 1) × (2·WindowBuckets + 1) steps whatever the horizon.
type Sustained struct {
	from, bucket    sim.Time
	arr, good       [ring]uint64 // per bucket, at index mod ring
	sumArr, sumGood uint64       // over the window ending at edge next-1
	next            int64        // next window edge to judge (in buckets from From)
	top             int64        // highest bucket recorded; -1: none
	lastBad         sim.Time     // end of the last unhealthy window; -1: none
	firstGood       sim.Time     // end of the first healthy window after lastBad; -1: none yet
}

// NewSustained starts measuring at from with windows of length window (at
// least WindowBuckets ns; it is rounded down to a multiple of WindowBuckets).
func NewSustained(from, window sim.Time) *Sustained {
	b := max(window/WindowBuckets, 1)
	return &Sustained{from: from, bucket: b, next: 1, top: -1, lastBad: -1, firstGood: -1}
}

// Window is the effective window length: WindowBuckets buckets.
func (s *Sustained) Window() sim.Time { return s.bucket * WindowBuckets }

// Arrive records a new request at now.
func (s *Sustained) Arrive(now sim.Time) {
	if now < s.from {
		return
	}
	s.advance(now)
	i := int64((now - s.from) / s.bucket)
	s.arr[i%ring]++
	s.top = max(s.top, i)
}

// Good records that the request that arrived at arrived was answered well at
// now. It counts if it arrived at or after From and within a window of now.
func (s *Sustained) Good(now, arrived sim.Time) {
	if arrived < s.from || now-arrived > s.Window() {
		return
	}
	s.advance(now)
	s.good[int64((arrived-s.from)/s.bucket)%ring]++
}

// advance judges every window whose arrivals have all had a window to be
// answered by now: the window ending at edge e (buckets e−WindowBuckets …
// e−1) at From + (e + WindowBuckets)·bucket.
func (s *Sustained) advance(now sim.Time) {
	due := int64((now-s.from)/s.bucket) - WindowBuckets // last edge that may be judged
	for s.next <= due {
		in := s.next - 1 // the bucket entering the window
		s.sumArr += s.arr[in%ring]
		s.sumGood += s.good[in%ring]
		if out := in - WindowBuckets; out >= 0 { // the bucket leaving it, no longer needed
			s.sumArr -= s.arr[out%ring]
			s.sumGood -= s.good[out%ring]
			s.arr[out%ring], s.good[out%ring] = 0, 0
		}
		if s.next >= WindowBuckets {
			end := s.from + sim.Time(s.next)*s.bucket
			switch {
			case float64(s.sumGood) < Healthy*float64(s.sumArr):
				s.lastBad, s.firstGood = end, -1
			case s.sumArr >= MinEvidence && s.firstGood < 0:
				s.firstGood = end
			}
		}
		s.next++
		if s.sumArr == 0 && s.sumGood == 0 && s.next > s.top+WindowBuckets && s.next <= due {
			// Nothing recorded from here to the last bucket that may be
			// judged: every window up to due is empty, so silent.
			s.next = due + 1
			for k := range s.arr {
				s.arr[k], s.good[k] = 0, 0
			}
		}
	}
}

// Finish judges the windows whose answers are all in by end (the end of the
// run) and reports the verdict and, when Recovered, the recovery instant R.
// The verdict is NotRecovered when the last window judged is unhealthy, and
// Undetermined when no whole window could be judged (the run ended too soon)
// or every window judged after the last unhealthy one was silent.
func (s *Sustained) Finish(end sim.Time) (r sim.Time, v Verdict) {
	if end >= s.from {
		s.advance(end)
	}
	last := s.next - 1 // the last edge judged
	switch {
	case last < WindowBuckets:
		return 0, Undetermined
	case s.lastBad >= s.from+sim.Time(last)*s.bucket:
		return 0, NotRecovered
	case s.firstGood < 0:
		return 0, Undetermined
	}
	return s.firstGood, Recovered
}
