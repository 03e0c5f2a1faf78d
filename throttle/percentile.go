package throttle

import (
	"math"
	"math/rand/v2"
	"time"
)

// sampleSet summarises a stream of latencies by a percentile in fixed
// memory: it keeps up to cap(buf) of them, exactly while no more arrive, and
// beyond that a uniform random sample of them all (reservoir sampling,
// Vitter's algorithm R, drawn from a seeded stream: the same seed and samples
// give the same answer). Its percentile is the nearest-rank one of what it
// keeps: the ⌈p/100·n⌉-th smallest, found in place by quickselect. Adding and
// summarising allocate nothing.
//
// Accuracy: exact while at most cap(buf) samples arrive between resets;
// beyond, the rank of the answer among all samples is off by about
// √(q(1−q)/cap(buf)) in quantile terms (q = p/100): ±1.6 percentile points
// at p50 with 1,000 kept.
type sampleSet struct {
	buf  []int64 // nanoseconds; len ≤ cap, fixed at construction
	seen int     // samples added since the last reset
	rng  *rand.Rand
}

func newSampleSet(size int, seed uint64) sampleSet {
	return sampleSet{buf: make([]int64, 0, size), rng: rand.New(rand.NewPCG(seed, seed^0x6a09e667f3bcc909))}
}

func (s *sampleSet) add(d time.Duration) {
	s.seen++
	if len(s.buf) < cap(s.buf) {
		s.buf = append(s.buf, int64(d))
		return
	}
	if j := s.rng.IntN(s.seen); j < len(s.buf) {
		s.buf[j] = int64(d)
	}
}

func (s *sampleSet) count() int { return s.seen }

func (s *sampleSet) reset() { s.buf, s.seen = s.buf[:0], 0 }

// percentile returns the nearest-rank p-th percentile, p in (0, 100], of the
// samples kept; 0 when there are none. It reorders them.
func (s *sampleSet) percentile(p float64) time.Duration {
	n := len(s.buf)
	if n == 0 {
		return 0
	}
	k := int(math.Ceil(p / 100 * float64(n)))
	k = min(n, max(1, k))
	return time.Duration(selectKth(s.buf, k-1))
}

// selectKth returns the k-th smallest (0-based) element of a, reordering a:
// Hoare's quickselect with a median-of-three pivot.
func selectKth(a []int64, k int) int64 {
	lo, hi := 0, len(a)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[mid] {
			a[hi], a[mid] = a[mid], a[hi]
		}
		pivot := a[mid]
		i, j := lo, hi
		for i <= j {
			for a[i] < pivot {
				i++
			}
			for a[j] > pivot {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return a[k]
		}
	}
	return a[k]
}
