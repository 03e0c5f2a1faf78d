package bench

import (
	"flag"
	"fmt"
	"runtime/metrics"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench/model"
)

var (
	benchDroplets = flag.Int("droplets", 1_000_000, "droplets for BenchmarkScenario/us-east-1")
	benchPolicies = flag.String("policies", "", "policy specs for BenchmarkScenario, separated by ';' (default: every policy, as loadgen sweep --policies all)")
)

// BenchmarkScenario runs whole scenarios and reports, beside Go's own ns/op
// and allocations, the simulation's speed (events/s), how much faster than
// real time it runs (sim-s/wall-s), the largest live heap seen at any sample
// (peak-heap-MB: B/op counts every allocation, not what is held at once), and
// the outcome (recovery-s, recovery-ratio; recovered=0 when it never
// recovers).
//
// Every policy of AllPolicies runs (about 3 minutes at 10⁶ droplets on 2
// cores); -policies and -droplets narrow it:
//
//	go test ./bench -run XXX -bench Scenario -benchtime 1x
//	go test ./bench -run XXX -bench Scenario -benchtime 1x -args -droplets 100000 -policies 'queue-size;aimd'
func BenchmarkScenario(b *testing.B) {
	policies := Applicable(usEast1(b), AllPolicies())
	if *benchPolicies != "" {
		policies = strings.Split(*benchPolicies, ";")
	}
	for _, policy := range policies {
		b.Run(fmt.Sprintf("us-east-1/policy=%s", policy), func(b *testing.B) {
			sc := usEast1(b)
			b.ReportAllocs()
			var o Outcome
			var events uint64
			var sims float64
			heap := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			var peak uint64
			observe := func(model.Sample) {
				metrics.Read(heap)
				peak = max(peak, heap[0].Value.Uint64())
			}
			for b.Loop() {
				var err error
				o, err = Run{Scenario: sc, Policy: policy, Seed: 1, Droplets: *benchDroplets, Observe: observe}.Execute()
				if err != nil {
					b.Fatal(err)
				}
				events += o.Summary.Events
				sims += o.Summary.SimS
			}
			wall := b.Elapsed().Seconds()
			b.ReportMetric(float64(events)/wall, "events/s")
			b.ReportMetric(sims/wall, "sim-s/wall-s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			recovered := 0.0
			if o.Summary.Recovered {
				recovered = 1
				b.ReportMetric(o.Summary.RecoveryS, "recovery-s")
				b.ReportMetric(o.Summary.Ratio(), "recovery-ratio")
			}
			b.ReportMetric(recovered, "recovered")
		})
	}
}
