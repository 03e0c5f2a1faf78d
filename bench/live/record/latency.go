package record

import (
	"math"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Latency histograms record nanoseconds from 1 ns to MaxLatency with three
// significant digits; a longer latency is recorded as MaxLatency.
const (
	MaxLatency = time.Hour
	sigDigits  = 3
)

// NewHistogram is an empty latency histogram of the geometry every file of
// this package uses, so that histograms merge exactly.
func NewHistogram() *hdr.Histogram { return hdr.New(1, int64(MaxLatency), sigDigits) }

// record adds latency d to h, clamped to [1 ns, MaxLatency].
func record(h *hdr.Histogram, d time.Duration) {
	v := int64(d)
	if v < 1 {
		v = 1
	}
	if v > int64(MaxLatency) {
		v = int64(MaxLatency)
	}
	_ = h.RecordValue(v) // in range by construction
}

// Quantiles are latency statistics in wall-clock milliseconds; NaN when no
// attempt was recorded.
type Quantiles struct{ Mean, P50, P90, P99, P999, Max float64 }

// QuantilesOf reads h's statistics.
func QuantilesOf(h *hdr.Histogram) Quantiles {
	if h.TotalCount() == 0 {
		n := math.NaN()
		return Quantiles{n, n, n, n, n, n}
	}
	p := percentiles(h)
	return Quantiles{Mean: h.Mean() / 1e6, P50: p[0], P90: p[1], P99: p[2], P999: p[3], Max: float64(h.Max()) / 1e6}
}

// Percentiles are read by nearest rank, as HdrHistogram's reference
// implementation (Java: AbstractHistogram.getValueAtPercentile) reads
// them: the p-th percentile of n latencies is the one at rank ⌈p/100·n⌉
// (at least 1) in ascending order, the least latency that p% of them are
// at or below, given as the top of its bucket (3 significant digits).
// hdrhistogram-go rounds the rank instead (round(p/100·n): for 160
// latencies its p99 is the 158th, nearest rank's the 159th); vegeta report
// interpolates a t-digest (158.4th there), so that its percentiles differ
// from these by up to a latency's rank on few attempts, by a bucket on
// many.
func nearestRank(p float64, n int64) int64 {
	x := p / 100 * float64(n)
	k := int64(math.Ceil(x * (1 - 1e-12))) // a rank a hair above a whole one, by rounding, is that one
	return min(max(k, 1), n)
}

// Quantile is h's q quantile (0..1) by nearest rank, in nanoseconds; 0 for
// an empty h.
func Quantile(h *hdr.Histogram, q float64) int64 {
	if h.TotalCount() == 0 {
		return 0
	}
	return valuesAt(h, []float64{100 * q})[0]
}

// valuesAt is h's ps percentiles by nearest rank, read in one pass over
// the buckets (h not empty).
func valuesAt(h *hdr.Histogram, ps []float64) []int64 {
	n := h.TotalCount()
	// hdrhistogram-go's rank for percentile q is round(q/100·n); at q =
	// 100·k/n that is k.
	qs := make([]float64, len(ps))
	for i, p := range ps {
		qs[i] = 100 * float64(nearestRank(p, n)) / float64(n)
	}
	return h.ValueAtPercentilesSlice(qs)
}

// percentiles are h's p50, p90, p99 and p99.9 in milliseconds by nearest
// rank; NaN for an empty h.
func percentiles(h *hdr.Histogram) [4]float64 {
	if h.TotalCount() == 0 {
		n := math.NaN()
		return [4]float64{n, n, n, n}
	}
	var out [4]float64
	for i, v := range valuesAt(h, []float64{50, 90, 99, 99.9}) {
		out[i] = float64(v) / 1e6
	}
	return out
}
