package cascade

import (
	"fmt"
	"testing"
)

// BenchmarkCascade runs the us-east-1-cascade preset under the operator
// bundle, whole (DWFM, then netprop, then the NLB, with the time series):
// s/run at 10⁴ and at the preset's 10⁶ droplets, and the three stages'
// events/s.
func BenchmarkCascade(b *testing.B) {
	f := must(Load("us-east-1-cascade"))
	pol := Bundles["operator"]
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("droplets=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var events uint64
			for i := range b.N {
				o, err := Run{File: f, Policy: pol.DWFM, NetPropPolicy: pol.NetProp, NLBPolicy: pol.NLB, Seed: uint64(i + 1), Droplets: n}.Execute()
				if err != nil {
					b.Fatal(err)
				}
				events += o.DWFM.Events + o.NetProp.Events + o.NLB.Events
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
