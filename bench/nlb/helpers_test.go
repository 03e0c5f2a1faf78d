package nlb

import (
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/throttle"
)

// testConfig is the nlb preset at half its size (3 AZs of 50 targets, 300
// launches over 4 hours, checkers of half the capacity), failover off from
// 4h08m to 8h41m (09:36 to 14:09 on the preset's clock, which starts at
// 05:28).
func testConfig() (Section, model.StationConfig) {
	c := Section{Zones: 3, TargetsPerZone: 50, Launches: 300, LaunchAt: model.Duration(2 * time.Minute),
		LaunchOver: model.Duration(4 * time.Hour), LaunchWeights: []float64{3, 2, 1},
		Propagation: model.MustParseDist("lognormal(45m,0.5)"), ReachBefore: 0.7, PassiveCatch: 1, Load: 0.6,
		FlapWork: 50, FailoverWork: 1,
		FailoverOffAt: model.Duration(4*time.Hour + 8*time.Minute), FailoverOnAt: model.Duration(8*time.Hour + 41*time.Minute)}
	sp := model.StationConfig{Workers: 2, ServiceTime: model.MustParseDist("exp(250ms)")}
	return c, sp
}

const testHorizon = sim.Time(9 * time.Hour)

// velocity returns hooks with a velocity control that lets share of the
// capacity in service leave per window (AZ failover only).
func velocity(share float64, window time.Duration) model.Hooks {
	return model.Hooks{Velocity: func() *throttle.CapacityVelocity {
		v, err := throttle.NewCapacityVelocity(throttle.CapacityVelocityConfig{Share: share, Window: window})
		if err != nil {
			panic(err)
		}
		return v
	}}
}

// run runs c and returns the model, its result and its intervals.
func run(t *testing.T, c Section, sp model.StationConfig, seed uint64, h model.Hooks, horizon sim.Time) (*Model, model.Result, []Interval) {
	t.Helper()
	m, err := New(Config{NLB: c, Service: sp}, model.Env{Seed: seed, Hooks: h})
	if err != nil {
		t.Fatal(err)
	}
	var ivs []Interval
	m.OnInterval = func(iv Interval) { ivs = append(ivs, iv) }
	res, err := m.Run(model.Options{Horizon: horizon, Interval: sim.Time(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return m, res, ivs
}
