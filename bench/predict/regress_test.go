package predict

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
)

// metastableWith is the metastable preset with its clients on schedule (a
// clients.schedule value) instead of its constant 700/s.
func metastableWith(t testing.TB, schedule string, kv ...string) *scenario.Scenario {
	t.Helper()
	text := fmt.Sprintf(`name = "metastable-schedule"
horizon = "60s"
interval = "1s"
[clients]
schedule = %q
timeout = "100ms"
max_attempts = 3
[service]
workers = 10
service_time = "exp(10ms)"
[[trigger]]
kind = "load-spike"
at = "10s"
duration = "1s"
factor = 2
`, schedule)
	sc, err := scenario.Parse("metastable-schedule", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = withAll(sc, kv...); err != nil {
		t.Fatal(err)
	}
	return sc
}

// A change of the clients' schedule after the trigger decides the verdict:
// the run may not call the system settled before a whole check interval has
// run under the final inputs, and the fixed points are those of the final
// inputs. The simulator's figures (5 seeds) are the red-team's.
func TestScheduleChangeAfterTrigger(t *testing.T) {
	for _, c := range []struct {
		schedule string
		recovers bool
		sim      float64 // the simulator's mean recovery (s), when it recovers
		regime   string
	}{
		// Back to 700/s at 11 s, then 1,500/s from 30 s: past capacity (1,000/s). Simulator 0/5.
		{"0s=700, 11s=100, 30s=1500", false, 0, "collapsed"},
		// Collapsed by the spike; the load falls to 100/s at 20 s and the queue drains. Simulator 5/5, 26.94 s.
		{"0s=700, 20s=100", true, 26.94, "healthy"},
		// No clients from 11 s to 30 s: the station empties; at 30 s it is healthy again. Simulator 5/5, 19.02 s.
		{"0s=700, 11s=0, 30s=700", true, 19.02, "bistable"},
	} {
		pr, err := Predict(metastableWith(t, c.schedule), "none", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := pr.Verdict == Recovers; got != c.recovers {
			t.Errorf("%q: predicted %v, the simulator says recovers=%v", c.schedule, pr.Verdict, c.recovers)
			continue
		}
		if c.recovers && math.Abs(pr.Recovery.Seconds()/c.sim-1) > 0.15 {
			t.Errorf("%q: predicted recovery %v, the simulator's mean %.2fs", c.schedule, pr.Recovery, c.sim)
		}
		if r := pr.Fixed.Regime(); r != c.regime {
			t.Errorf("%q: fixed points %v, want the final inputs' regime %s", c.schedule, pr.Fixed, c.regime)
		}
	}
}

// Clients that stop or trickle after the trigger leave every later window
// silent (fewer than model.MinEvidence arrivals): the simulator's verdict
// is undetermined, and so is the prediction's, not "stays collapsed".
func TestTooFewArrivalsIsUndetermined(t *testing.T) {
	for _, schedule := range []string{"0s=700, 11s=0", "0s=700, 11s=1"} {
		pr, err := Predict(metastableWith(t, schedule), "none", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if pr.Verdict != Undetermined {
			t.Errorf("%q: predicted %v, want undetermined (the simulator's: too few arrivals)", schedule, pr.Verdict)
		}
	}
	// Enough arrivals again later: judged as before.
	pr, _ := Predict(metastableWith(t, "0s=700, 11s=0, 30s=700"), "none", Options{})
	if pr.Verdict != Recovers {
		t.Errorf("arrivals resume at 30 s: predicted %v, want recovers", pr.Verdict)
	}
}

// A concurrency limit below the workers caps what the station completes at
// min(L, workers)/s, not at every worker's: AIMD sitting at its min of 1 on
// a host of 4 workers re-leases four times slower than at 4 or more. The
// simulator's figures (us-east-1 at 10⁴ droplets, seed 1): min=1 4h28m36s,
// min=2 2h16m40s, min=4 1h11m1s, min=5 1h7m26s (AIMD's 5 s timeout is far
// under DWFM's 15 s establishment, so every sample is a drop and the limit
// sits at min).
func TestConcurrencyCapBelowWorkers(t *testing.T) {
	us := load(t, "us-east-1")
	for _, c := range []struct {
		min int
		sim float64 // seconds
	}{{1, 4*3600 + 28*60 + 36}, {2, 2*3600 + 16*60 + 40}, {4, 3600 + 11*60 + 1}, {5, 3600 + 7*60 + 26}} {
		pr, err := Predict(us, fmt.Sprintf("aimd:min=%d", c.min), Options{Droplets: 10000})
		if err != nil {
			t.Fatal(err)
		}
		if pr.Verdict != Recovers || math.Abs(pr.Recovery.Seconds()/c.sim-1) > 0.15 {
			t.Errorf("aimd:min=%d: predicted %v %v, the simulator recovers in %v", c.min, pr.Verdict, pr.Recovery, sec(c.sim))
		}
	}
	// On metastable a limit of 1 completes 100/s against a load of 700/s,
	// and Vegas's settled limit (4.5 on 10 workers) 450/s: no healthy state.
	meta := load(t, "metastable")
	for _, spec := range []string{"aimd:min=1,max=1,initial=1", "vegas"} {
		pr, err := Predict(meta, spec, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if pr.Verdict != StaysCollapsed || pr.Fixed.Regime() != "collapsed" {
			t.Errorf("metastable %s: %v, %v; want stays collapsed with no healthy fixed point (the limit completes less than the load)", spec, pr.Verdict, pr.Fixed)
		}
	}
	// The law itself: at the limit, what enters is what L workers complete.
	l := Law{Concurrency: 2}
	tok := -1.0
	if got := l.admits(700, occupancy{q: 0, n: 2, mu: 200, workers: 10, s: 0.01}, 0.002, 0, &tok); math.Abs(got-200) > 1e-9 {
		t.Errorf("admits at L=2 of 10 workers: %v, want 200/s (2 workers' completions)", got)
	}
}

// What the simulator refuses, predict refuses too, before predicting: a
// policy parameter out of range, and a part that does not apply to the
// model (failover-off without an NLB), each in one line with the numbers.
func TestRefusesWhatTheSimulatorRefuses(t *testing.T) {
	for _, c := range []struct {
		name, spec, want string
		droplets         int
	}{
		{"metastable", "aimd:min=50,max=10", "AIMD initial 20 below min 50", 0},
		{"us-east-1", "aimd:min=50,max=10", "AIMD initial 20 below min 50", 10000},
		{"metastable", "vegas:max=2", "Vegas max 2 below initial 20", 0},
		{"us-east-1", "failover-off", `"failover-off" does not apply to scenario us-east-1`, 10000},
		{"us-east-1", "queue-size+failover-off", "does not apply", 10000},
	} {
		_, err := Predict(load(t, c.name), c.spec, Options{Droplets: c.droplets})
		if err == nil || !strings.HasPrefix(err.Error(), "predict: ") || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: %v, want one line starting predict: and naming %q", c.name, c.spec, err, c.want)
		}
	}
	if _, err := Predict(load(t, "us-east-1"), "failover-off", Options{Droplets: 10000}); !errors.Is(err, bench.ErrNotApplicable) {
		t.Errorf("failover-off on us-east-1: %v, want bench.ErrNotApplicable", err)
	}
	if _, err := ParseLaw("failover-off", Station{}); err == nil {
		t.Errorf("ParseLaw(failover-off) has a law; the fluid models have no NLB")
	}
}

// The simulator's caveats come with the prediction: AIMD's 5 s timeout on
// DWFM's 15 s establishments makes it a fixed cap at its min.
func TestPredictionCarriesCaveats(t *testing.T) {
	pr, err := Predict(load(t, "us-east-1"), "aimd", Options{Droplets: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(pr.Notes, "; "), "fixed cap") {
		t.Errorf("aimd on us-east-1: notes %q, want the simulator's caveat (a fixed cap)", pr.Notes)
	}
	pr, _ = Predict(load(t, "us-east-1"), "aimd:timeout=10x", Options{Droplets: 10000})
	if len(pr.Notes) != 0 {
		t.Errorf("aimd:timeout=10x on us-east-1: notes %q, want none", pr.Notes)
	}
}

// The collapsed state's growth is a rate only where the retries have a
// stationary flow: with 100 attempts a request, every one failing, the
// station is offered 100 × 700/s and serves 1,000/s (the simulator's queue
// grows about 69,000/s); with attempts that do not run out (backoff's
// max-attempts=0) the retry flow grows with time and no rate is printed.
// A concurrency limit holds at most L: no queue grows past it.
func TestCollapsedGrowth(t *testing.T) {
	growth := func(fp FixedPoints) (FixedPoint, bool) {
		for _, p := range fp.Points {
			if p.Growing {
				return p, true
			}
		}
		return FixedPoint{}, false
	}
	pr, err := Predict(load(t, "metastable", "clients.max_attempts", "100"), "none", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := growth(pr.Fixed); !ok || math.Abs(p.Rate/69000-1) > 0.01 {
		t.Errorf("max_attempts=100: %v, want a queue growing 69,000/s", pr.Fixed)
	}
	pr, _ = Predict(load(t, "metastable"), "backoff", Options{})
	if p, ok := growth(pr.Fixed); !ok || !math.IsInf(p.Rate, 1) || !strings.Contains(pr.Fixed.String(), "without bound") || strings.Contains(pr.Fixed.String(), "e+") {
		t.Errorf("backoff (unlimited attempts): %v, want a queue growing without bound and no rate", pr.Fixed)
	}
	for _, spec := range []string{"aimd", "vegas"} {
		pr, _ = Predict(load(t, "metastable"), spec, Options{})
		if _, ok := growth(pr.Fixed); ok {
			t.Errorf("%s: %v, want no queue growing past the limit", spec, pr.Fixed)
		}
	}
	if pr, _ = Predict(load(t, "metastable"), "aimd", Options{}); pr.Fixed.Regime() != "healthy" {
		t.Errorf("aimd on metastable: %v, want healthy (its settled limit keeps the queue under the timeout; the simulator recovers 5/5)", pr.Fixed)
	}
}

// DWFM under a law that caps what enters: with a 20 s establishment
// timeout a new attempt behind 1.3 queued outlasts it (15 s each on 4
// workers), and the law holds the queue above that, so the collapse is
// bounded: the queue sits at the law's level and no live attempt is served
// in time. The simulator stays collapsed under each (0/5).
func TestBoundedCollapseDWFM(t *testing.T) {
	sc := load(t, "us-east-1", "dwfm.establish_timeout", "20s")
	for _, c := range []struct {
		spec string
		held float64 // the queue the law holds
	}{{"queue-size", 4.05}, {"bounded", 8}, {"reserve", 4}, {"vegas", 2.41}, {"aimd", 16}} {
		pr, err := Predict(sc, c.spec, Options{Droplets: 10000})
		if err != nil {
			t.Fatal(err)
		}
		var col *FixedPoint
		for i, p := range pr.Fixed.Points {
			if p.Kind == Collapsed {
				col = &pr.Fixed.Points[i]
			}
		}
		if col == nil || col.Growing || math.Abs(col.Held-c.held) > 0.01*c.held || pr.Fixed.Regime() != "bistable" {
			t.Errorf("%s: %v, want bistable with a bounded collapse at %v queued", c.spec, pr.Fixed, c.held)
		}
		if s := pr.Fixed.Separatrix(); math.Abs(s-1.31) > 0.01 {
			t.Errorf("%s: separatrix %v, want 1.31 (q·15.07/4 + 15.07 = 20 s)", c.spec, s)
		}
	}
}

// The horizon does not move the prediction: the step is the model's own
// (at most a fiftieth of the timeout) however long the run, and a settled
// stretch is jumped over, not integrated coarsely. The spike's edge on
// metastable was 236 ms at a 60 s horizon, 258 ms at 1 h and 369 ms at 24 h
// when the step grew with the horizon.
func TestHorizonDoesNotMoveThePrediction(t *testing.T) {
	var edges []Edge
	for _, h := range []string{"60s", "1h", "24h"} {
		sc := load(t, "metastable", "horizon", h)
		p, err := bench.ParseParam(sc, "trigger.1.duration", "10ms", "5s")
		if err != nil {
			t.Fatal(err)
		}
		e, err := FindEdge(sc, "none", Options{}, p, 0)
		if err != nil {
			t.Fatal(err)
		}
		e.Predictions = 0
		edges = append(edges, e)
		pr, _ := Predict(sc, "none", Options{})
		if pr.Step > 2*time.Millisecond {
			t.Errorf("horizon %s: a step of %v, above the timeout's fiftieth (2ms)", h, pr.Step)
		}
	}
	if edges[1] != edges[0] || edges[2] != edges[0] || edges[0].Value() < 0.2 || edges[0].Value() > 0.27 {
		t.Errorf("the spike's edge at horizons 60s, 1h, 24h: %v, want one edge near 236 ms", edges)
	}
	us := []time.Duration{}
	for _, h := range []string{"14h32m", "100h"} {
		pr, err := Predict(load(t, "us-east-1", "horizon", h), "queue-size", Options{Droplets: 10000})
		if err != nil {
			t.Fatal(err)
		}
		us = append(us, pr.Recovery)
	}
	if us[0] != us[1] {
		t.Errorf("us-east-1 under queue-size at horizons 14h32m and 100h: %v, want one recovery", us)
	}
}

// A change long after the system settled is still applied (the run jumps to
// it), and only the integrated steps are counted.
func TestLateChangeAfterSettling(t *testing.T) {
	sc := metastableWith(t, "0s=700, 20s=100, 40s=700, 1800s=100, 3000s=1500", "horizon", "1h")
	pr, err := Predict(sc, "none", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Verdict != StaysCollapsed || pr.Fixed.Regime() != "collapsed" {
		t.Errorf("1,500/s from 3000 s: %v, %v; want stays collapsed, collapsed", pr.Verdict, pr.Fixed)
	}
	if pr.Steps > 100_000 {
		t.Errorf("%d steps of %v integrated, want the settled stretches jumped", pr.Steps, pr.Step)
	}
	sc = metastableWith(t, "0s=700, 20s=100, 40s=700, 1800s=100, 3000s=700", "horizon", "1h")
	if pr, _ = Predict(sc, "none", Options{}); pr.Verdict != Recovers || math.Abs(pr.Recovery.Seconds()/26.94-1) > 0.15 {
		t.Errorf("back to 700/s at 3000 s: %v %v, want recovers in about 27 s (the simulator's 26.94 s)", pr.Verdict, pr.Recovery)
	}
}

// Inputs that never stay put long enough to settle, over a horizon longer
// than the run's step budget at its resolution, are refused rather than
// integrated coarsely.
func TestUnsettledLongRunRefused(t *testing.T) {
	var b strings.Builder
	for i := range 4200 { // 700/s and 600/s by turns, every half second, for 2,100 s
		fmt.Fprintf(&b, "%gs=%d, ", float64(i)/2, 700-100*(i%2))
	}
	sc := metastableWith(t, strings.TrimSuffix(b.String(), ", "), "horizon", "2200s")
	_, err := Predict(sc, "none", Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "predict: ") || !strings.Contains(err.Error(), "did not settle within 1000000 steps of 2ms") {
		t.Errorf("%v, want a refusal naming its step budget", err)
	}
}

// Near a host's capacity, a law with a small cap refuses by chance where
// the fluid host has no queue, and on DWFM each refusal costs a recheck a
// check interval on: with hour-long checks after a 20 min outage the
// simulator recovers in 2h19m (queue-size, 10⁴ droplets, 5 seeds), the
// fluid model in 1h1m. The prediction says it is outside its claim there,
// and only where the rechecks land past 1.15 × its recovery: not on the
// presets, nor with 10 min checks (simulator 23m38s against 24m45s), nor
// after the full outage with hour-long checks (2h28m18s against 2h28m15s).
// Under reserve with a 20 s establishment timeout, a host fed at its
// capacity passes the separatrix (1.3 queued) by chance and the simulator
// stays collapsed (0/5) while the fluid model recovers: outside the claim
// too.
func TestVarianceOutsideClaim(t *testing.T) {
	for _, c := range []struct {
		spec     string
		kv       []string
		droplets int
		want     string // "" when within the claim
	}{
		{"queue-size", []string{"dwfm.check_interval", "1h", "trigger.1.duration", "20m"}, 10000, "outside the 15% claim"},
		{"bounded", []string{"dwfm.check_interval", "1h", "trigger.1.duration", "20m"}, 10000, "outside the 15% claim"},
		{"queue-size", []string{"dwfm.check_interval", "30m", "trigger.1.duration", "20m"}, 100000, "outside the 15% claim"},
		{"reserve", []string{"dwfm.establish_timeout", "20s"}, 10000, "the verdict itself may differ"},
		{"queue-size", nil, 10000, ""},
		{"queue-size", nil, 100000, ""},
		{"bounded", nil, 10000, ""},
		{"aimd", nil, 10000, ""},
		{"vegas", nil, 10000, ""},
		{"reserve", nil, 10000, ""},
		{"queue-size", []string{"dwfm.check_interval", "10m", "trigger.1.duration", "20m"}, 10000, ""},
		{"queue-size", []string{"dwfm.check_interval", "1h"}, 10000, ""},
	} {
		pr, err := Predict(load(t, "us-east-1", c.kv...), c.spec, Options{Droplets: c.droplets})
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(pr.Outside, "; ")
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s %v at %d droplets: outside %q, want %q", c.spec, c.kv, c.droplets, got, c.want)
		}
	}
}

// The judge's skips (a window wholly inside a run of equal buckets is
// judged once) give what walking every window edge gives.
func TestJudgeSkipsAsItWalks(t *testing.T) {
	walk := func(g *generic, r *genRun, from float64) (float64, Verdict) {
		var arr, good []float64
		for _, s := range r.buckets {
			for range s.n {
				arr, good = append(arr, s.arr), append(good, s.good)
			}
		}
		first := int(math.Round(from / r.bucket))
		last := int(math.Floor((g.horizon - g.window) / r.bucket))
		at := func(i int) (float64, float64) {
			if i < len(arr) {
				return arr[i], good[i]
			}
			return arr[len(arr)-1], good[len(good)-1]
		}
		firstGood, judged, bad := -1, -1, false
		for e := first + model.WindowBuckets; e <= last; e++ {
			var sa, sg float64
			for i := e - model.WindowBuckets; i < e; i++ {
				a, gd := at(i)
				sa, sg = sa+a, sg+gd
			}
			judged = e
			bad = sg < model.Healthy*sa-1e-9
			switch {
			case bad:
				firstGood = -1
			case sa >= model.MinEvidence && firstGood < 0:
				firstGood = e
			}
		}
		switch {
		case judged < 0:
			return 0, Undetermined
		case bad:
			return 0, StaysCollapsed
		case firstGood < 0:
			return 0, Undetermined
		}
		return float64(firstGood-first) * r.bucket, Recovers
	}
	for _, sc := range []*scenario.Scenario{
		load(t, "metastable"),
		load(t, "metastable", "trigger.1.duration", "150ms"),
		load(t, "metastable", "trigger.1.duration", "150ms", "horizon", "10m"),
		metastableWith(t, "0s=700, 20s=100"),
		metastableWith(t, "0s=700, 11s=0, 30s=700"),
		metastableWith(t, "0s=700, 11s=0"),
		metastableWith(t, "0s=700, 11s=5, 40s=700"),
		metastableWith(t, "0s=700, 20s=100, 40s=700, 300s=100, 500s=700", "horizon", "10m"),
	} {
		pr, err := Predict(sc, "none", Options{})
		if err != nil {
			t.Fatal(err)
		}
		g, _ := newGeneric(sc, Law{})
		r, err := g.run(false, pr.Fixed.Separatrix())
		if err != nil {
			t.Fatal(err)
		}
		rec, v := g.judge(r, g.triggerEnd())
		wrec, wv := walk(g, r, g.triggerEnd())
		if v != wv || math.Abs(rec-wrec) > 1e-9 {
			t.Errorf("%s: judged %v %v, walked %v %v", sc.Name, v, rec, wv, wrec)
		}
	}
}
