package dwfm

import (
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// fixed is a fleet of droplets hosts of per droplets, checks every 3 min, a
// lease TTL of exactly ttl, and establishment work of exactly 15 s on 2
// workers a host.
func fixed(t *testing.T, droplets, per int, ttl time.Duration, tr []model.TriggerConfig) *Model {
	t.Helper()
	cfg, st := small()
	cfg.Droplets, cfg.DropletsPerHost, cfg.LeaseTTLMin, cfg.LeaseTTLMax = droplets, per, model.Duration(ttl), model.Duration(ttl)
	st.Workers, st.ServiceTime = 2, model.MustParseDist("const(15s)")
	m, err := New(Config{DWFM: cfg, Service: st, Triggers: tr}, model.Env{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const work = sim.Time(15 * time.Second)

// TestBoundTwoOutagesByHand: with a TTL exactly the last outage's length,
// every lease lapses in it whatever its last renewal (its expiry, TTL after
// a check before the outage, falls inside it), and every droplet asks at
// the outage's end: the host's 30 droplets of 15 s on 2 workers take 225 s.
// With a droplet a host the bound is one droplet's work (15 s), not its
// share of the workers. A run that ends at the outage's end sees no lapse
// it could count (each could come as late as the end).
func TestBoundTwoOutagesByHand(t *testing.T) {
	tr := []model.TriggerConfig{
		{Kind: model.DependencyOutage, Duration: model.Duration(30 * time.Minute)},
		{Kind: model.DependencyOutage, At: model.Duration(3 * time.Hour), Duration: model.Duration(90 * time.Minute)},
	}
	end := sim.Time(4*time.Hour + 30*time.Minute)
	m := fixed(t, 60, 30, 90*time.Minute, tr)
	if got, want := m.Bound(end+sim.Time(time.Hour)), 30*work/2; got != want {
		t.Errorf("30 droplets a host asking at the end: bound %v, want %v", got, want)
	}
	if got := m.Bound(end); got != 0 {
		t.Errorf("a run ending at the outage's end: bound %v, want 0", got)
	}
	if got := fixed(t, 4, 1, 90*time.Minute, tr).Bound(end + sim.Time(time.Hour)); got != work {
		t.Errorf("one droplet a host: bound %v, want its work %v", got, work)
	}
	if got := fixed(t, 60, 30, 90*time.Minute+1, tr).Bound(end + sim.Time(time.Hour)); got != 0 {
		t.Errorf("a TTL 1 ns longer than the outage: bound %v, want 0 (no lease must lapse)", got)
	}
}

// TestBoundOneOutageFromItsDefinition: one 90 s outage and a TTL of exactly
// one check interval: a droplet's lease expires at its first check after
// the outage began, which renews it if the dependency is back by then, and
// otherwise it lapses and the droplet asks at its next check. The bound,
// read from its definition per host (every droplet asking at or after r_k
// must still be served after r_k, each on one of 2 workers) over the
// droplets that lapse before the horizon, for a horizon after the outage
// and one at the instant of the last lapse (which then does not count).
func TestBoundOneOutageFromItsDefinition(t *testing.T) {
	P := 3 * time.Minute
	m := fixed(t, 100, 100, P, outage(90*time.Second)) // one host: every lapse counts in its bound
	w := m.outages[0]
	naive := func(horizon sim.Time) (bound, lastLapse sim.Time) {
		for h := range 1 {
			var rs []sim.Time // the droplets' first checks after expiry
			for i := h * 100; i < (h+1)*100; i++ {
				d := droplet{phase: m.draws.phase(uint32(i), sim.Time(P))}
				expiry := m.nextCheck(&d, w.Start)
				if expiry >= w.End || expiry >= horizon {
					continue // renewed at expiry, or not lapsed in the run
				}
				lastLapse = max(lastLapse, expiry)
				rs = append(rs, expiry+sim.Time(P))
			}
			for _, rk := range rs {
				var after sim.Time
				for _, ri := range rs {
					if ri >= rk {
						after += work
					}
				}
				bound = max(bound, rk+after/2-w.End, rk+work-w.End)
			}
		}
		return bound, lastLapse
	}
	want, last := naive(sim.Time(time.Hour))
	if want <= 0 || last == 0 {
		t.Fatalf("no lapse: the test needs some (bound %v)", want)
	}
	if got := m.Bound(sim.Time(time.Hour)); got != want {
		t.Errorf("bound %v, want %v", got, want)
	}
	if want, _ = naive(last); m.Bound(last) != want {
		t.Errorf("a run ending at the last lapse: bound %v, want %v (without it)", m.Bound(last), want)
	}
}

// stepped runs m with 1-minute samples to horizon, spans of span samples,
// groups of group droplets, and a Stop that asks stop (given the samples
// handed out so far).
func stepped(t *testing.T, cfg Section, st model.StationConfig, tr []model.TriggerConfig, horizon sim.Time, span, group int, stop func(n int) bool) (*Model, []model.Sample, model.Result) {
	t.Helper()
	defer func(s, g int) { spanIntervals, groupDroplets = s, g }(spanIntervals, groupDroplets)
	spanIntervals, groupDroplets = span, group
	m, err := New(Config{DWFM: cfg, Service: st, Triggers: tr}, model.Env{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var got []model.Sample
	o := model.Options{Horizon: horizon, Interval: sim.Time(time.Minute), Observe: func(s model.Sample) { got = append(got, s) }}
	if stop != nil {
		o.Stop = func() bool { return stop(len(got)) }
	}
	res, err := m.Run(o)
	if err != nil {
		t.Fatal(err)
	}
	return m, got, res
}

// TestStopIsPolledBetweenSpans: Stop is polled after every span but the
// last (never inside one, so an interrupted run's samples and summary
// describe the same instant): a Stop that says yes at once lets any fleet,
// of 5 groups or 70, hand out its first span and stop there; a Stop that
// says yes once every sample is out interrupts nothing.
func TestStopIsPolledBetweenSpans(t *testing.T) {
	cfg, st := small()
	horizon := sim.Time(3 * time.Hour)
	if _, got, res := stepped(t, cfg, st, outage(time.Hour), horizon, 60, 1000, func(int) bool { return true }); !res.Interrupted || len(got) != 60 || res.End != sim.Time(time.Hour) {
		t.Errorf("5 groups, stop at once: interrupted %v after %d samples, at %v; want after the first span (60, 1 h)", res.Interrupted, len(got), res.End)
	}
	cfg.Droplets, cfg.DropletsPerHost = 7000, 100
	if _, got, res := stepped(t, cfg, st, outage(time.Hour), horizon, 60, 100, func(int) bool { return true }); !res.Interrupted || len(got) != 60 || res.End != sim.Time(time.Hour) {
		t.Errorf("70 groups, stop at once: interrupted %v after %d samples, at %v; want after the first span (60, 1 h)", res.Interrupted, len(got), res.End)
	}
	if _, got, res := stepped(t, cfg, st, outage(time.Hour), horizon, 60, 100, func(n int) bool { return n == 180 }); res.Interrupted || len(got) != 180 || res.End != horizon {
		t.Errorf("70 groups, stop once every sample is out: interrupted %v after %d samples, at %v; want the whole run", res.Interrupted, len(got), res.End)
	}
}

// TestSamplesAndEvents: every sample covers the time since the one before
// (the last the 30 s to the horizon); with the fleet in one engine, every
// event it fired counts once.
func TestSamplesAndEvents(t *testing.T) {
	cfg, st := small()
	horizon := sim.Time(2*time.Hour + 30*time.Second)
	m, got, res := stepped(t, cfg, st, outage(time.Hour), horizon, 240, 1<<30, nil)
	prev := sim.Time(0)
	for _, s := range got {
		if s.Interval != s.T-prev || s.Interval <= 0 {
			t.Fatalf("sample at %v covers %v, the one before was at %v", s.T, s.Interval, prev)
		}
		prev = s.T
	}
	if prev != horizon || got[len(got)-1].Interval != sim.Time(30*time.Second) {
		t.Errorf("last sample at %v covering %v, want at the horizon covering 30 s", prev, got[len(got)-1].Interval)
	}
	if len(m.engs) != 1 || res.Events != m.engs[0].Fired() {
		t.Errorf("%d engines; %d events counted, the engine fired %d", len(m.engs), res.Events, m.engs[0].Fired())
	}
}

// TestRecoveryAtTheRunsEdges: a run that ends before the outage does has
// not recovered; one that ends exactly with a 1-minute outage, before any
// lease could lapse (TTLs are 5 min at least), has recovered at that end; one without
// an outage has nothing to recover from (recovered at 0); a run that ends
// exactly when its last host becomes fully leased has recovered then; a
// run that ends exactly at the bound without recovering has not recovered
// (a policy could have), it is not undetermined.
func TestRecoveryAtTheRunsEdges(t *testing.T) {
	cfg, st := small()
	if _, _, res := stepped(t, cfg, st, outage(time.Hour), sim.Time(30*time.Minute), 240, 1000, nil); res.Recovered || !res.Undetermined {
		t.Errorf("run ending inside the outage: recovered %v, undetermined %v; want neither recovered nor determined", res.Recovered, res.Undetermined)
	}
	if _, _, res := stepped(t, cfg, st, outage(time.Minute), sim.Time(time.Minute), 240, 1000, nil); !res.Recovered || res.Recovery != 0 {
		t.Errorf("a 1-minute outage, run ending with it: recovered %v in %v; want at once", res.Recovered, res.Recovery)
	}
	if _, _, res := stepped(t, cfg, st, nil, sim.Time(time.Hour), 240, 1000, nil); !res.Recovered || res.Recovery != 0 || res.TriggerEnd != 0 {
		t.Errorf("no outage: recovered %v in %v from %v; want at 0", res.Recovered, res.Recovery, res.TriggerEnd)
	}

	cfg.EstablishTimeout = model.Duration(3 * time.Hour) // no doomed retries: it recovers
	_, _, res := stepped(t, cfg, st, outage(157*time.Minute), sim.Time(9*time.Hour), 240, 1000, nil)
	at := res.TriggerEnd + res.Recovery
	if !res.Recovered || res.Recovery <= 0 {
		t.Fatalf("recovered %v in %v: the test needs a recovery after the outage", res.Recovered, res.Recovery)
	}
	if _, _, r := stepped(t, cfg, st, outage(157*time.Minute), at, 240, 1000, nil); !r.Recovered || r.TriggerEnd+r.Recovery != at {
		t.Errorf("run ending at the recovery instant %v: recovered %v at %v", at, r.Recovered, r.TriggerEnd+r.Recovery)
	}

	tr := []model.TriggerConfig{
		{Kind: model.DependencyOutage, Duration: model.Duration(30 * time.Minute)},
		{Kind: model.DependencyOutage, At: model.Duration(3 * time.Hour), Duration: model.Duration(90 * time.Minute)},
	}
	cfg.LeaseTTLMin, cfg.LeaseTTLMax = model.Duration(90*time.Minute), model.Duration(90*time.Minute)
	st.ServiceTime = model.MustParseDist("const(15s)")
	bound := sim.Time(cfg.DropletsPerHost) * work / sim.Time(st.Workers)
	end := sim.Time(4*time.Hour+30*time.Minute) + bound
	_, got, res := stepped(t, cfg, st, tr, end, 240, 1000, nil)
	if res.Ideal != bound || res.End != end || got[len(got)-1].Leased == cfg.Droplets {
		t.Fatalf("ideal %v (want %v), end %v (want %v), %d of %d leased at the end: the test needs a run short of recovery at the bound",
			res.Ideal, bound, res.End, end, got[len(got)-1].Leased, cfg.Droplets)
	}
	if res.Recovered || res.Undetermined {
		t.Errorf("run ending at the bound, not recovered: recovered %v, undetermined %v; want not recovered", res.Recovered, res.Undetermined)
	}
}

// TestRunRefusesEmptySpans: a horizon or interval of 0 is an error.
func TestRunRefusesEmptySpans(t *testing.T) {
	m := fixed(t, 10, 10, time.Hour, outage(time.Minute))
	for _, o := range []model.Options{{Horizon: 0, Interval: 1}, {Horizon: 1, Interval: 0}} {
		if _, err := m.Run(o); err == nil {
			t.Errorf("horizon %v, interval %v: no error", o.Horizon, o.Interval)
		}
	}
}
