package nlb

import (
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// BenchmarkModel runs the test NLB through its 9 hours under none and a
// 2% per 5 min velocity cap: events/s and virtual seconds per wall second.
func BenchmarkModel(b *testing.B) {
	c, sp := testConfig()
	for name, h := range map[string]model.Hooks{"none": {}, "velocity": velocity(0.02, 5*time.Minute)} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var events uint64
			for i := range b.N {
				m, err := New(Config{NLB: c, Service: sp}, model.Env{Seed: uint64(i + 1), Hooks: h})
				if err != nil {
					b.Fatal(err)
				}
				res, err := m.Run(model.Options{Horizon: testHorizon, Interval: sim.Time(time.Minute)})
				if err != nil {
					b.Fatal(err)
				}
				events += res.Events
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(b.N)*testHorizon.Seconds()/b.Elapsed().Seconds(), "sim-s/wall-s")
		})
	}
}
