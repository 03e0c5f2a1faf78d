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

// percentiles are h's p50, p90, p99 and p99.9 in milliseconds, read in one
// pass over the buckets; NaN for an empty h.
func percentiles(h *hdr.Histogram) [4]float64 {
	if h.TotalCount() == 0 {
		n := math.NaN()
		return [4]float64{n, n, n, n}
	}
	var out [4]float64
	for i, v := range h.ValueAtPercentilesSlice([]float64{50, 90, 99, 99.9}) {
		out[i] = float64(v) / 1e6
	}
	return out
}
