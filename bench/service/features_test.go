package service

import (
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

func d(s string) model.Dist { return model.MustParseDist(s) }

// calm is a lightly loaded service (10%): every request should succeed.
func calm() Config {
	return Config{
		Clients: ClientConfig{Rate: 100, Timeout: model.Duration(100 * time.Millisecond), MaxAttempts: 2},
		Service: model.StationConfig{Workers: 2, ServiceTime: d("const(2ms)")},
	}
}

func totals(t *testing.T, cfg Config, horizon time.Duration) (model.Result, []model.Sample) {
	var ss []model.Sample
	res := run(t, cfg, 1, horizon, time.Second, func(s model.Sample) { ss = append(ss, s) })
	return res, ss
}

// A round trip inside the timeout costs nothing; one longer than the timeout
// makes every answer late: all work is wasted, nothing is good.
func TestNetworkRoundTripCountsAgainstTheTimeout(t *testing.T) {
	cfg := calm()
	cfg.Clients.RTTOut, cfg.Clients.RTTBack = d("const(30ms)"), d("const(30ms)")
	res, _ := totals(t, cfg, 10*time.Second)
	if res.Totals.Good == 0 || res.Totals.Wasted != 0 || res.Totals.TimedOut != 0 {
		t.Errorf("60 ms round trip, 100 ms timeout: %+v; want all good", res.Totals)
	}
	if res.Sojourn[0] > 0.0021 {
		t.Errorf("sojourn %v s: the network is not time in the service", res.Sojourn[0])
	}
	cfg.Clients.RTTOut, cfg.Clients.RTTBack = d("const(30ms)"), d("const(80ms)")
	res, _ = totals(t, cfg, 10*time.Second)
	if res.Totals.Good != 0 || res.Totals.Wasted == 0 || res.Totals.TimedOut == 0 {
		t.Errorf("110 ms round trip, 100 ms timeout: %+v; want nothing good, every answer wasted", res.Totals)
	}
}

// Retries wait a draw from retry_delay: during a 1 s dependency outage,
// clients retrying after 400 ms make about 2.5× fewer retries than clients
// retrying after 100 ms.
func TestRetryDelayDistribution(t *testing.T) {
	attempts := func(delay string) uint64 {
		cfg := Config{
			Clients:  ClientConfig{Rate: 100, MaxAttempts: 1000, RetryDelay: d(delay)},
			Service:  model.StationConfig{Workers: 2, ServiceTime: d("const(1ms)")},
			Triggers: []model.TriggerConfig{{Kind: model.DependencyOutage, At: model.Duration(time.Second), Duration: model.Duration(time.Second)}},
		}
		res, _ := totals(t, cfg, 3*time.Second)
		return res.Totals.Rejected
	}
	fast, slow := attempts("exp(100ms)"), attempts("exp(400ms)")
	if !(float64(fast) > 2*float64(slow)) || slow == 0 {
		t.Errorf("fast failures during the outage: %d with exp(100ms), %d with exp(400ms); want the first well over twice the second", fast, slow)
	}
	c := ClientConfig{Rate: 1, RetryDelay: d("exp(1s)"), Backoff: model.Duration(time.Second)}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "retry_delay") {
		t.Errorf("retry_delay with backoff: %v", err)
	}
}

// An orbit cap abandons retries beyond it, and counts them.
func TestOrbitCapAbandonsRetries(t *testing.T) {
	cfg := Config{
		Clients:  ClientConfig{Rate: 200, MaxAttempts: 10, Backoff: model.Duration(500 * time.Millisecond)},
		Service:  model.StationConfig{Workers: 2, ServiceTime: d("const(1ms)")},
		Triggers: []model.TriggerConfig{{Kind: model.DependencyOutage, At: model.Duration(time.Second), Duration: model.Duration(time.Second)}},
	}
	res, _ := totals(t, cfg, 3*time.Second)
	if res.Totals.Abandoned != 0 {
		t.Fatalf("no cap: %d abandoned", res.Totals.Abandoned)
	}
	// 200/s failing for 1 s with a 500 ms wait keeps ~100 in orbit.
	cfg.Clients.OrbitCap = 20
	res, _ = totals(t, cfg, 3*time.Second)
	if res.Totals.Abandoned < 100 {
		t.Errorf("orbit_cap 20: %d retries abandoned, want most of the ~200 failed requests", res.Totals.Abandoned)
	}
	if err := (ClientConfig{Rate: 1, OrbitCap: -1}).Validate(); err == nil {
		t.Error("orbit_cap -1 accepted")
	}
}

// A queue capacity rejects what finds the queue full, at once.
func TestQueueCapacityRejects(t *testing.T) {
	cfg := Config{
		Clients: ClientConfig{Rate: 200},
		Service: model.StationConfig{Workers: 1, ServiceTime: d("const(10ms)"), QueueCapacity: 5},
	}
	res, _ := totals(t, cfg, 5*time.Second)
	if res.PeakQueue > 5 || res.Totals.Rejected < 300 {
		t.Errorf("1 worker at 100/s, 200/s offered, queue_capacity 5: peak queue %d, %d rejected; want ≤ 5 and about half rejected", res.PeakQueue, res.Totals.Rejected)
	}
	if err := (model.StationConfig{Workers: 1, ServiceTime: d("exp(1ms)"), QueueCapacity: -1}).Validate(); err == nil {
		t.Error("queue_capacity -1 accepted")
	}
}

// A delay station serves everything at once: 100/s for 1 s each keeps about
// 100 in service, none waiting, all good.
func TestDelayStationServesAtOnce(t *testing.T) {
	cfg := Config{
		Clients: ClientConfig{Rate: 100, Timeout: model.Duration(2 * time.Second)},
		Service: model.StationConfig{Delay: true, ServiceTime: d("const(1s)")},
	}
	res, ss := totals(t, cfg, 20*time.Second)
	last := ss[len(ss)-1]
	if res.PeakQueue != 0 || last.InService < 70 || last.InService > 130 || res.Totals.Wasted != 0 {
		t.Errorf("delay station: peak queue %d, %d in service at the end, %d wasted; want 0, ~100, 0", res.PeakQueue, last.InService, res.Totals.Wasted)
	}
	for _, bad := range []model.StationConfig{
		{Delay: true, Workers: 4, ServiceTime: d("exp(1ms)")},
		{Delay: true, QueueCapacity: 4, ServiceTime: d("exp(1ms)")},
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// arrivals sums to the requests; in_service is never above the workers.
func TestArrivalsAndInServiceColumns(t *testing.T) {
	res, ss := totals(t, metastable(time.Second), 30*time.Second)
	var n int64
	for _, s := range ss {
		n += s.Arrivals
		if s.InService < 0 || s.InService > 10 {
			t.Fatalf("t=%v: in_service %d with 10 workers", s.T, s.InService)
		}
	}
	if want := res.Amplification; n == 0 || float64(res.Totals.Attempts)/float64(n) != want {
		t.Errorf("arrivals sum to %d; attempts %d ÷ arrivals ≠ amplification %v", n, res.Totals.Attempts, want)
	}
}

// Without a trigger recovery is not defined, and there is no ideal.
func TestNoTriggerNoRecovery(t *testing.T) {
	res, _ := totals(t, calm(), 5*time.Second)
	if !res.Undefined || res.Recovered || res.Ideal != -1 {
		t.Errorf("no trigger: undefined=%v recovered=%v ideal=%v; want undefined, no ideal", res.Undefined, res.Recovered, res.Ideal)
	}
}

// TestSpikeBacklogDoesNotCountAsRecovery: a 4× spike leaves ~400 requests
// queued; clients never give up, so the backlog completes good, at 200/s,
// from the spike's end on. Those completions are of requests that arrived
// during the spike and do not count: new requests wait ~2 s behind the
// backlog, and recovery comes only once the queue has drained (~4 s at the
// 100/s spare capacity), not in the first window.
func TestSpikeBacklogDoesNotCountAsRecovery(t *testing.T) {
	cfg := Config{
		Clients:  ClientConfig{Rate: 100, RecoveryWindow: model.Duration(500 * time.Millisecond)},
		Service:  model.StationConfig{Workers: 1, ServiceTime: d("const(5ms)")},
		Triggers: []model.TriggerConfig{{Kind: model.LoadSpike, At: model.Duration(time.Second), Duration: model.Duration(2 * time.Second), Factor: 4}},
	}
	res, ss := totals(t, cfg, 20*time.Second)
	if !res.Recovered || res.Recovery < sim.Time(3*time.Second) || res.Recovery > sim.Time(6*time.Second) {
		t.Errorf("recovered=%v after %v; want recovery once the backlog drains, 3-6 s after the spike", res.Recovered, res.Recovery)
	}
	// The first second after the spike is all goodput by the old count.
	if s := ss[3]; s.Good < uint64(Healthy*float64(s.Arrivals)) {
		t.Fatalf("t=%v: %d good of %d arrivals; the case needs the backlog's completions to look healthy", s.T, s.Good, s.Arrivals)
	}
	if res.Ideal != sim.Time(500*time.Millisecond) {
		t.Errorf("ideal %v, want one window (500ms)", res.Ideal)
	}
}

// TestHotPathAllocatesNothing: once warm, a run with a network, a retry
// delay, an orbit cap, a queue cap and the recovery measure allocates
// nothing per event; nor does a delay station.
func TestHotPathAllocatesNothing(t *testing.T) {
	for _, delay := range []bool{false, true} {
		cfg := metastable(time.Second)
		cfg.Clients.RTTOut, cfg.Clients.RTTBack = d("exp(1ms)"), d("const(1ms)")
		cfg.Clients.RetryDelay, cfg.Clients.OrbitCap = d("exp(5ms)"), 100
		if delay {
			cfg.Service = model.StationConfig{Delay: true, ServiceTime: d("exp(10ms)")}
		} else {
			cfg.Service.QueueCapacity = 50
		}
		m, err := New(cfg, model.Env{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		m.triggerEnd = model.End(m.windows)
		m.sustained = model.NewSustained(m.triggerEnd, sim.Time(time.Second))
		m.schedule(0)
		now := sim.Time(15 * time.Second)
		m.eng.RunUntil(now)
		fired := m.eng.Fired()
		if a := testing.AllocsPerRun(20, func() {
			now += sim.Time(100 * time.Millisecond)
			m.eng.RunUntil(now)
		}); a != 0 {
			t.Errorf("delay station %v: %v allocations per 100 ms (%d events)", delay, a, (m.eng.Fired()-fired)/21)
		}
	}
}
