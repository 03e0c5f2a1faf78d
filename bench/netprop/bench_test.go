package netprop

import (
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// BenchmarkModel runs the test surge under none and queue-size (whose
// refused items are offered again every 30 s): events/s.
func BenchmarkModel(b *testing.B) {
	c, sp := testConfig()
	for name, h := range map[string]model.Hooks{"none": {}, "queue-size": queueSize(16)} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var events uint64
			for i := range b.N {
				m, err := New(Config{NetProp: c, Service: sp}, model.Env{Seed: uint64(i + 1), Horizon: testHorizon, Hooks: h})
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
		})
	}
}
