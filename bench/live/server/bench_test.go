package server_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/live/server"
	"github.com/aftershock/aftershock/bench/scenario"
)

// BenchmarkShortWork: one worker, attempts of 1 s of model work at scale
// 2000 (0.5 ms of wall time each, below what a sleep resolves here), 400 of
// them queued at once. wall/ideal is the time the worker took over 400 ×
// 0.5 ms: 1.0 when the batching of short work keeps the worker's throughput
// exact; about 2 or more if each attempt slept a whole millisecond.
//
//	go test ./bench/live/server -run '^$' -bench ShortWork -benchtime 3x
func BenchmarkShortWork(b *testing.B) {
	const n, scale = 400, 2000
	text := `
name = "short"
horizon = "1h"
[dwfm]
droplets = 400
droplets_per_host = 400
check_interval = "1m"
lease_ttl_min = "1m"
lease_ttl_max = "1m"
establish_timeout = "1h"
[service]
workers = 1
service_time = "const(1s)"
`
	sc, err := scenario.Parse("short", []byte(text))
	if err != nil {
		b.Fatal(err)
	}
	set, err := live.Resolve(sc, "none", 0, 1)
	if err != nil {
		b.Fatal(err)
	}
	var ratio float64
	for range b.N {
		s, err := server.New(server.Config{Setup: set, Clock: live.Clock{Scale: scale}})
		if err != nil {
			b.Fatal(err)
		}
		h := s.Handler()
		var wg sync.WaitGroup
		start := time.Now()
		for d := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("/v1/lease?droplet=%d", d), nil)
				w := &discard{h: http.Header{}}
				h.ServeHTTP(w, req)
				if w.code != 0 && w.code != http.StatusOK {
					b.Errorf("droplet %d: %d", d, w.code)
				}
			}()
		}
		wg.Wait()
		ratio += time.Since(start).Seconds() / (n * time.Second / scale).Seconds()
		s.Shutdown(context.Background())
	}
	b.ReportMetric(ratio/float64(b.N), "wall/ideal")
}

// discard is a ResponseWriter that keeps only the status code.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(c int)           { d.code = c }
