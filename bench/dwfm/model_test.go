package dwfm

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// small is the us-east-1 host configuration on a 5-host fleet.
func small() (Section, model.StationConfig) {
	return Section{Droplets: 5000, DropletsPerHost: 1000, CheckInterval: model.Duration(3 * time.Minute),
			LeaseTTLMin: model.Duration(5 * time.Minute), LeaseTTLMax: model.Duration(156 * time.Minute), EstablishTimeout: model.Duration(30 * time.Minute)},
		model.StationConfig{Workers: 4, ServiceTime: model.MustParseDist("lognormal(15s,0.25)"), PerQueued: model.Duration(50 * time.Millisecond), MaxService: model.Duration(10 * time.Minute)}
}

func outage(d time.Duration) []model.TriggerConfig {
	return []model.TriggerConfig{{Kind: model.DependencyOutage, Duration: model.Duration(d)}}
}

func runModel(t *testing.T, cfg Section, st model.StationConfig, tr []model.TriggerConfig, hooks model.Hooks, horizon time.Duration, obs func(model.Sample)) model.Result {
	t.Helper()
	m, err := New(Config{DWFM: cfg, Service: st, Triggers: tr}, model.Env{Seed: 1, Hooks: hooks})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(model.Options{Horizon: sim.Time(horizon), Interval: sim.Time(time.Minute), Observe: obs})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestLeasesDecaySlowlyAcrossTheOutage: with TTLs uniform on [5m, 156m], the
// share of lapsed leases grows linearly through the outage, and every lease
// has lapsed by its end: the published "slowly time out" from 23:48 to 02:24.
func TestLeasesDecaySlowlyAcrossTheOutage(t *testing.T) {
	cfg, st := small()
	expired := map[time.Duration]int{}
	runModel(t, cfg, st, outage(157*time.Minute), model.Hooks{}, 157*time.Minute, func(s model.Sample) {
		expired[s.T.Duration()] = s.Expired
	})
	for _, at := range []time.Duration{30 * time.Minute, 80 * time.Minute, 130 * time.Minute} {
		// A lease lapses TTL after its last check, which precedes the outage by
		// up to one check interval: 1.5 min early on average.
		want := float64(at-5*time.Minute+90*time.Second) / float64(151*time.Minute) * float64(cfg.Droplets)
		if got := float64(expired[at]); math.Abs(got-want) > 0.05*float64(cfg.Droplets) {
			t.Errorf("at %v: %v leases lapsed, want about %.0f", at, got, want)
		}
	}
	if got := expired[157*time.Minute]; got != cfg.Droplets {
		t.Errorf("at the outage's end %d of %d leases lapsed, want all", got, cfg.Droplets)
	}
}

// TestShortOutageIsAbsorbedLongOneIsNot: the same lease manager with no
// throttle recovers by itself from a 20-minute outage (few leases lapse, the
// hosts work them off within the timeout) but not from the real 2h37m one.
func TestShortOutageIsAbsorbedLongOneIsNot(t *testing.T) {
	cfg, st := small()
	short := runModel(t, cfg, st, outage(20*time.Minute), model.Hooks{}, 6*time.Hour, nil)
	if !short.Recovered || short.Recovery > sim.Time(time.Hour) {
		t.Errorf("20 min outage: recovered=%v after %v, want recovery within an hour", short.Recovered, short.Recovery)
	}
	if short.WastedFraction > 0.05 {
		t.Errorf("20 min outage: wasted %.2f, want little waste", short.WastedFraction)
	}
	long := runModel(t, cfg, st, outage(157*time.Minute), model.Hooks{}, 14*time.Hour, nil)
	if long.Recovered {
		t.Errorf("2h37m outage: recovered after %v without intervention", long.Recovery)
	}
}

// TestRestartFailsAttemptsFastAndClearsTheCollapse: restarting every host
// mid-collapse drops the queued doomed work; with a throttle installed at the
// same time the fleet recovers.
func TestRestartFailsAttemptsFastAndClearsTheCollapse(t *testing.T) {
	cfg, st := small()
	at := sim.Time(4 * time.Hour)
	var dropped uint64
	res := runModel(t, cfg, st, outage(157*time.Minute), model.Hooks{Interventions: []model.Intervention{{At: at, Restart: true}}},
		14*time.Hour, func(s model.Sample) { dropped += s.Dropped })
	if dropped == 0 {
		t.Fatal("the restart dropped nothing")
	}
	// A restart without a throttle lets the surge rebuild the collapse.
	if res.Recovered {
		t.Errorf("restart alone recovered after %v; want the collapse rebuilt by the unthrottled surge", res.Recovery)
	}
}

func TestIdealIsTheSlowestHostsMakespan(t *testing.T) {
	cfg, st := small()
	res := runModel(t, cfg, st, outage(157*time.Minute), model.Hooks{}, 3*time.Hour, nil)
	// 1,000 droplets per host × 15 s ÷ 4 workers = 3,750 s on average, plus
	// at most one check interval of release spread. Each host's ΣS/c spreads
	// by about 30 s (σ); the slowest of these 5 hosts is above the mean.
	if lo, hi := 3750*time.Second, 3750*time.Second+3*time.Minute; res.Ideal < sim.Time(lo) || res.Ideal > sim.Time(hi) {
		t.Errorf("ideal %v, want within [%v, %v]", res.Ideal, lo, hi)
	}
}

func TestSectionValidate(t *testing.T) {
	cfg, _ := small()
	for name, mut := range map[string]func(*Section){
		"droplets":  func(c *Section) { c.Droplets = 0 },
		"per host":  func(c *Section) { c.DropletsPerHost = 0 },
		"ttl order": func(c *Section) { c.LeaseTTLMax = c.LeaseTTLMin - 1 },
		"timeout":   func(c *Section) { c.EstablishTimeout = 0 },
		"check":     func(c *Section) { c.CheckInterval = 0 },
	} {
		c := cfg
		mut(&c)
		if c.Validate() == nil {
			t.Errorf("%s: invalid config accepted", name)
		}
	}
}

// TestConfigValidate: a Config is its sections and triggers, each checked:
// the [dwfm] section, the station, and triggers that are dependency
// outages, none overlapping.
func TestConfigValidate(t *testing.T) {
	sec, st := small()
	ok := Config{DWFM: sec, Service: st, Triggers: outage(time.Hour)}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		edit func(*Config)
		want string
	}{
		"section": {func(c *Config) { c.DWFM.Droplets = 0 }, "dwfm: droplets 0"},
		"station": {func(c *Config) { c.Service.Workers = 0 }, "workers"},
		"kind": {func(c *Config) {
			c.Triggers = []model.TriggerConfig{{Kind: model.LoadSpike, Duration: model.Duration(time.Minute), Factor: 2}}
		}, "load-spike"},
		"overlap": {func(c *Config) {
			c.Triggers = append(outage(time.Hour), model.TriggerConfig{Kind: model.DependencyOutage, At: model.Duration(time.Minute), Duration: model.Duration(time.Minute)})
		}, "dwfm: dependency outages 1 and 2 overlap"},
	} {
		cfg := ok
		c.edit(&cfg)
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
		if _, nerr := New(cfg, model.Env{Seed: 1}); nerr == nil || err == nil || nerr.Error() != err.Error() {
			t.Errorf("%s: New says %v, Validate %v", name, nerr, err)
		}
	}
}
