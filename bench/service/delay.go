package service

import (
	"math/rand/v2"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// delayStation is a station without a queue ([service] delay_station): every
// attempt is served the moment it arrives, as if by its own server (an
// infinite-server or delay station). A service time is the base draw times
// the capacity cut's factor plus growth_per_busy per attempt in service,
// capped at max_service_time. Slots are reused; a completion's arg carries
// the slot and an epoch that a restart bumps.
type delayStation struct {
	p     *model.StationConfig
	eng   *sim.Engine
	done  sim.Kind
	rng   *rand.Rand
	slots []delaySlot
	free  []uint32
	busy  int
	slow  float64
	epoch uint32
}

type delaySlot struct {
	job   model.Job
	start sim.Time // -1: free
}

func newDelayStation(p *model.StationConfig, eng *sim.Engine, done sim.Kind, rng *rand.Rand) *delayStation {
	return &delayStation{p: p, eng: eng, done: done, rng: rng, slow: 1}
}

// start serves j from now.
func (d *delayStation) start(now sim.Time, j model.Job) {
	var k uint32
	if n := len(d.free); n > 0 {
		k = d.free[n-1]
		d.free = d.free[:n-1]
	} else {
		k = uint32(len(d.slots))
		d.slots = append(d.slots, delaySlot{})
	}
	d.slots[k] = delaySlot{job: j, start: now}
	d.busy++
	t := sim.Time(float64(d.p.ServiceTime.Sample(d.rng))*d.slow) + sim.Time(d.p.PerBusy)*sim.Time(d.busy)
	if d.p.MaxService > 0 && t > sim.Time(d.p.MaxService) {
		t = sim.Time(d.p.MaxService)
	}
	d.eng.At(now+t, d.done, uint64(d.epoch)<<32|uint64(k))
}

// finish decodes a completion: the job and its work; ok false for work a
// restart abandoned.
func (d *delayStation) finish(now sim.Time, arg uint64) (model.Job, sim.Time, bool) {
	if uint32(arg>>32) != d.epoch {
		return model.Job{}, 0, false
	}
	k := uint32(arg)
	sl := d.slots[k]
	d.slots[k].start = -1
	d.free = append(d.free, k)
	d.busy--
	return sl.job, now - sl.start, true
}

// restart drops every attempt in service, handing each to drop.
func (d *delayStation) restart(drop func(model.Job)) {
	for k := range d.slots {
		if d.slots[k].start >= 0 {
			drop(d.slots[k].job)
		}
	}
	d.epoch++
	d.busy = 0
	d.free = d.free[:0]
	for k := range d.slots {
		d.slots[k].start = -1
		d.free = append(d.free, uint32(k))
	}
}
