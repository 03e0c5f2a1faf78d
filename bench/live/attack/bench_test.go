package attack_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/live/attack"
)

// BenchmarkSimVsLive runs live-small (1,000 droplets on 4 hosts) under
// queue-size in the simulator and live at 60x against the server
// in-process, and reports both recovery times (model seconds) and their
// ratio. The two draw each droplet's phase, TTL and work from different
// streams (same distributions), so they agree in distribution, not event
// for event.
//
//	go test ./bench/live/attack -run '^$' -bench SimVsLive -benchtime 1x
func BenchmarkSimVsLive(b *testing.B) {
	const spec, droplets, scale = "queue-size", 1000, 60
	sc, err := live.LoadScenario(live.SmallName)
	if err != nil {
		b.Fatal(err)
	}
	o, err := bench.Run{Scenario: sc, Policy: spec, Seed: 1, Droplets: droplets}.Execute()
	if err != nil {
		b.Fatal(err)
	}
	if !o.Summary.Recovered {
		b.Fatal("sim: queue-size did not recover")
	}
	simS := o.Summary.RecoveryS
	var liveS float64
	for range b.N {
		set, err := live.Resolve(sc, spec, droplets, 1)
		if err != nil {
			b.Fatal(err)
		}
		clock := live.Clock{Start: time.Now().Add(50 * time.Millisecond), Scale: scale}
		_, url, stop := serve(b, set, clock)
		lo, err := attack.Run(context.Background(), attack.Config{Setup: set, Target: url, Clock: clock, StopWhenLeased: true, H2C: true})
		stop()
		if err != nil {
			b.Fatal(err)
		}
		if !lo.Recovered {
			b.Fatalf("live: queue-size did not recover: %+v", lo)
		}
		if !lo.KeptUp() {
			b.Logf("live: the attacker did not keep up (%d late, worst %v): the machine is loaded", lo.Late, lo.MaxLag)
		}
		liveS = lo.Recovery.Seconds()
	}
	b.ReportMetric(simS, "sim_recovery_s")
	b.ReportMetric(liveS, "live_recovery_s")
	b.ReportMetric(liveS/simS, "live/sim")
}

// BenchmarkMaxRate compares attack's highest rate with plain vegeta's: the
// same loopback target (a handler answering 200 at once), the same caps (64
// workers, 64 connections, HTTP/1.1), in the same run, alternating; each
// sends 20,000 requests as fast as it can. attack/vegeta is the ratio of
// their rates.
//
//	go test ./bench/live/attack -run '^$' -bench MaxRate -benchtime 1x
func BenchmarkMaxRate(b *testing.B) {
	const n, workers = 20000, 64
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	})}
	go hs.Serve(l)
	defer hs.Close()
	url := "http://" + l.Addr().String() + "/v1/lease"

	sc, err := live.LoadScenario(live.SmallName)
	if err != nil {
		b.Fatal(err)
	}
	set, err := live.Resolve(sc, "none", n, 1)
	if err != nil {
		b.Fatal(err)
	}
	httpOpts := attack.DefaultHTTP // HTTP/1.1 as vegeta's plain attacker, the same connection caps
	httpOpts.HTTP2, httpOpts.MaxBody, httpOpts.Connections, httpOpts.MaxConnections = false, 0, workers, workers
	ours := func() float64 {
		start := time.Now()
		o, err := attack.Run(context.Background(), attack.Config{Setup: set, Workers: workers, MaxWorkers: workers, HTTP: &httpOpts,
			Targets: func(d int, t *vegeta.Target) { *t = vegeta.Target{Method: "POST", URL: url} },
			Clock:   live.Clock{Start: start, Scale: 1000}, Pacer: vegeta.ConstantPacer{}, StopWhenLeased: true, Until: 1000 * time.Minute}) // at most a minute of wall time
		el := time.Since(start)
		if err != nil || o.OK != n {
			b.Fatalf("attack: %v, %d of %d ok", err, o.OK, n)
		}
		return float64(n) / el.Seconds()
	}
	plain := func() float64 {
		a := vegeta.NewAttacker(vegeta.Workers(workers), vegeta.MaxWorkers(workers), vegeta.Connections(workers),
			vegeta.MaxConnections(workers), vegeta.MaxBody(0))
		tr := vegeta.NewStaticTargeter(vegeta.Target{Method: "POST", URL: url})
		start := time.Now()
		ok := 0
		for r := range a.Attack(tr, countPacer{n}, 0, "plain") {
			if r.Code == 200 {
				ok++
			}
		}
		el := time.Since(start)
		if ok != n {
			b.Fatalf("vegeta: %d of %d ok", ok, n)
		}
		return float64(n) / el.Seconds()
	}
	var rOurs, rPlain float64
	for range b.N {
		rPlain += plain()
		rOurs += ours()
	}
	b.ReportMetric(rOurs/float64(b.N), "attack_req/s")
	b.ReportMetric(rPlain/float64(b.N), "vegeta_req/s")
	b.ReportMetric(rOurs/rPlain, "attack/vegeta")
}

// countPacer is vegeta's infinite rate (ConstantPacer{}) for n hits.
type countPacer struct{ n uint64 }

func (p countPacer) Pace(_ time.Duration, hits uint64) (time.Duration, bool) { return 0, hits >= p.n }
func (p countPacer) Rate(time.Duration) float64                              { return 0 }
