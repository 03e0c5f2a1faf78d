package predict

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/service"
	"github.com/aftershock/aftershock/bench/sim"
	"gonum.org/v1/gonum/stat/distuv"
)

// serviceOf is the generic service model configured as c describes: the
// simulator the chain is compared with.
func serviceOf(c ChainConfig, triggers []model.TriggerConfig) service.Config {
	sec := func(s float64) model.Duration { return model.Duration(math.Round(s * 1e9)) }
	cl := service.ClientConfig{Rate: c.Lambda, Timeout: sec(c.Timeout), MaxAttempts: c.Attempts, OrbitCap: c.Orbit}
	if c.Attempts > 1 {
		cl.RetryDelay = model.MustParseDist(fmt.Sprintf("exp(%v)", time.Duration(sec(c.RetryDelay))))
	}
	return service.Config{
		Clients:  cl,
		Service:  model.StationConfig{Workers: c.Workers, ServiceTime: model.MustParseDist(fmt.Sprintf("exp(%v)", time.Duration(sec(1/c.Mu)))), QueueCapacity: c.Queue},
		Triggers: triggers,
	}
}

var errNotFull = errors.New("the spike left the station short of full")

// simStationMean is the simulator's time-averaged station length (queued
// plus in service) over [warm, horizon), sampled every 10 ms from empty.
func simStationMean(c ChainConfig, seed uint64, warm, horizon time.Duration) (float64, error) {
	m, err := service.New(serviceOf(c, nil), model.Env{Seed: seed})
	if err != nil {
		return 0, err
	}
	var sum float64
	var k int
	_, err = m.Run(model.Options{Horizon: sim.Time(horizon), Interval: sim.Time(10 * time.Millisecond), Observe: func(s model.Sample) {
		if s.T > sim.Time(warm) {
			sum += float64(s.Queue + s.InService)
			k++
		}
	}})
	return sum / float64(k), err
}

// simDrain fills the station with a load spike (×factor for spike) and
// returns the time from the spike's end to the first 1 ms sample with an
// empty station; ok is false when none came by the horizon. A run whose
// station is below 95% of full at the spike's end is not a drain from full:
// errNotFull.
func simDrain(c ChainConfig, seed uint64, spike time.Duration, factor float64, horizon time.Duration) (drain float64, ok bool, err error) {
	at := model.Duration(time.Second)
	tr := []model.TriggerConfig{{Kind: model.LoadSpike, At: at, Duration: model.Duration(spike), Factor: factor}}
	m, err := service.New(serviceOf(c, tr), model.Env{Seed: seed})
	if err != nil {
		return 0, false, err
	}
	end := sim.Time(at) + sim.Time(spike)
	hit := sim.Time(-1)
	full := false
	last := 0
	_, err = m.Run(model.Options{Horizon: end + sim.Time(horizon), Interval: sim.Time(time.Millisecond),
		Observe: func(s model.Sample) {
			if s.T == end {
				full = float64(s.Queue+s.InService) >= 0.95*float64(c.Queue+c.Workers)
				last = s.Queue + s.InService
			}
			if s.T > end && hit < 0 && s.Queue+s.InService == 0 {
				hit = s.T
			}
		},
		Stop: func() bool { return hit >= 0 }})
	if err != nil {
		return 0, false, err
	}
	if !full {
		return 0, false, fmt.Errorf("%w (%d)", errNotFull, last)
	}
	if hit < 0 {
		return 0, false, nil
	}
	return (hit - end).Duration().Seconds(), true, nil
}

// meanCI is the mean of xs and its 95% interval (Student t, n−1 degrees of
// freedom).
func meanCI(xs []float64) (m, lo, hi float64) {
	n := float64(len(xs))
	for _, x := range xs {
		m += x
	}
	m /= n
	if len(xs) < 2 {
		return m, m, m
	}
	var v float64
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	v /= n - 1
	h := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(0.975) * math.Sqrt(v/n)
	return m, m - h, m + h
}
