package bench

import (
	"runtime"
	"testing"

	"github.com/aftershock/aftershock/bench/scenario"
)

// smallService is the metastable preset scaled down to 40 requests/s: one
// worker at 70% load, clients that time out after 100 ms and retry at once
// (3 attempts), a 2× spike of 1 s at 10 s, 80 s of virtual time.
const smallService = `
name = "small"
description = "metastable scaled to 40 requests/s"
horizon = "80s"
interval = "1s"

[clients]
rate = 40
timeout = "100ms"
max_attempts = 3

[service]
workers = 1
service_time = "exp(17500us)"

[[trigger]]
kind = "load-spike"
at = "10s"
duration = "1s"
factor = 2
`

// BenchmarkSweepSmall runs what loadgen sweep --seeds 40 does for one small
// generic service: 40 runs, each prepared once up front (input checking, as
// the CLI does) and then executed through Sweep with GOMAXPROCS runs at once.
// It reports the wall time of one whole sweep (wall-s) and of one run
// (wall-ms/run); with runs this small, fixed per-run costs dominate.
//
//	go test ./bench -run XXX -bench SweepSmall -benchtime 10x
func BenchmarkSweepSmall(b *testing.B) {
	sc, err := scenario.Parse("small", []byte(smallService))
	if err != nil {
		b.Fatal(err)
	}
	const seeds = 40
	b.ReportAllocs()
	var events uint64
	for b.Loop() {
		runs := make([]Run, seeds)
		for s := range runs {
			runs[s] = Run{Scenario: sc, Policy: "none", Seed: uint64(s + 1)}
			if _, err := runs[s].Prepare(); err != nil {
				b.Fatal(err)
			}
		}
		outs, err := Sweep(runs, runtime.GOMAXPROCS(0), nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range outs {
			events += o.Summary.Events
		}
	}
	sweep := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(sweep, "wall-s")
	b.ReportMetric(sweep/seeds*1e3, "wall-ms/run")
	b.ReportMetric(float64(events)/float64(b.N*seeds), "events/run")
}
