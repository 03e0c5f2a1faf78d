package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/sim"
)

// StationConfig is the [service] section of a scenario file: one station
// (one DWFM host). It is decoded, validated and used as is.
type StationConfig struct {
	Workers     int      `toml:"workers"`
	ServiceTime Dist     `toml:"service_time"`      // base service time
	PerBusy     Duration `toml:"growth_per_busy"`   // added to each service time per busy worker (concurrency growth)
	PerQueued   Duration `toml:"growth_per_queued"` // added per queued attempt when service starts (backlog growth)
	MaxService  Duration `toml:"max_service_time"`  // cap on a grown service time; 0: no cap (and no growth)
	// QueueCapacity caps the attempts waiting; one that finds the queue full
	// is rejected at once (a fast failure). 0: no cap. Generic model only.
	QueueCapacity int `toml:"queue_capacity"`
	// Delay makes the station a delay station: no queue, every attempt is
	// served at once (infinite servers, Workers unset). Generic model only.
	Delay bool `toml:"delay_station"`
}

// Limits that keep a grown service time, workers × per-busy growth plus a
// queue of up to 2^32 attempts × per-queued growth, inside sim.Time.
const (
	MaxWorkers   = 1 << 15
	MaxPerBusy   = Duration(time.Hour)
	MaxPerQueued = Duration(time.Second)
	MaxQueueCap  = 1 << 30
)

// Validate checks c's ranges.
func (c StationConfig) Validate() error {
	switch {
	case c.Delay && c.Workers != 0:
		return fmt.Errorf("model: delay_station with workers %d: a delay station serves every attempt at once; remove workers", c.Workers)
	case c.Delay && (c.QueueCapacity != 0 || c.PerQueued != 0):
		return fmt.Errorf("model: delay_station has no queue: queue_capacity %d and growth_per_queued %v must be unset", c.QueueCapacity, c.PerQueued)
	case !c.Delay && (c.Workers < 1 || c.Workers > MaxWorkers):
		return fmt.Errorf("model: workers %d outside 1..%d", c.Workers, MaxWorkers)
	case c.QueueCapacity < 0 || c.QueueCapacity > MaxQueueCap:
		return fmt.Errorf("model: queue_capacity %d outside 0..%d", c.QueueCapacity, MaxQueueCap)
	}
	if c.ServiceTime.Law == nil {
		return fmt.Errorf("model: service_time missing (e.g. \"exp(10ms)\")")
	}
	for _, err := range []error{
		InRange("growth_per_busy", c.PerBusy, 0, MaxPerBusy),
		InRange("growth_per_queued", c.PerQueued, 0, MaxPerQueued),
		InRange("max_service_time", c.MaxService, 0, MaxSpan),
	} {
		if err != nil {
			return fmt.Errorf("model: %w", err)
		}
	}
	if mean := c.ServiceTime.Mean(); c.MaxService > 0 && sim.Time(c.MaxService) < mean {
		return fmt.Errorf("model: max_service_time %v below the mean service time %v", c.MaxService, mean)
	}
	if (c.PerBusy > 0 || c.PerQueued > 0) && c.MaxService == 0 {
		return fmt.Errorf("model: growth (growth_per_busy %v, growth_per_queued %v) without max_service_time: a grown service time needs a cap", c.PerBusy, c.PerQueued)
	}
	return nil
}

// Capacity is the nominal completions per second: workers over mean base
// service time, without growth (+Inf for a delay station).
func (c StationConfig) Capacity() float64 {
	if c.Delay {
		return math.Inf(1)
	}
	return float64(c.Workers) / c.ServiceTime.Mean().Seconds()
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

// QueuedAt makes a Job a backlog.Timed item: its virtual stamp on the
// queues' fixed epoch (see queueTime).
func (j Job) QueuedAt() time.Time { return queueTime(j.Queued()) }

// queueTime is virtual time t on the clock a station hands its queue: t
// after the Unix epoch. A queue discipline compares only differences, so any
// fixed epoch serves, and converting costs no memory per job and no
// allocation. (The models hand admission controls a different clock, the
// scenario's start plus t; the two never meet.)
func queueTime(t sim.Time) time.Time { return time.Unix(0, int64(t)) }

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
	p       *StationConfig
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
	epoch   uint16                       // bumped by Restart: completions of abandoned work are ignored
	dropped uint64                       // attempts the discipline dropped or refused (not a restart's), for CountRefusals
	work    func(client uint32) sim.Time // nil: base service times come from rng; see SetWork
}

// Completions say where a station schedules its completions: on Engine,
// under the Kind its owner registered, with the station's number ID (which
// must fit in 24 bits) in each completion's Arg (StationOf decodes it).
type Completions struct {
	Engine *sim.Engine
	Kind   sim.Kind
	ID     uint32
}

// NewStation returns an idle station serving queue, its completions
// scheduled as done says, its service times drawn from rng (unless
// SetWork); p must be valid.
func NewStation(p *StationConfig, done Completions, rng *rand.Rand, queue backlog.Queue[Job]) *Station {
	s := &Station{p: p, id: done.ID, eng: done.Engine, done: done.Kind, rng: rng, queue: queue, queued: queue.Len(), workers: p.Workers, slow: 1}
	s.grow(p.Workers)
	return s
}

// SetWork makes every job's base service time its client's own work, work(client),
// instead of a fresh draw from the station's stream: each attempt of a client
// then costs the same base, and growth, a slowdown and the cap on a grown time
// only ever add to it (a grown time is capped at max(base, MaxService)). A model
// whose bound counts each client's work once needs this (package dwfm).
func (s *Station) SetWork(work func(client uint32) sim.Time) { s.work = work }

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

// Busy is the number of attempts in service.
func (s *Station) Busy() int { return s.busy }

// Queued is the number of attempts waiting. (A discipline's drop function,
// called inside the station's calls on its queue, sees the count from before
// the call.)
func (s *Station) Queued() int { return s.queued }

// Holding is the attempts the station holds: queued or in service.
func (s *Station) Holding() int { return s.queued + s.busy }

// Enqueue queues j and starts work if a worker is free. false: the queue
// refused j (bounded).
func (s *Station) Enqueue(now sim.Time, j Job) bool {
	ok := s.queue.Push(queueTime(now), j)
	s.queued = s.queue.Len()
	if !ok {
		s.dropped++
		return false
	}
	s.start(now)
	return true
}

func (s *Station) start(now sim.Time) {
	for s.busy < s.workers && s.queued > 0 {
		n := s.queued
		j, ok := s.queue.Pop(queueTime(now))
		s.queued = s.queue.Len()
		if !ok {
			s.dropped += uint64(n) // the discipline dropped what was left
			return
		}
		s.dropped += uint64(n - 1 - s.queued)
		k := s.free[len(s.free)-1]
		s.free = s.free[:len(s.free)-1]
		s.slots[k] = slot{job: j, start: now}
		s.busy++
		var base sim.Time
		if s.work != nil {
			base = s.work(j.Client)
		} else if e, ok := s.p.ServiceTime.Law.(Exponential); ok { // the common case, without the interface call
			base = e.Sample(s.rng)
		} else {
			base = s.p.ServiceTime.Sample(s.rng)
		}
		d := sim.Time(float64(base)*s.slow) +
			sim.Time(s.p.PerBusy)*sim.Time(s.busy) + sim.Time(s.p.PerQueued)*sim.Time(s.queued)
		if s.p.MaxService > 0 && d > sim.Time(s.p.MaxService) {
			d = sim.Time(s.p.MaxService)
		}
		if s.work != nil && d < base {
			d = base
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
