package dwfm

import (
	"errors"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// TestRecoveryIsForGood: with checks an hour apart and a one-minute outage,
// leases keep lapsing for up to an hour after the dependency returns, and
// small hosts (five droplets) are fully leased again between lapses. The
// recovery instant must follow the last instant any droplet was unleased
// (read from one-second samples, apart from the measure), never the first
// instant every host was full; and the ratio to the bound is at least 1.
// The cases must show the trap: every host full at some sample after the
// outage, then a droplet unleased again.
func TestRecoveryIsForGood(t *testing.T) {
	cfg, st := small()
	cfg.Droplets, cfg.DropletsPerHost, cfg.CheckInterval = 20, 5, model.Duration(time.Hour)
	trapped := 0
	for seed := uint64(1); seed <= 8; seed++ {
		for _, d := range []time.Duration{time.Minute, 5 * time.Minute} {
			m, err := New(Config{DWFM: cfg, Service: st, Triggers: outage(d)}, model.Env{Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			var lastShort sim.Time = -1
			fullAfterOutage := false
			res, err := m.Run(model.Options{Horizon: sim.Time(6 * time.Hour), Interval: sim.Time(time.Second), Observe: func(s model.Sample) {
				if s.Leased < cfg.Droplets {
					lastShort = s.T
					if fullAfterOutage {
						trapped++
						fullAfterOutage = false
					}
				} else if s.T > sim.Time(d) && lastShort >= 0 {
					fullAfterOutage = true
				}
			}})
			if err != nil {
				t.Fatalf("seed %d, outage %v: %v", seed, d, err)
			}
			if !res.Recovered {
				t.Fatalf("seed %d, outage %v: not recovered in 6 h", seed, d)
			}
			if at := res.TriggerEnd + res.Recovery; at <= lastShort {
				t.Errorf("seed %d, outage %v: recovered at %v, but a droplet was unleased at %v", seed, d, at, lastShort)
			}
			if res.Recovery < res.Ideal {
				t.Errorf("seed %d, outage %v: recovery %v beats the bound %v", seed, d, res.Recovery, res.Ideal)
			}
		}
	}
	if trapped == 0 {
		t.Fatal("no case had every host full after the outage and then a lapse: the test does not exercise the trap")
	}
}

// TestCheckCatchesAnEarlyRecovery: the run-end check compares the measure
// with the droplets' own record: a recovery before the last lapse, or with a
// droplet unleased at the end, is a violation naming the invariant.
func TestCheckCatchesAnEarlyRecovery(t *testing.T) {
	cfg, st := small()
	cfg.Droplets, cfg.DropletsPerHost = 10, 5
	m, err := New(Config{DWFM: cfg, Service: st, Triggers: outage(time.Minute)}, model.Env{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	res := model.Result{Recovered: true, TriggerEnd: sim.Time(time.Minute), Recovery: sim.Time(time.Minute)}
	m.lastLapse = res.TriggerEnd + res.Recovery // the last lapse at the recovery instant: sound
	if err := m.check(res, 10); err != nil {
		t.Fatalf("sound: %v", err)
	}
	for _, c := range []struct {
		lapse  sim.Time
		leased int
	}{{res.TriggerEnd + res.Recovery + 1, 10}, {0, 9}} {
		m.lastLapse = c.lapse
		var v *model.Violation
		if err := m.check(res, c.leased); !errors.As(err, &v) || v.Invariant != InvariantForGood {
			t.Errorf("last lapse %v, %d of 10 leased at the end: %v, want the for-good violation", c.lapse, c.leased, err)
		}
	}
}

// TestBoundSeesOnlyTheRun: leases that would lapse after the horizon are
// not in the bound (the run never sees them lapse: it recovers at once), and
// a run that ends before any policy could recover is undetermined, not
// "never".
func TestBoundSeesOnlyTheRun(t *testing.T) {
	cfg, st := small()
	cfg.Droplets, cfg.DropletsPerHost = 200, 50
	cfg.CheckInterval = model.Duration(10 * time.Minute)
	cfg.LeaseTTLMin, cfg.LeaseTTLMax = model.Duration(15*time.Minute), model.Duration(19*time.Minute)
	// Every lease outlives a 4-minute run: nothing lapses in it.
	res := runModel(t, cfg, st, outage(time.Minute), model.Hooks{}, 4*time.Minute, nil)
	if !res.Recovered || res.Recovery != 0 || res.Ideal != 0 {
		t.Errorf("no lapse within the run: recovered %t after %v, ideal %v; want at once, ideal 0", res.Recovered, res.Recovery, res.Ideal)
	}
	// Leases lapse within a 25-minute run; one that ends 5 minutes after a
	// 15-minute outage is shorter than the bound.
	cfg.LeaseTTLMin, cfg.LeaseTTLMax = model.Duration(5*time.Minute), model.Duration(9*time.Minute)
	short := runModel(t, cfg, st, outage(15*time.Minute), model.Hooks{}, 20*time.Minute, nil)
	if short.Recovered || !short.Undetermined || short.Ideal <= 5*sim.Time(time.Minute) {
		t.Errorf("a run ending 5 min after the outage, bound %v: recovered %t, undetermined %t; want undetermined", short.Ideal, short.Recovered, short.Undetermined)
	}
	long := runModel(t, cfg, st, outage(15*time.Minute), model.Hooks{}, 6*time.Hour, nil)
	if !long.Recovered || long.Ideal != short.Ideal {
		t.Errorf("the same run to 6 h: recovered %t, ideal %v (short run's %v); want recovered, the same bound", long.Recovered, long.Ideal, short.Ideal)
	}
}
