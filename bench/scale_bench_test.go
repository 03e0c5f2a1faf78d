package bench

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/aftershock/aftershock/bench/model"
)

// BenchmarkScale runs us-east-1 under policy none (the collapsed run, whose
// queues hold the most stale attempts) at 10⁴, 10⁵ and 10⁶ droplets and
// reports ns/event and the peak live heap per droplet (bytes/droplet, sampled
// once per sample interval), the two figures that should stay flat as the
// fleet grows; x-1e4 is the ns/event over 10⁴ droplets' in the same run (when
// that row ran first), the flatness by ratio. 10⁷ droplets is left to a
// manual run of the built CLI:
//
//	go test ./bench -run XXX -bench Scale -benchtime 1x
//	go build -o /tmp/loadgen ./cmd/loadgen && /usr/bin/time -v /tmp/loadgen sim --droplets 10000000 --out /tmp/x
func BenchmarkScale(b *testing.B) {
	var base float64 // ns/event at 10⁴
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("droplets=%d", n), func(b *testing.B) {
			sc := usEast1(b)
			heap := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			var peak uint64
			observe := func(model.Sample) {
				metrics.Read(heap)
				peak = max(peak, heap[0].Value.Uint64())
			}
			runtime.GC()
			b.ReportAllocs()
			var events uint64
			for b.Loop() {
				o, err := Run{Scenario: sc, Policy: "none", Seed: 1, Droplets: n, Observe: observe}.Execute()
				if err != nil {
					b.Fatal(err)
				}
				events += o.Summary.Events
			}
			nsPerEvent := float64(b.Elapsed().Nanoseconds()) / float64(events)
			b.ReportMetric(nsPerEvent, "ns/event")
			if n == 10_000 {
				base = nsPerEvent
			} else if base > 0 {
				b.ReportMetric(nsPerEvent/base, "x-1e4")
			}
			b.ReportMetric(float64(peak)/float64(n), "bytes/droplet")
		})
	}
}
