package service

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/sim"
)

// StationConfig is the [service] section of a scenario file.
type StationConfig struct {
	Workers     int           `scn:"workers,positive"`
	ServiceTime string        `scn:"service_time"`
	PerBusy     time.Duration `scn:"growth_per_busy,nonneg"`   // added to each service time per busy worker (concurrency growth)
	PerQueued   time.Duration `scn:"growth_per_queued,nonneg"` // added per queued attempt when service starts (backlog growth)
	MaxService  time.Duration `scn:"max_service_time,nonneg"`  // cap on a grown service time; 0: no cap
}

// StationParams is a validated StationConfig.
type StationParams struct {
	Workers    int
	Dist       Dist
	PerBusy    sim.Time
	PerQueued  sim.Time
	MaxService sim.Time
}

// Params validates c.
func (c StationConfig) Params() (StationParams, error) {
	if c.Workers < 1 || c.Workers > 1<<15 {
		return StationParams{}, fmt.Errorf("service: workers %d outside 1..32768", c.Workers)
	}
	d, err := ParseDist(c.ServiceTime)
	if err != nil {
		return StationParams{}, err
	}
	if c.MaxService > 0 && sim.Time(c.MaxService) < d.Mean() {
		return StationParams{}, fmt.Errorf("service: max_service_time %v below the mean service time %v", c.MaxService, d.Mean())
	}
	return StationParams{c.Workers, d, sim.Time(c.PerBusy), sim.Time(c.PerQueued), sim.Time(c.MaxService)}, nil
}

// Capacity is the nominal completions per second: workers over mean base
// service time, without growth.
func (p StationParams) Capacity() float64 {
	return float64(p.Workers) / p.Dist.Mean().Seconds()
}

// Job is one queued attempt: its client and the instant it was queued. The
// pair identifies the attempt to its owner, which keeps the queueing instant
// of each client's live attempt and compares it to tell live work from stale:
// a client queues at most one attempt at any instant, so its attempts'
// instants all differ.
//
// A collapsed service holds tens of stale attempts per client, most of a run's
// memory, so a Job packs into 12 bytes (the instant split in two 32-bit
// halves, keeping the alignment at 4): 16 with a plain sim.Time field.
type Job struct {
	Client uint32
	at     [2]uint32 // the queueing instant, low half first
}

// NewJob is client's attempt queued at queued.
func NewJob(queued sim.Time, client uint32) Job {
	return Job{Client: client, at: [2]uint32{uint32(queued), uint32(uint64(queued) >> 32)}}
}

// Queued is the instant j was queued.
func (j Job) Queued() sim.Time { return sim.Time(uint64(j.at[0]) | uint64(j.at[1])<<32) }

// QueuedAt makes a Job a backlog.Timed item.
func (j Job) QueuedAt() time.Duration { return time.Duration(j.Queued()) }

var _ backlog.Timed = Job{}

type slot struct {
	job   Job
	start sim.Time // when its work started; idle (-1) when the worker is free
}

const idle sim.Time = -1

// Station is a service: a queue (any backlog discipline) in front of Workers. It schedules its own
// completions on the engine under the Kind its owner registered, with an Arg
// that Finish decodes. A Station belongs to one goroutine.
type Station struct {
	p       *StationParams
	id      uint32
	eng     *sim.Engine
	done    sim.Kind
	rng     *rand.Rand
	queue   backlog.Queue[Job]
	queued  int // queue.Len() as of the station's last call on queue (read on every attempt: kept at hand)
	slots   []slot
	free    []uint16
	workers int     // current worker limit (capacity cuts lower it)
	slow    float64 // service-time multiplier (capacity cuts raise it)
	busy    int
	epoch   uint16 // bumped by Restart: completions of abandoned work are ignored
}

// NewStation returns an idle station serving queue. id must fit in 24 bits.
func NewStation(p *StationParams, id uint32, eng *sim.Engine, done sim.Kind, rng *rand.Rand, queue backlog.Queue[Job]) *Station {
	s := &Station{p: p, id: id, eng: eng, done: done, rng: rng, queue: queue, queued: queue.Len(), workers: p.Workers, slow: 1}
	s.grow(p.Workers)
	return s
}

// grow makes room for n workers: both slices are sized once, not appended to
// one worker at a time.
func (s *Station) grow(n int) {
	k := len(s.slots)
	if n <= k {
		return
	}
	slots := make([]slot, n)
	copy(slots, s.slots)
	s.slots = slots
	free := make([]uint16, len(s.free), n)
	copy(free, s.free)
	s.free = free
	for i := k; i < n; i++ {
		s.slots[i].start = idle
		s.free = append(s.free, uint16(i))
	}
}

// Queued is the number of attempts waiting. (A discipline's drop function,
// called inside the station's calls on its queue, sees the count from before
// the call.)
func (s *Station) Queued() int { return s.queued }

// Enqueue queues j and starts work if a worker is free. false: the queue
// refused j (bounded).
func (s *Station) Enqueue(now sim.Time, j Job) bool {
	ok := s.queue.Push(time.Duration(now), j)
	s.queued = s.queue.Len()
	if !ok {
		return false
	}
	s.start(now)
	return true
}

func (s *Station) start(now sim.Time) {
	for s.busy < s.workers && s.queued > 0 {
		j, ok := s.queue.Pop(time.Duration(now))
		s.queued = s.queue.Len()
		if !ok {
			return // the discipline dropped what was left
		}
		k := s.free[len(s.free)-1]
		s.free = s.free[:len(s.free)-1]
		s.slots[k] = slot{job: j, start: now}
		s.busy++
		var base sim.Time
		if e, ok := s.p.Dist.(Exponential); ok { // the common case, without the interface call
			base = e.Sample(s.rng)
		} else {
			base = s.p.Dist.Sample(s.rng)
		}
		d := sim.Time(float64(base)*s.slow) +
			s.p.PerBusy*sim.Time(s.busy) + s.p.PerQueued*sim.Time(s.queued)
		if s.p.MaxService > 0 && d > s.p.MaxService {
			d = s.p.MaxService
		}
		s.eng.At(now+d, s.done, uint64(s.id)<<32|uint64(s.epoch)<<16|uint64(k))
	}
}

// Finish handles a completion event's arg. ok is false for the completion of
// work abandoned by a restart. Otherwise it returns the finished job and the
// service time it took, and starts the next queued job.
func (s *Station) Finish(now sim.Time, arg uint64) (j Job, service sim.Time, ok bool) {
	if uint16(arg>>16) != s.epoch {
		return Job{}, 0, false
	}
	k := uint16(arg)
	sl := s.slots[k]
	s.slots[k].start = idle
	s.free = append(s.free, k)
	s.busy--
	s.start(now)
	return sl.job, now - sl.start, true
}

// StationOf decodes the station id from a completion arg.
func StationOf(arg uint64) uint32 { return uint32(arg >> 32) }

// Restart models a process restart: the queue and the work in service are
// dropped unworked, each handed to drop, and service starts afresh. It
// returns how many attempts were dropped.
func (s *Station) Restart(now sim.Time, drop func(Job)) int {
	n := s.queue.Len() + s.busy
	s.queue.Drain(drop)
	s.queued = s.queue.Len()
	for k := range s.slots {
		if s.slots[k].start != idle && drop != nil {
			drop(s.slots[k].job)
		}
	}
	s.epoch++
	s.busy = 0
	s.free = s.free[:0]
	for k := range s.slots {
		s.slots[k].start = idle
		s.free = append(s.free, uint16(k))
	}
	return n
}

// SetCapacity sets the current worker count and service-time multiplier (a
// capacity cut, or its end) and starts queued work if workers were added.
func (s *Station) SetCapacity(now sim.Time, workers int, slow float64) {
	s.workers, s.slow = workers, slow
	s.grow(workers)
	s.start(now)
}
