package predict

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/scenario"
)

func load(t testing.TB, name string, kv ...string) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = withAll(sc, kv...); err != nil {
		t.Fatal(err)
	}
	return sc
}

// The fluid model's own invariants on every preset it takes, under every
// policy with a fluid law: no compartment goes negative, and requests and
// attempts are conserved to rounding.
func TestInvariants(t *testing.T) {
	for _, c := range []struct {
		name     string
		droplets int
		kv       []string
	}{
		{"metastable", 0, nil},
		{"metastable", 0, []string{"clients.timeout", "0s"}},
		{"metastable", 0, []string{"clients.max_attempts", "100"}},
		{"us-east-1", 10000, nil},
		{"us-east-1", 10000, []string{"trigger.1.duration", "40m"}},
	} {
		sc := load(t, c.name, c.kv...)
		for _, pol := range []string{"none", "queue-size", "bounded", "token-bucket", "reserve", "aimd", "vegas", "deadline-drop", "operator:at=5h", "queue-size+deadline-drop"} {
			pr, err := Predict(sc, pol, Options{Droplets: c.droplets})
			if err != nil && strings.Contains(err.Error(), "deadline-drop timeout 0s must be above 0") {
				continue // deadline-drop without a timeout: refused, as the simulator does
			}
			if err != nil {
				t.Fatalf("%s %v %s: %v", c.name, c.kv, pol, err)
			}
			l := pr.Ledger
			tol := 1e-9 * (1 + l.Arrived + l.Admitted)
			if l.MinMass < -1e-9 {
				t.Errorf("%s %v %s: a compartment went to %v", c.name, c.kv, pol, l.MinMass)
			}
			if g := l.RequestGap(); g > tol {
				t.Errorf("%s %v %s: requests not conserved: arrived %v, succeeded %v + gave up %v + abandoned %v + in flight %v (gap %v)", c.name, c.kv, pol, l.Arrived, l.Succeeded, l.GaveUp, l.Abandoned, l.InFlight, g)
			}
			if g := l.AttemptGap(); g > tol {
				t.Errorf("%s %v %s: attempts not conserved: admitted %v, served %v + dropped %v + held %v (gap %v)", c.name, c.kv, pol, l.Admitted, l.Served, l.Dropped, l.Held, g)
			}
			if l.Arrived <= 0 {
				t.Errorf("%s %v %s: no arrivals in the ledger", c.name, c.kv, pol)
			}
		}
	}
}

// Predictions, not fits: the edges the README reports from the simulator
// (boundary over seeds) contain the fluid model's edge.
func TestEdgesAgainstSimulatedBoundaries(t *testing.T) {
	for _, c := range []struct {
		name, spec, key, lo, hi string
		droplets                int
		simLo, simHi            float64 // the simulator's 95% interval (README, The metastability boundary)
	}{
		{"us-east-1", "none", "trigger.1.duration", "20m", "2h37m", 100000, (65*60 + 41), (69*60 + 4)},
		{"us-east-1", "none", "trigger.1.duration", "20m", "2h37m", 10000, (69*60 + 5), (70*60 + 48)},
		{"metastable", "none", "trigger.1.duration", "10ms", "5s", 0, 0.198, 0.309},
		{"metastable", "none", "clients.rate", "300", "1500", 0, 521, 569},
		{"metastable", "queue-size", "clients.rate", "300", "1500", 0, 1039, 1142},
	} {
		sc := load(t, c.name)
		p, err := bench.ParseParam(sc, c.key, c.lo, c.hi)
		if err != nil {
			t.Fatal(err)
		}
		e, err := FindEdge(sc, c.spec, Options{Droplets: c.droplets}, p, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !e.Found || !e.RecoversAtLo || e.Value() < c.simLo || e.Value() > c.simHi {
			t.Errorf("%s %s %s at %d droplets: predicted edge %+v (%.4g), simulated [%v, %v]", c.name, c.spec, c.key, c.droplets, e, e.Value(), c.simLo, c.simHi)
		}
	}
}

func TestFixedPoints(t *testing.T) {
	pr, err := Predict(load(t, "metastable"), "none", Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := pr.Fixed
	// Healthy at λ·s = 700/s × 10 ms = 7 held; the separatrix where a
	// request's attempts outrun the 1,000/s the station serves.
	if f.Regime() != "bistable" || len(f.Points) != 3 || math.Abs(f.Points[0].Held-7) > 0.05 || !f.Points[2].Growing {
		t.Fatalf("metastable: %v", f)
	}
	if s := f.Separatrix(); s < 80 || s > 110 {
		t.Errorf("metastable separatrix %v, want about 95 (a 100 ms timeout at 1,000/s)", s)
	}
	pr, _ = Predict(load(t, "metastable"), "queue-size", Options{})
	if pr.Fixed.Regime() != "healthy" {
		t.Errorf("metastable under queue-size: %v, want healthy only (the law caps the queue below the separatrix)", pr.Fixed)
	}
	pr, _ = Predict(load(t, "us-east-1"), "none", Options{Droplets: 10000})
	// A new attempt behind q completes after q·s(q)/4 + s(q), s(q) = 15 s +
	// 50 ms·q: 30 min at q* = 255.3.
	if pr.Fixed.Regime() != "bistable" || math.Abs(pr.Fixed.Separatrix()-255.3) > 1 {
		t.Errorf("us-east-1: %v, want bistable with the separatrix at 255.3", pr.Fixed)
	}
	pr, _ = Predict(load(t, "mm1"), "none", Options{})
	if pr.Verdict != Undefined || math.Abs(pr.Fixed.Points[0].Held-0.8) > 0.01 {
		t.Errorf("mm1: %v %v, want undefined, healthy at 0.8 held", pr.Verdict, pr.Fixed)
	}
}

// Every input the fluid model cannot take is an error of one line, starting
// "predict: ", with what it got.
func TestBadInput(t *testing.T) {
	two := `name = "two"
horizon = "10h"
[dwfm]
droplets = 100
droplets_per_host = 10
check_interval = "3m"
lease_ttl_min = "5m"
lease_ttl_max = "1h"
establish_timeout = "30m"
[service]
workers = 4
service_time = "exp(15s)"
[[trigger]]
kind = "dependency-outage"
at = "0s"
duration = "1h"
[[trigger]]
kind = "dependency-outage"
at = "2h"
duration = "1h"
`
	twoSc, err := scenario.Parse("two", []byte(two))
	if err != nil {
		t.Fatal(err)
	}
	race := load(t, "us-east-1", "trigger.1.kind", "dns-race", "trigger.1.repair", "2h37m")
	for _, c := range []struct {
		sc       *scenario.Scenario
		spec     string
		droplets int
		want     string
	}{
		{load(t, "netprop"), "none", 0, "netprop"},
		{load(t, "nlb"), "none", 0, "NLB"},
		{load(t, "metastable"), "codel", 0, "codel has no fluid form"},
		{load(t, "metastable"), "queue-size+circuit-breaker", 0, "circuit-breaker has no fluid form"},
		{load(t, "metastable"), "gradient2", 0, "gradient2"},
		{load(t, "metastable"), "nonsense", 0, "nonsense"},
		{load(t, "metastable"), "none", 1000, "droplets 1000"},
		{load(t, "us-east-1"), "none", -3, "droplets -3"},
		{load(t, "us-east-1"), "backoff", 0, "backoff"},
		{twoSc, "none", 0, "2 dependency outages"},
		{race, "none", 0, "dns-race"},
	} {
		_, err := Predict(c.sc, c.spec, Options{Droplets: c.droplets})
		if err == nil || !strings.HasPrefix(err.Error(), "predict: ") || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s %d: error %v, want one line starting predict: and naming %q", c.sc.Name, c.spec, c.droplets, err, c.want)
		}
	}
	var nf *ErrNoFluid
	if _, err := Predict(load(t, "metastable"), "lifo", Options{}); !errors.As(err, &nf) || nf.Part != "lifo" {
		t.Errorf("lifo: %v, want an *ErrNoFluid naming lifo", err)
	}
	for _, c := range []struct {
		cfg  ChainConfig
		want string
	}{
		{ChainConfig{Lambda: -1, Mu: 10, Workers: 1, Attempts: 1}, "lambda -1"},
		{ChainConfig{Lambda: 1, Mu: 0, Workers: 1, Attempts: 1}, "mu 0"},
		{ChainConfig{Lambda: 1, Mu: 10, Workers: 0, Attempts: 1}, "workers 0"},
		{ChainConfig{Lambda: 1, Mu: 10, Workers: 1, Attempts: 3, Orbit: 5}, "retry delay 0"},
		{ChainConfig{Lambda: 1, Mu: 10, Workers: 1, Attempts: 1, Orbit: 600}, "orbit 600"},
		{ChainConfig{Lambda: 1, Mu: 10, Workers: 1, Attempts: 1, Queue: 1 << 20, Orbit: 10}, "states"},
	} {
		if _, err := NewChain(c.cfg); err == nil || !strings.HasPrefix(err.Error(), "predict: chain: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error naming %q", c.cfg, err, c.want)
		}
	}
}

func TestDeterministic(t *testing.T) {
	sc := load(t, "metastable", "trigger.1.duration", "200ms")
	a, err := Predict(sc, "none", Options{Trajectory: true})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Predict(sc, "none", Options{Trajectory: true})
	if a.Verdict != b.Verdict || a.Recovery != b.Recovery || a.Ledger != b.Ledger || len(a.Trajectory) != len(b.Trajectory) || len(a.Trajectory) < 100 {
		t.Fatalf("two predictions of the same input differ: %+v / %+v", a.Ledger, b.Ledger)
	}
}

// The chain without an orbit is M/M/c/K: its stationary distribution is
// the product form, and its drain time a sum over the birth-death levels.
func TestChainBirthDeath(t *testing.T) {
	lam, mu, K := 8.0, 10.0, 30
	ch, err := NewChain(ChainConfig{Lambda: lam, Mu: mu, Workers: 1, Queue: K, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	d, err := ch.Stationary()
	if err != nil {
		t.Fatal(err)
	}
	N := K + 1
	rho := lam / mu
	norm := (1 - math.Pow(rho, float64(N+1))) / (1 - rho)
	for n := 0; n <= N; n++ {
		want := math.Pow(rho, float64(n)) / norm
		if got := d.At(n, 0); math.Abs(got-want) > 1e-12 {
			t.Fatalf("P(n=%d) = %v, want %v", n, got, want)
		}
	}
	// E[time from n to n−1] = (1/μ)·Σ_{k=0}^{N−n} ρ^k.
	var want float64
	for n := 1; n <= N; n++ {
		for k := 0; k <= N-n; k++ {
			want += math.Pow(rho, float64(k)) / mu
		}
	}
	got, err := ch.DrainTime()
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-want) > 1e-9*want {
		t.Fatalf("drain time %v, want %v", got, want)
	}
}

// The chain's probabilities sum to 1 and none is negative, with retries,
// timeouts and several workers.
func TestChainStationarySums(t *testing.T) {
	for _, c := range []ChainConfig{
		{Lambda: 9.5, Mu: 10, Workers: 1, Queue: 100, Orbit: 20, Timeout: 3, Attempts: 5, RetryDelay: 3},
		{Lambda: 3, Mu: 10, Workers: 1, Queue: 100, Orbit: 20, Timeout: 3, Attempts: 5, RetryDelay: 3},
		{Lambda: 35, Mu: 10, Workers: 4, Queue: 40, Orbit: 10, Timeout: 0.5, Attempts: 3, RetryDelay: 0.2},
		{Lambda: 9.5, Mu: 10, Workers: 1, Queue: 30, Orbit: 20, Attempts: 10000, RetryDelay: 3},
	} {
		ch, err := NewChain(c)
		if err != nil {
			t.Fatal(err)
		}
		var out float64
		for n := 0; n <= ch.N; n++ { // every generator row sums to 0: out-rates equal the diagonal
			for o := 0; o <= ch.O; o++ {
				ch.each(n, o, func(n2, o2 int, r float64) {
					if r < 0 {
						t.Fatalf("%+v: rate %v from (%d,%d) to (%d,%d)", c, r, n, o, n2, o2)
					}
					if n2 < 0 || n2 > ch.N || o2 < 0 || o2 > ch.O {
						t.Fatalf("%+v: a transition leaves the state space: (%d,%d) to (%d,%d)", c, n, o, n2, o2)
					}
					out += r
				})
			}
		}
		d, err := ch.Stationary()
		if err != nil {
			t.Fatal(err)
		}
		if s := d.Sum(); math.Abs(s-1) > 1e-12 {
			t.Errorf("%+v: probabilities sum to %v", c, s)
		}
		for i, p := range d.P {
			if p < 0 {
				t.Fatalf("%+v: P[%d] = %v", c, i, p)
			}
		}
		// Balance: πQ = 0 at every state, to rounding.
		flow := make([]float64, ch.States())
		k := ch.O + 1
		for n := 0; n <= ch.N; n++ {
			for o := 0; o <= ch.O; o++ {
				p := d.At(n, o)
				ch.each(n, o, func(n2, o2 int, r float64) {
					if n2 == n && o2 == o {
						return
					}
					flow[n*k+o] -= p * r
					flow[n2*k+o2] += p * r
				})
			}
		}
		for i, f := range flow {
			if math.Abs(f) > 1e-10 {
				t.Fatalf("%+v: state %d is out of balance by %v", c, i, f)
			}
		}
	}
}

func BenchmarkPredict(b *testing.B) {
	for _, c := range []struct {
		name, scenario, spec string
		droplets             int
		kv                   []string
		schedule             string // metastable's clients on this schedule
	}{
		{name: "metastable/none", scenario: "metastable", spec: "none"},
		{name: "metastable/queue-size", scenario: "metastable", spec: "queue-size"},
		{name: "metastable/aimd", scenario: "metastable", spec: "aimd"},
		{name: "metastable/vegas", scenario: "metastable", spec: "vegas"},
		{name: "metastable/vegas/max_attempts=100", scenario: "metastable", spec: "vegas", kv: []string{"clients.max_attempts", "100"}},
		{name: "metastable/none/horizon=24h", scenario: "metastable", spec: "none", kv: []string{"horizon", "24h"}},
		{name: "metastable/none/relapse/horizon=1h", spec: "none", schedule: "0s=700, 20s=100, 40s=1500", kv: []string{"horizon", "1h"}},
		{name: "metastable/none/relapses/horizon=1h", spec: "none", schedule: "0s=700, 20s=100, 40s=700, 1800s=100, 3000s=700", kv: []string{"horizon", "1h"}},
		{name: "us-east-1/none/droplets=1e4", scenario: "us-east-1", spec: "none", droplets: 10_000},
		{name: "us-east-1/none/droplets=1e6", scenario: "us-east-1", spec: "none", droplets: 1_000_000},
		{name: "us-east-1/none/droplets=1e7", scenario: "us-east-1", spec: "none", droplets: 10_000_000},
		{name: "us-east-1/queue-size/droplets=1e6", scenario: "us-east-1", spec: "queue-size", droplets: 1_000_000},
		{name: "us-east-1/operator/droplets=1e6", scenario: "us-east-1", spec: "operator", droplets: 1_000_000},
		{name: "us-east-1/aimd/droplets=1e7", scenario: "us-east-1", spec: "aimd", droplets: 10_000_000},
		{name: "us-east-1/vegas/droplets=1e6", scenario: "us-east-1", spec: "vegas", droplets: 1_000_000},
		{name: "us-east-1/reserve/establish_timeout=20s", scenario: "us-east-1", spec: "reserve", droplets: 10_000, kv: []string{"dwfm.establish_timeout", "20s"}},
		{name: "us-east-1/queue-size/check_interval=1h", scenario: "us-east-1", spec: "queue-size", droplets: 10_000, kv: []string{"dwfm.check_interval", "1h", "trigger.1.duration", "20m"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var sc *scenario.Scenario
			if c.schedule != "" {
				sc = metastableWith(b, c.schedule, c.kv...)
			} else {
				sc = load(b, c.scenario, c.kv...)
			}
			b.ReportAllocs()
			start := time.Now()
			for range b.N {
				if _, err := Predict(sc, c.spec, Options{Droplets: c.droplets}); err != nil {
					b.Fatal(err)
				}
			}
			ms := float64(time.Since(start).Microseconds()) / 1000 / float64(b.N)
			b.ReportMetric(ms, "ms/op")
			if ms > 10 {
				b.Errorf("%s: %.2f ms a prediction, want at most 10", c.name, ms)
			}
		})
	}
	b.Run("chain/metafor", func(b *testing.B) {
		for range b.N {
			ch, err := NewChain(ChainConfig{Lambda: 9.5, Mu: 10, Workers: 1, Queue: 100, Orbit: 20, Timeout: 3, Attempts: 5, RetryDelay: 3})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := ch.Stationary(); err != nil {
				b.Fatal(err)
			}
			if _, err := ch.DrainTime(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
