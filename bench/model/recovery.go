package model

import "github.com/aftershock/aftershock/bench/sim"

// Healthy is the share of a window's new requests that must be matched by
// good completions for the window to count as healthy.
const Healthy = 0.9

// WindowBuckets is how many buckets a recovery window is cut into: the
// resolution of the recovery instant is the window ÷ WindowBuckets.
const WindowBuckets = 100

// Sustained measures the generic recovery condition online: from the first
// instant R after From, the goodput over the trailing window (R−W, R] and over
// every later trailing window that ends by the end of the run is at least
// Healthy × the new requests that arrived in the same window. Time from From
// on is cut into buckets of W ÷ WindowBuckets; windows are evaluated at every
// bucket edge, so R is resolved to one bucket (W/100).
//
// Only what happens at or after From counts: arrivals before it are not
// recorded, and its owner reports only good completions of requests that
// arrived at or after From, so late completions of work admitted during a
// trigger never make a window healthy.
//
// Memory is fixed (two rings of WindowBuckets counters); recording never
// allocates. Work is one step per closed bucket, and a run of empty buckets
// longer than a window is skipped in one step, so the total is at most
// (events + 1) × (WindowBuckets + 1) steps whatever the horizon.
type Sustained struct {
	from, bucket sim.Time
	arr, good    [WindowBuckets]uint64 // ring: the last WindowBuckets closed buckets
	sumArr       uint64                // over the ring
	sumGood      uint64
	cur          int64 // index of the open bucket: buckets closed so far
	curArr       uint64
	curGood      uint64
	lastBad      sim.Time // end of the last unhealthy window; -1: none
}

// NewSustained starts measuring at from with windows of length window (at
// least WindowBuckets ns; it is rounded down to a multiple of WindowBuckets).
func NewSustained(from, window sim.Time) *Sustained {
	b := max(window/WindowBuckets, 1)
	return &Sustained{from: from, bucket: b, lastBad: -1}
}

// Window is the effective window length: WindowBuckets buckets.
func (s *Sustained) Window() sim.Time { return s.bucket * WindowBuckets }

// Arrive records a new request at now.
func (s *Sustained) Arrive(now sim.Time) {
	if now < s.from {
		return
	}
	s.advance(now)
	s.curArr++
}

// Good records a good completion at now of a request that arrived at or
// after From.
func (s *Sustained) Good(now sim.Time) {
	if now < s.from {
		return
	}
	s.advance(now)
	s.curGood++
}

// advance closes every bucket that ends at or before now.
func (s *Sustained) advance(now sim.Time) {
	j := int64((now - s.from) / s.bucket)
	for s.cur < j {
		k := s.cur % WindowBuckets
		s.sumArr += s.curArr - s.arr[k]
		s.sumGood += s.curGood - s.good[k]
		s.arr[k], s.good[k] = s.curArr, s.curGood
		s.curArr, s.curGood = 0, 0
		s.cur++
		if s.cur >= WindowBuckets && float64(s.sumGood) < Healthy*float64(s.sumArr) {
			s.lastBad = s.from + sim.Time(s.cur)*s.bucket
		}
		if s.sumArr == 0 && s.sumGood == 0 && s.cur < j {
			// Every bucket up to j is empty, and so is every window
			// ending there: healthy. Skip to j with an empty ring.
			s.cur = j
		}
	}
}

// Finish closes the buckets that end by end (the end of the run) and
// reports the recovery instant R. ok is false when no whole window fits
// between From and end, or when the last window is unhealthy.
func (s *Sustained) Finish(end sim.Time) (r sim.Time, ok bool) {
	if end >= s.from {
		s.advance(end)
	}
	if s.cur < WindowBuckets {
		return 0, false
	}
	last := s.from + sim.Time(s.cur)*s.bucket
	if s.lastBad < 0 {
		return s.from + s.Window(), true
	}
	if s.lastBad >= last {
		return 0, false
	}
	return s.lastBad + s.bucket, true
}
