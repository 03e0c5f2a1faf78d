package service

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

func run(t *testing.T, cfg Config, seed uint64, horizon, interval time.Duration, observe func(model.Sample)) model.Result {
	t.Helper()
	m, err := New(cfg, model.Env{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(model.Options{Horizon: sim.Time(horizon), Interval: sim.Time(interval), Observe: observe})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestMM1MeanSojourn checks the model against the M/M/1 closed form: mean
// time in system 1/(μ−λ). At ρ=0.8 the sample mean of correlated sojourns has
// a relative standard error near sqrt(178/n) (Whitt's relaxation time), so
// n = 4·10⁶ customers puts 2% at about three standard errors.
func TestMM1MeanSojourn(t *testing.T) {
	const mu = 1000.0 // per second: 1 ms mean service
	for _, c := range []struct {
		rho  float64
		n    float64 // customers to simulate
		seed uint64
	}{{0.5, 1e6, 1}, {0.8, 4e6, 2}} {
		lambda := c.rho * mu
		horizon := time.Duration(c.n / lambda * 1e9)
		res := run(t, Config{
			Clients: ClientConfig{Rate: lambda},
			Service: model.StationConfig{Workers: 1, ServiceTime: model.MustParseDist("exp(1ms)")},
		}, c.seed, horizon, horizon/10, nil)
		want := 1 / (mu - lambda)
		got := res.Sojourn[0]
		t.Logf("ρ=%.1f: mean sojourn %.4f ms over %d customers; 1/(μ−λ) = %.4f ms (%+.2f%%)", c.rho, got*1e3, res.Totals.Completed, want*1e3, (got-want)/want*100)
		if rel := math.Abs(got-want) / want; rel > 0.02 {
			t.Errorf("ρ=%.1f seed %d: mean sojourn %.4f ms, want %.4f ms ±2%% (off by %.2f%%)", c.rho, c.seed, got*1e3, want*1e3, rel*100)
		}
		if n := float64(res.Totals.Completed); math.Abs(n-c.n)/c.n > 0.01 {
			t.Errorf("ρ=%.1f: %v completions, want about %v", c.rho, n, c.n)
		}
	}
}

// metastable is a service at 70% load whose clients time out after 100 ms and
// retry at once, up to 3 attempts: healthy at rest, but once the queue wait
// passes the timeout every attempt is retried and offered load triples.
func metastable(spike time.Duration) Config {
	return Config{
		Clients:  ClientConfig{Rate: 700, Timeout: model.Duration(100 * time.Millisecond), MaxAttempts: 3},
		Service:  model.StationConfig{Workers: 10, ServiceTime: model.MustParseDist("exp(10ms)")},
		Triggers: []model.TriggerConfig{{Kind: model.LoadSpike, At: model.Duration(10 * time.Second), Duration: model.Duration(spike), Factor: 2}},
	}
}

// collapsed reports whether goodput over the last 10 s of a 60 s run stays
// below half the offered rate.
func collapsed(t *testing.T, spike time.Duration, seed uint64) bool {
	var good uint64
	res := run(t, metastable(spike), seed, 60*time.Second, time.Second, func(s model.Sample) {
		if s.T > 50*sim.Time(time.Second) {
			good += s.Good
		}
	})
	rate := float64(good) / 10
	if rate < 350 == res.Recovered {
		t.Fatalf("spike %v: goodput %.0f/s in the last 10 s but recovered=%v", spike, rate, res.Recovered)
	}
	return rate < 350
}

// TestTriggerBoundaryIsSharp: a short spike is absorbed, a long one leaves the
// service collapsed long after the spike is over, and bisection finds the
// boundary between them to within 50 ms.
func TestTriggerBoundaryIsSharp(t *testing.T) {
	const seed = 7
	lo, hi := 50*time.Millisecond, 5*time.Second
	if collapsed(t, lo, seed) {
		t.Fatalf("a %v spike collapsed the service; want it absorbed", lo)
	}
	if !collapsed(t, hi, seed) {
		t.Fatalf("a %v spike was absorbed; want the service left collapsed", hi)
	}
	for hi-lo > 50*time.Millisecond {
		mid := (lo + hi) / 2
		if collapsed(t, mid, seed) {
			hi = mid
		} else {
			lo = mid
		}
	}
	t.Logf("seed %d: boundary between a %v and a %v spike (×2 load)", seed, lo, hi)
	// Well inside either side of the boundary the outcome does not depend on
	// the seed.
	for s := uint64(1); s <= 3; s++ {
		if collapsed(t, lo/2, s) || !collapsed(t, hi*2, s) {
			t.Errorf("seed %d: outcome at %v or %v differs from seed %d's", s, lo/2, hi*2, seed)
		}
	}
}

func TestRetriesAmplifyAndWasteDuringCollapse(t *testing.T) {
	res := run(t, metastable(5*time.Second), 1, 30*time.Second, time.Second, nil)
	if res.Amplification < 2 {
		t.Errorf("amplification %.2f in collapse, want >= 2 (3 attempts per request)", res.Amplification)
	}
	if res.WastedFraction < 0.5 {
		t.Errorf("wasted fraction %.2f in collapse, want most work wasted", res.WastedFraction)
	}
}

func TestSameSeedSameRunDifferentSeedDifferentRun(t *testing.T) {
	var a, b, c []model.Sample
	cfg := metastable(time.Second)
	run(t, cfg, 1, 20*time.Second, time.Second, func(s model.Sample) { a = append(a, s) })
	run(t, cfg, 1, 20*time.Second, time.Second, func(s model.Sample) { b = append(b, s) })
	run(t, cfg, 2, 20*time.Second, time.Second, func(s model.Sample) { c = append(c, s) })
	same, diff := true, false
	for i := range a {
		same = same && a[i] == b[i]
		diff = diff || a[i] != c[i]
	}
	if !same || !diff {
		t.Fatalf("same seed identical=%v, different seed differs=%v", same, diff)
	}
}

func TestDependencyOutageFailsFastAndRetries(t *testing.T) {
	cfg := Config{
		Clients:  ClientConfig{Rate: 100, MaxAttempts: 2, Backoff: model.Duration(10 * time.Millisecond)},
		Service:  model.StationConfig{Workers: 4, ServiceTime: model.MustParseDist("const(5ms)")},
		Triggers: []model.TriggerConfig{{Kind: model.DependencyOutage, At: model.Duration(time.Second), Duration: model.Duration(time.Second)}},
	}
	var during model.Sample
	res := run(t, cfg, 3, 4*time.Second, time.Second, func(s model.Sample) {
		if s.T == 2*sim.Time(time.Second) {
			during = s
		}
	})
	if during.Good != 0 || during.Rejected < 150 {
		t.Errorf("during the outage: good=%d rejected=%d, want 0 good and ~200 fast failures", during.Good, during.Rejected)
	}
	if !res.Recovered || res.Recovery > sim.Time(time.Second) {
		t.Errorf("recovered=%v after %v, want recovery within the first interval", res.Recovered, res.Recovery)
	}
}

func TestCapacityCutSlowsService(t *testing.T) {
	cfg := Config{
		Clients:  ClientConfig{Rate: 100},
		Service:  model.StationConfig{Workers: 2, ServiceTime: model.MustParseDist("const(10ms)")},
		Triggers: []model.TriggerConfig{{Kind: model.CapacityCut, At: model.Duration(time.Second), Duration: model.Duration(time.Second), Workers: 1, Factor: 5}},
	}
	var during, after uint64
	run(t, cfg, 4, 3*time.Second, time.Second, func(s model.Sample) {
		switch s.T {
		case 2 * sim.Time(time.Second):
			during = s.Completed
		case 3 * sim.Time(time.Second):
			after = s.Completed
		}
	})
	// One worker at 50 ms serves at most 20/s during the cut.
	if during > 21 || after < 100 {
		t.Errorf("completions during cut %d (want <= 21), after %d (want the backlog and new work, >= 100)", during, after)
	}
}

func TestClientConfigRejectsBadRetryPolicy(t *testing.T) {
	for _, c := range []ClientConfig{
		{Rate: 1, MaxAttempts: MaxAttempts + 1},
		{Rate: 1, BackoffKind: "linear"},
		{Rate: 1, Jitter: "some"},
		{Rate: 1, Backoff: model.Duration(time.Second), BackoffMax: model.Duration(time.Millisecond)},
		{Rate: 1, Schedule: Schedule{{0, 5}}},
		{Rate: MaxRate * 2},
		{Rate: math.Inf(1)},
		{Schedule: Schedule{{0, math.NaN()}}},
		{Rate: 1, Timeout: model.MaxSpan + 1},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
	for _, text := range []string{"1h", "", "0s=x", "-1s=5", "1h=5,"} {
		var s Schedule
		if err := s.UnmarshalText([]byte(text)); err == nil {
			t.Errorf("schedule %q accepted: %v", text, s)
		}
	}
}

func TestScheduleParsesItself(t *testing.T) {
	var s Schedule
	if err := s.UnmarshalText([]byte("1h=300, 30m=200")); err != nil {
		t.Fatal(err)
	}
	want := Schedule{{0, 0}, {sim.Time(30 * time.Minute), 200}, {sim.Time(time.Hour), 300}}
	if len(s) != len(want) {
		t.Fatalf("schedule %v, want %v", s, want)
	}
	for i := range want {
		if s[i] != want[i] {
			t.Fatalf("schedule %v, want %v", s, want)
		}
	}
	if r, next := s.RateAt(sim.Time(45 * time.Minute)); r != 200 || next != sim.Time(time.Hour) {
		t.Errorf("RateAt(45m) = %v, %v; want 200 until 1h", r, next)
	}
	b, _ := s.MarshalText()
	var back Schedule
	if err := back.UnmarshalText(b); err != nil || len(back) != len(s) || back[2] != s[2] {
		t.Errorf("MarshalText %q reads back as %v, %v", b, back, err)
	}
}

// TestRunawayLoadStopsWithAnError: arrivals that outrun the service until
// the request slots run out end the run with an error, not a panic.
func TestRunawayLoadStopsWithAnError(t *testing.T) {
	defer func(n int) { maxInFlight = n }(maxInFlight)
	maxInFlight = 1000
	m, err := New(Config{
		Clients: ClientConfig{Rate: 1000},
		Service: model.StationConfig{Workers: 1, ServiceTime: model.MustParseDist("const(1s)")},
	}, model.Env{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(model.Options{Horizon: sim.Time(time.Minute), Interval: sim.Time(time.Second)})
	if err == nil || !strings.Contains(err.Error(), "more than 1000 requests in flight") {
		t.Fatalf("err %v, want the in-flight limit named", err)
	}
	if res.End > sim.Time(3*time.Second) {
		t.Errorf("run went on to %v after the limit (reached near 1 s)", res.End)
	}
}

// After a collapse, clients that stop or trickle leave no evidence of
// recovery: the verdict is never "recovered" unless answers show it.
// Without evidence it is undetermined; a trickle answered badly behind a
// queue slowed by its own backlog is not recovered; a trickle answered well
// once the queue drains is recovered, dated by the first window holding
// enough good answers.
func TestCollapseThenSilenceIsNotRecovery(t *testing.T) {
	sec := func(s float64) sim.Time { return sim.Time(s * float64(time.Second)) }
	for _, c := range []struct {
		name     string
		schedule Schedule
		slow     bool // backlog growth: the stale queue outlives the run
		want     func(model.Result) bool
		what     string
	}{
		{"clients stop", Schedule{{0, 700}, {sec(20), 0}}, false, func(r model.Result) bool { return r.Undetermined }, "undetermined"},
		{"clients stop, slow service", Schedule{{0, 700}, {sec(20), 0}}, true, func(r model.Result) bool { return r.Undetermined }, "undetermined"},
		{"a slow trickle behind a slow queue", Schedule{{0, 700}, {sec(20), 0.5}}, true, func(r model.Result) bool { return !r.Recovered }, "not recovered"},
		{"a trickle behind a slow queue", Schedule{{0, 700}, {sec(20), 5}}, true, func(r model.Result) bool { return !r.Recovered && !r.Undetermined }, "not recovered"},
	} {
		cfg := metastable(time.Second)
		cfg.Clients.Rate, cfg.Clients.Schedule = 0, c.schedule
		if c.slow {
			cfg.Service.PerQueued, cfg.Service.MaxService = model.Duration(time.Millisecond), model.Duration(time.Second)
		}
		res := run(t, cfg, 1, 60*time.Second, time.Second, nil)
		if !c.want(res) {
			t.Errorf("%s: recovered %t, undetermined %t (after %v); want %s", c.name, res.Recovered, res.Undetermined, res.Recovery, c.what)
		}
	}
}
