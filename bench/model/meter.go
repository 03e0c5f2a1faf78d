package model

import (
	"math"
	"math/big"
	"math/bits"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/aftershock/aftershock/bench/sim"
)

// Sample is one row of a run's time series: state at T and counts over the
// Interval that ends at T.
type Sample struct {
	T        sim.Time
	Interval sim.Time
	Leased   int // -1 in a model without leases
	Expired  int // -1 in a model without leases
	Queue    int // attempts waiting, over all stations
	// Arrivals is the new requests (not retries) in the interval and
	// InService the attempts in service at T; -1 where a model does not say.
	Arrivals  int64
	InService int
	Counts
	// Extra holds the values of the model's extra columns (Extras), in
	// order; zero for a model without them. An array, not a slice, so a
	// Sample stays a comparable value that costs no allocation.
	Extra [MaxExtra]float64
}

// Counts are what happened to attempts.
type Counts struct {
	Attempts  uint64 // attempts sent
	Rejected  uint64 // refused by admission control or failed fast
	Completed uint64 // attempts whose service finished
	Good      uint64 // completed before their client gave up: goodput
	Wasted    uint64 // completed after their client gave up
	TimedOut  uint64 // attempts their client gave up on
	Dropped   uint64 // dropped unworked (restart)
	Abandoned uint64 // retries abandoned because the orbit (clients waiting to retry) was full
}

// Add adds o's counts to c (a fleet's counts are its hosts' sums).
func (c *Counts) Add(o Counts) {
	c.Attempts += o.Attempts
	c.Rejected += o.Rejected
	c.Completed += o.Completed
	c.Good += o.Good
	c.Wasted += o.Wasted
	c.TimedOut += o.TimedOut
	c.Dropped += o.Dropped
	c.Abandoned += o.Abandoned
}

// GoodputPerS is good completions per second over the interval.
func (s Sample) GoodputPerS() float64 {
	if s.Interval <= 0 {
		return 0
	}
	return float64(s.Good) / s.Interval.Seconds()
}

// Meter accumulates a run's measurements. Sojourn (queueing plus service time
// of each completed attempt) goes into an HdrHistogram in microseconds, whose
// memory is fixed at construction so recording never allocates; the mean is
// kept exactly beside it: the sum of sojourns is a 128-bit integer of
// nanoseconds, so it does not depend on the order the attempts are recorded
// in (package dwfm records one host after another).
type Meter struct {
	Interval   Counts // since the last Flush
	Total      Counts
	Work       sim.Time // service time spent on completed attempts
	WastedWork sim.Time // of which on wasted attempts
	PeakQueue  int
	hist       *hdrhistogram.Histogram
	sojournSum sum128
	sojournN   uint64
}

// maxSojournMicros bounds the histogram: 30 days, beyond any horizon.
const maxSojournMicros = 30 * 24 * 3600 * 1e6

// NewMeter returns an empty meter. Its histogram (about 270 KB) is made at
// the first completion, so a model built only to check its inputs (a sweep
// prepares every run before starting any) costs nothing for it.
func NewMeter() *Meter { return &Meter{} }

// Complete records a finished attempt: Served, then Judge.
func (m *Meter) Complete(sojourn, work sim.Time, good bool) {
	m.Served(sojourn, work)
	m.Judge(work, good)
}

// Served records an attempt whose service finished: its sojourn and work.
// Whether it was good is recorded apart by Judge (once its client has its
// answer, when the answer travels a network).
func (m *Meter) Served(sojourn, work sim.Time) {
	m.Interval.Completed++
	m.Work += work
	us := int64(sojourn / 1000)
	if us < 1 {
		us = 1
	}
	if m.hist == nil {
		m.hist = hdrhistogram.New(1, maxSojournMicros, 3)
	}
	_ = m.hist.RecordValue(min(us, int64(maxSojournMicros)))
	m.sojournSum.add(int64(sojourn))
	m.sojournN++
}

// Judge records whether a served attempt of work was good (its client had
// the answer before giving up) or wasted.
func (m *Meter) Judge(work sim.Time, good bool) {
	if good {
		m.Interval.Good++
	} else {
		m.Interval.Wasted++
		m.WastedWork += work
	}
}

// Queue notes the current queue length for the peak.
func (m *Meter) Queue(n int) {
	if n > m.PeakQueue {
		m.PeakQueue = n
	}
}

// Flush closes the interval ending at t and returns its sample.
func (m *Meter) Flush(t, interval sim.Time, queue, leased, expired int) Sample {
	m.Queue(queue)
	s := Sample{T: t, Interval: interval, Leased: leased, Expired: expired, Queue: queue, Arrivals: -1, InService: -1, Counts: m.Interval}
	m.Total.Add(m.Interval)
	m.Interval = Counts{}
	return s
}

// Sojourn returns the mean and the 50th, 99th and 99.9th percentiles of the
// sojourn of completed attempts, in seconds; NaN when none completed.
func (m *Meter) Sojourn() (mean, p50, p99, p999 float64) {
	if m.sojournN == 0 {
		n := math.NaN()
		return n, n, n, n
	}
	q := func(p float64) float64 { return float64(m.hist.ValueAtQuantile(p)) / 1e6 }
	return m.sojournSum.float() / float64(m.sojournN) / 1e9, q(50), q(99), q(99.9)
}

// WastedFraction is the share of service time spent on wasted attempts.
func (m *Meter) WastedFraction() float64 {
	if m.Work == 0 {
		return 0
	}
	return float64(m.WastedWork) / float64(m.Work)
}

// sum128 is an exact sum of int64s: two's complement over 128 bits.
type sum128 struct{ hi, lo uint64 }

func (s *sum128) add(x int64) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, uint64(x), 0)
	s.hi += uint64(x>>63) + carry // x>>63: the sign extension, all ones or zero
}

// float is the sum, rounded once to a float64 (called once per run).
func (s sum128) float() float64 {
	if s.hi == 0 {
		return float64(s.lo)
	}
	x := new(big.Int).SetUint64(s.hi)
	x.Lsh(x, 64).Add(x, new(big.Int).SetUint64(s.lo))
	if int64(s.hi) < 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), 128))
	}
	f, _ := new(big.Float).SetInt(x).Float64()
	return f
}
