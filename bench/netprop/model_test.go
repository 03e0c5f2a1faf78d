package netprop

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/throttle"
)

// testConfig is a surge of 6,000 items over 10 minutes, above a base of 1
// per second, on a station of 8 workers at 1 s each whose service time grows
// 1 ms per queued item up to 10 s: it congests and drains by itself.
func testConfig() (Section, model.StationConfig) {
	c := Section{BaseRate: 1, Surge: 6000, SurgeAt: model.Duration(time.Hour), SurgeOver: model.Duration(10 * time.Minute),
		LaunchShare: 0.5, Normal: model.Duration(time.Minute)}
	var sp model.StationConfig
	sp.Workers = 8
	if err := sp.ServiceTime.UnmarshalText([]byte("exp(1s)")); err != nil {
		panic(err)
	}
	sp.PerQueued = model.Duration(time.Millisecond)
	sp.MaxService = model.Duration(10 * time.Second)
	return c, sp
}

const testHorizon = sim.Time(3 * time.Hour)

func run(t *testing.T, c Section, sp model.StationConfig, seed uint64, h model.Hooks, each func(Interval)) (*Model, model.Result) {
	t.Helper()
	m, err := New(Config{NetProp: c, Service: sp}, model.Env{Seed: seed, Horizon: testHorizon, Hooks: h})
	if err != nil {
		t.Fatal(err)
	}
	m.OnInterval = each
	res, err := m.Run(model.Options{Horizon: testHorizon, Interval: sim.Time(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return m, res
}

func queueSize(limit int) model.Hooks {
	c := throttle.QueueSizeConfig{Rate: 16, Limit: limit, Burst: 16}
	return model.Hooks{Admit: func(int) throttle.Admitter {
		q, err := throttle.NewQueueSize(c)
		if err != nil {
			panic(err)
		}
		return q
	}}
}

// The surge builds a backlog, latency rises above normal, and the run
// recovers after the surge, no sooner than the ideal.
func TestSurgeRecoversNoSoonerThanIdeal(t *testing.T) {
	c, sp := testConfig()
	policies := map[string]model.Hooks{
		"none":          {},
		"queue-size":    queueSize(16),
		"lifo":          {Queue: backlog.Config{Kind: backlog.KindLIFO}},
		"deadline-drop": {Queue: backlog.Config{Kind: backlog.KindDeadlineDrop, Timeout: time.Minute}},
	}
	for seed := uint64(1); seed <= 2; seed++ {
		for name, h := range policies {
			var peak int
			var slow bool
			_, res := run(t, c, sp, seed, h, func(iv Interval) {
				peak = max(peak, iv.Backlog)
				slow = slow || iv.P99 > time.Duration(c.Normal).Seconds()
			})
			if !res.Recovered {
				t.Fatalf("seed %d %s: not recovered by %v", seed, name, testHorizon)
			}
			if res.Recovery < res.Ideal {
				t.Fatalf("seed %d %s: recovery %v beats the ideal %v", seed, name, res.Recovery, res.Ideal)
			}
			if peak < 1000 || !slow {
				t.Fatalf("seed %d %s: peak backlog %d, latency above normal %v: the surge should congest", seed, name, peak, slow)
			}
			t.Logf("seed %d %-13s recovery %v ideal %v ratio %.3f peak backlog %d", seed, name, res.Recovery, res.Ideal, res.RecoveryRatio(), peak)
		}
	}
}

// The announced mitigation shortens the recovery: admission by queue size
// keeps the grown service time short.
func TestQueueSizeShortensRecovery(t *testing.T) {
	c, sp := testConfig()
	_, none := run(t, c, sp, 1, model.Hooks{}, nil)
	_, qs := run(t, c, sp, 1, queueSize(16), nil)
	if !(qs.Recovery < none.Recovery) {
		t.Fatalf("queue-size recovery %v not shorter than none's %v", qs.Recovery, none.Recovery)
	}
	if qs.Refusals.Admission <= 0 {
		t.Fatalf("queue-size never refused (%d)", qs.Refusals.Admission)
	}
}

// No propagation work exists before the first item is offered: the backlog
// is zero, and nothing is served, until the input starts.
func TestNoBacklogBeforeInput(t *testing.T) {
	c, sp := testConfig()
	c.BaseRate = 0
	var before []Interval
	_, res := run(t, c, sp, 1, model.Hooks{}, func(iv Interval) {
		if iv.T < sim.Time(c.SurgeAt) {
			before = append(before, iv)
		}
	})
	if len(before) == 0 {
		t.Fatal("no interval before the surge")
	}
	for _, iv := range before {
		if iv.Backlog != 0 || iv.Finished != 0 {
			t.Fatalf("at %v: backlog %d, finished %d before the first item", iv.T, iv.Backlog, iv.Finished)
		}
	}
	if res.Totals.Completed != uint64(c.Surge) {
		t.Fatalf("completed %d of %d items", res.Totals.Completed, c.Surge)
	}
}

// Every propagated launch reaches Output once, after it was offered.
func TestOutputReportsLaunches(t *testing.T) {
	c, sp := testConfig()
	m, err := New(Config{NetProp: c, Service: sp}, model.Env{Seed: 2, Horizon: testHorizon})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	m.Output = func(l, p sim.Time) {
		if p < l {
			t.Fatalf("propagated %v before launch %v", p, l)
		}
		n++
	}
	if _, err := m.Run(model.Options{Horizon: testHorizon, Interval: sim.Time(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	launches := 0
	for _, it := range m.items {
		if it.launch && it.done {
			launches++
		}
	}
	if n != launches || n == 0 {
		t.Fatalf("output %d launches, %d launches propagated", n, launches)
	}
}

// Same seed, same result.
func TestDeterministic(t *testing.T) {
	c, sp := testConfig()
	_, a := run(t, c, sp, 7, queueSize(16), nil)
	_, b := run(t, c, sp, 7, queueSize(16), nil)
	a.Sojourn[0], b.Sojourn[0] = math.Round(a.Sojourn[0]*1e9), math.Round(b.Sojourn[0]*1e9)
	if a != b {
		t.Fatalf("same seed, different results:\n%+v\n%+v", a, b)
	}
}

func TestConfigErrors(t *testing.T) {
	c, _ := testConfig()
	for name, f := range map[string]func(*Section){
		"no input":   func(c *Section) { c.BaseRate, c.Surge = 0, 0 },
		"negative":   func(c *Section) { c.BaseRate = -1 },
		"share":      func(c *Section) { c.LaunchShare = 2 },
		"no normal":  func(c *Section) { c.Normal = 0 },
		"huge surge": func(c *Section) { c.Surge = MaxSurge + 1 },
	} {
		b := c
		f(&b)
		if err := b.Validate(); err == nil {
			t.Errorf("%s: no error", name)
		} else if err.Error()[:8] != "netprop:" {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Offering, admitting and finishing items allocates nothing once the run
// is under way (the items' room is reserved from the expected input).
func TestSteadyStateAllocatesNothing(t *testing.T) {
	c, sp := testConfig()
	c.Surge = 0
	m, err := New(Config{NetProp: c, Service: sp}, model.Env{Seed: 1, Horizon: testHorizon, Hooks: queueSize(16)})
	if err != nil {
		t.Fatal(err)
	}
	m.eng.RunUntil(sim.Time(10 * time.Minute))
	n := testing.AllocsPerRun(20, func() { m.eng.RunUntil(m.eng.Now() + sim.Time(time.Minute)) })
	if n != 0 {
		t.Fatalf("%v allocations per simulated minute", n)
	}
}

// sliceInput is an Input of fixed events.
type sliceInput []Event

func (s *sliceInput) Next() (Event, bool) {
	if len(*s) == 0 {
		return Event{}, false
	}
	e := (*s)[0]
	*s = (*s)[1:]
	return e, true
}

// TestConfigInput: a Config with an Input needs no input of its section's
// own (the cascade's stage may have neither base_rate nor surge) nor a
// horizon, and runs on what it is fed; without one, the section must offer
// some, up to a horizon the Env must give.
func TestConfigInput(t *testing.T) {
	c, sp := testConfig()
	c.BaseRate, c.Surge = 0, 0
	if _, err := New(Config{NetProp: c, Service: sp}, model.Env{Seed: 1, Horizon: testHorizon}); err == nil || !strings.Contains(err.Error(), "no input") {
		t.Fatalf("no input and no section input: %v", err)
	}
	in := sliceInput{{At: sim.Time(time.Second), Launch: true}, {At: sim.Time(2 * time.Second)}}
	m, err := New(Config{NetProp: c, Service: sp, Input: &in}, model.Env{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(model.Options{Horizon: sim.Time(time.Hour), Interval: sim.Time(time.Minute)})
	if err != nil || res.Totals.Good != 2 {
		t.Fatalf("fed 2 items: %d propagated, %v", res.Totals.Good, err)
	}
	c, _ = testConfig()
	if _, err := New(Config{NetProp: c, Service: sp}, model.Env{Seed: 1}); err == nil || !strings.Contains(err.Error(), "horizon") {
		t.Fatalf("standalone without a horizon: %v", err)
	}
	sp.Delay = true
	if _, err := New(Config{NetProp: c, Service: sp}, model.Env{Seed: 1, Horizon: testHorizon}); err == nil || !strings.Contains(err.Error(), "delay_station") {
		t.Fatalf("a delay station: %v", err)
	}
}
