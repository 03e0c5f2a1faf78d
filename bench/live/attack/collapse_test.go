package attack_test

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/live/attack"
	"github.com/aftershock/aftershock/bench/live/server"
)

// serve starts a server for set on loopback and returns its URL and a stop
// function.
func serve(t testing.TB, set *live.Setup, clock live.Clock) (*server.Server, string, func()) {
	t.Helper()
	s, err := server.New(server.Config{Setup: set, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	return s, "http://" + l.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Error(err)
		}
		if err := <-done; err != http.ErrServerClosed {
			t.Error(err)
		}
	}
}

func setup(t testing.TB, spec string, droplets int) *live.Setup {
	t.Helper()
	sc, err := live.LoadScenario(live.SmallName)
	if err != nil {
		t.Fatal(err)
	}
	set, err := live.Resolve(sc, spec, droplets, 1)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// liveRun attacks an in-process server for set at scale.
func liveRun(t testing.TB, spec string, scale float64) (attack.Outcome, server.Stats) {
	set := setup(t, spec, 250)
	clock := live.Clock{Start: time.Now().Add(50 * time.Millisecond), Scale: scale}
	srv, url, stop := serve(t, set, clock)
	defer stop()
	o, err := attack.Run(context.Background(), attack.Config{Setup: set, Target: url, Clock: clock, StopWhenLeased: true, H2C: true})
	if err != nil {
		t.Fatal(err)
	}
	return o, srv.Stats()
}

// TestNoneCollapsesQueueSizeRecovers runs live-small (1,000 droplets, a 3
// min outage, 10 min horizon) at 100× against the server in-process: none
// stays collapsed to the end, queue-size recovers.
func TestNoneCollapsesQueueSizeRecovers(t *testing.T) {
	const scale = 100
	out := map[string]attack.Outcome{}
	stats := map[string]server.Stats{}
	for _, spec := range []string{"none", "queue-size"} { // one after the other: two at once starve each other's sockets on a loaded machine
		out[spec], stats[spec] = liveRun(t, spec, scale)
	}
	for _, spec := range []string{"none", "queue-size"} {
		o := out[spec]
		t.Logf("%s: %+v", spec, o)
		t.Logf("%s: server %+v", spec, stats[spec])
	}
	none, qs := out["none"], out["queue-size"]
	if none.Recovered || none.Leased > none.Droplets/2 {
		t.Errorf("none: recovered %v with %d of %d droplets leased at the end, want collapsed", none.Recovered, none.Leased, none.Droplets)
	}
	if !qs.Recovered || qs.Leased != qs.Droplets {
		t.Errorf("queue-size: recovered %v with %d of %d droplets leased, want all", qs.Recovered, qs.Leased, qs.Droplets)
	}
	// The mechanism: under none the server works attempts whose droplets
	// gave up, and their stale attempts pile up (more queued than droplets).
	if s := stats["none"]; s.Wasted == 0 || s.Queued <= int64(none.Droplets) {
		t.Errorf("none: server %+v, want wasted work and a queue longer than the fleet", s)
	}
	if s := stats["queue-size"]; s.Wasted*10 > s.Worked {
		t.Errorf("queue-size: server %+v, want little wasted work", s)
	}
}
