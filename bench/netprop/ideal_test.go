package netprop

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/throttle"
)

// Property: over random inputs, stations and policies, no run that
// recovers beats the ideal.
func TestIdealNeverBeaten(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	horizon := sim.Time(2 * time.Hour)
	var recovered, positive int
	best := 1e9
	for i := range 8 {
		c := Section{BaseRate: r.Float64() * 0.5, Surge: 1000 + r.IntN(4000), SurgeAt: model.Duration(r.Int64N(int64(30 * time.Minute))),
			SurgeOver: model.Duration(r.Int64N(int64(2 * time.Minute))), LaunchShare: 0.5,
			Normal: model.Duration(int64(10*time.Second) + r.Int64N(int64(time.Minute))), RetryAfter: model.Duration(int64(10*time.Second) + r.Int64N(int64(time.Minute)))}
		sp := model.StationConfig{Workers: 1 + r.IntN(8), ServiceTime: model.MustParseDist("exp(500ms)"),
			PerQueued: model.Duration(r.Int64N(int64(time.Millisecond))), MaxService: model.Duration(5 * time.Second)}
		rate := float64(sp.Workers) * 2
		policies := []model.Hooks{{}, queueSize(2 * sp.Workers),
			{Queue: backlog.Config{Kind: backlog.KindLIFO}},
			{Queue: backlog.Config{Kind: backlog.KindDeadlineDrop, Timeout: time.Duration(c.Normal)}},
			{Admit: func(int) throttle.Admitter {
				b, err := throttle.NewTokenBucket(throttle.TokenBucketConfig{Rate: rate, Burst: sp.Workers})
				if err != nil {
					panic(err)
				}
				return b
			}}}
		for k, h := range policies {
			m, err := New(Config{NetProp: c, Service: sp}, model.Env{Seed: uint64(i + 1), Horizon: horizon, Hooks: h})
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.Run(model.Options{Horizon: horizon, Interval: sim.Time(time.Minute)})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Recovered {
				continue
			}
			recovered++
			if res.Recovery < res.Ideal {
				t.Fatalf("case %d policy %d (%+v, %+v): recovery %v beats the ideal %v", i, k, c, sp, res.Recovery, res.Ideal)
			}
			if res.Ideal > 0 {
				positive++
				best = min(best, float64(res.Recovery)/float64(res.Ideal))
			}
		}
	}
	if recovered < 20 || positive < 10 {
		t.Fatalf("%d runs recovered, %d with a positive ideal: the property was barely exercised", recovered, positive)
	}
	t.Logf("%d runs recovered, %d with a positive ideal, least ratio %.3f", recovered, positive, best)
}
