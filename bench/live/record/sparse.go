package record

import (
	"slices"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Sparse is a latency histogram kept as its non-empty buckets only (each
// bucket's lowest value and count, by value), in NewHistogram's geometry:
// what a report keeps of each row's interval histogram. A histogram of that
// geometry takes 270 KB however few latencies it holds, so that a log of a
// million short intervals would take hundreds of GB; a Sparse one takes
// what its latencies need.
type Sparse []Bucket

// Bucket is one non-empty bucket of a histogram.
type Bucket struct{ Value, Count int64 }

// SparseOf is h's non-empty buckets.
func SparseOf(h *hdr.Histogram) Sparse {
	var s Sparse
	for _, b := range h.Distribution() {
		if b.Count > 0 {
			s = append(s, Bucket{b.From, b.Count})
		}
	}
	return s
}

// Total is the number of latencies.
func (s Sparse) Total() int64 {
	var n int64
	for _, b := range s {
		n += b.Count
	}
	return n
}

// AddTo records s's latencies into h (NewHistogram's geometry).
func (s Sparse) AddTo(h *hdr.Histogram) {
	for _, b := range s {
		_ = h.RecordValues(b.Value, b.Count) // in range: from a histogram of h's geometry
	}
}

// Merge is s and o's buckets added, by value.
func (s Sparse) Merge(o Sparse) Sparse {
	out := make(Sparse, 0, len(s)+len(o))
	out = append(append(out, s...), o...)
	slices.SortFunc(out, func(a, b Bucket) int {
		switch {
		case a.Value < b.Value:
			return -1
		case a.Value > b.Value:
			return 1
		}
		return 0
	})
	k := 0
	for _, b := range out {
		if k > 0 && out[k-1].Value == b.Value {
			out[k-1].Count += b.Count
			continue
		}
		out[k] = b
		k++
	}
	return out[:k]
}
