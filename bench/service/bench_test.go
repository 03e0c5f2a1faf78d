package service

import (
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// BenchmarkGeneric runs the generic model on an M/M/8-class service: Poisson
// arrivals at 6,400/s into 8 workers of exponential 1 ms service (ρ = 0.8),
// no timeout, no trigger, 100 s of virtual time per op (about 1.3 M events).
// It reports events/s, and allocations per op (a whole run: the model's fixed
// set-up, since the hot path allocates nothing).
//
//	go test ./bench/service -run XXX -bench Generic -benchtime 5x
func BenchmarkGeneric(b *testing.B) {
	cfg := Config{
		Clients: ClientConfig{Rate: 6400},
		Service: model.StationConfig{Workers: 8, ServiceTime: model.MustParseDist("exp(1ms)")},
	}
	o := model.Options{Horizon: sim.Time(100 * time.Second), Interval: sim.Time(time.Second)}
	b.ReportAllocs()
	var events uint64
	for b.Loop() {
		m, err := New(cfg, model.Env{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		res, err := m.Run(o)
		if err != nil {
			b.Fatal(err)
		}
		events += res.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
}
