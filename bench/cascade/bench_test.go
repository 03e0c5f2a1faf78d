package cascade_test

import (
	"fmt"
	"testing"
)

// BenchmarkCascade runs the us-east-1-cascade preset under the operator
// bundle through the runner, whole (DWFM, then netprop, then the NLB, with
// the time series handed to the runner):
// s/run at 10⁴ and at the preset's 10⁶ droplets, and the three stages'
// events/s.
func BenchmarkCascade(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("droplets=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var events uint64
			for i := range b.N {
				o, _ := execute(b, "operator", uint64(i+1), n)
				events += o.Summary.Events
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
