package service

import (
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// requestBytes is the heap one request in flight costs (its slot).
const requestBytes = 32

// Cost estimates a run of c over horizon before anything is built: the
// requests the schedule sends (a load spike adds factor−1 times the highest
// rate over its window), each with up to Attempts attempts that each fire
// about three events and, in a service that never drains, stay queued. c
// must be valid.
func (c Config) Cost(horizon model.Duration) model.Cost {
	end := sim.Time(horizon)
	steps := c.Clients.Steps()
	var requests, peak float64
	for i, s := range steps {
		to := end
		if i+1 < len(steps) {
			to = min(steps[i+1].From, end)
		}
		if to > s.From {
			requests += s.Rate * (to - s.From).Seconds()
		}
		peak = max(peak, s.Rate)
	}
	for _, t := range c.Triggers {
		if t.Kind == model.LoadSpike && t.Factor > 1 {
			requests += (t.Factor - 1) * peak * time.Duration(min(t.Duration, horizon)).Seconds()
		}
	}
	attempts := requests * float64(c.Clients.Attempts())
	return model.Cost{
		Events: requests + 3*attempts,
		Bytes:  attempts*model.JobBytes + min(requests, float64(maxInFlight))*requestBytes,
	}
}
