package throttle

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestPercentileIsExactNearestRank: up to the buffer's size the percentile
// is the nearest-rank one of every sample (checked against sorting); beyond,
// the reservoir's answer stays within a few percentile points.
func TestPercentileIsExactNearestRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(300)
		s := newSampleSet(300, uint64(trial))
		all := make([]int64, n)
		for i := range all {
			all[i] = rng.Int64N(1000) // ties included
			s.add(time.Duration(all[i]))
		}
		slices.Sort(all)
		for _, p := range []float64{0.1, 1, 25, 50, 90, 99, 100} {
			k := int(math.Ceil(p / 100 * float64(n)))
			want := all[max(1, k)-1]
			if got := s.percentile(p); int64(got) != want {
				t.Fatalf("n=%d p%v: %v, want %v", n, p, int64(got), want)
			}
		}
	}
	// Beyond the buffer: 100,000 uniform samples, 1,000 kept.
	s := newSampleSet(1000, 1)
	for i := 0; i < 100_000; i++ {
		s.add(time.Duration(rng.Int64N(1_000_000)))
	}
	if got := float64(s.percentile(50)) / 1e6; math.Abs(got-0.5) > 0.05 {
		t.Errorf("p50 of a uniform reservoir sample at quantile %.3f, want 0.5 ± 0.05", got)
	}
}
