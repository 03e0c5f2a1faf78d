package model

import (
	"testing"
	"unsafe"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/sim"
)

// TestStationBuildsItsWorkersAtOnce: a station of many workers is sized in
// one step: building one of 32768 workers takes as many allocations as one
// of 2 (the station, its slots, its free list), not more per worker.
func TestStationBuildsItsWorkersAtOnce(t *testing.T) {
	eng, rng, q := sim.New(), sim.Stream(1, "t"), &backlog.FIFO[Job]{}
	allocs := func(workers int) float64 {
		p := &StationConfig{Workers: workers, ServiceTime: Dist{Constant{sim.Time(1e6)}}}
		return testing.AllocsPerRun(10, func() { NewStation(p, Completions{Engine: eng}, rng, q) })
	}
	if few, many := allocs(2), allocs(1<<15); many > few {
		t.Fatalf("a station of 32768 workers takes %v allocations to build, one of 2 takes %v: want no more", many, few)
	}
}

// TestStationRestartDropsExactlyTheBusyWork fills some workers, restarts, and
// checks that the queue and every busy worker's job are dropped once, idle
// workers' stale slots not at all, and all workers are free again.
func TestStationRestartDropsExactlyTheBusyWork(t *testing.T) {
	p := &StationConfig{Workers: 8, ServiceTime: Dist{Constant{sim.Time(1e6)}}}
	eng := sim.New()
	var finished []Job
	var st *Station
	k := eng.Register(sim.HandlerFunc(func(now sim.Time, arg uint64) {
		if j, _, ok := st.Finish(now, arg); ok {
			finished = append(finished, j)
		}
	}))
	st = NewStation(p, Completions{Engine: eng, Kind: k}, sim.Stream(1, "t"), &backlog.FIFO[Job]{})
	for i := range 3 { // three jobs finish, leaving their slots idle
		st.Enqueue(0, NewJob(0, uint32(100+i)))
	}
	eng.RunUntil(sim.Time(2e6))
	for i := range 12 { // 8 busy, 4 queued
		st.Enqueue(sim.Time(2e6), NewJob(sim.Time(2e6), uint32(i)))
	}
	seen := map[uint32]int{}
	n := st.Restart(sim.Time(2e6), func(j Job) { seen[j.Client]++ })
	if n != 12 || len(seen) != 12 {
		t.Fatalf("restart dropped %d (%d distinct), want 12", n, len(seen))
	}
	for c, k := range seen {
		if c >= 12 || k != 1 {
			t.Fatalf("client %d dropped %d times", c, k)
		}
	}
	if len(finished) != 3 || st.busy != 0 || len(st.free) != p.Workers {
		t.Fatalf("after restart: %d finished, %d busy, %d free; want 3, 0, %d", len(finished), st.busy, len(st.free), p.Workers)
	}
}

// TestJobPacks: a Job is 12 bytes and keeps its instant exactly.
func TestJobPacks(t *testing.T) {
	if n := unsafe.Sizeof(Job{}); n != 12 {
		t.Fatalf("Job is %d bytes, want 12", n)
	}
	for _, at := range []sim.Time{0, 1, 1<<32 - 1, 1 << 32, 52320e9 + 123, sim.Never - 1} {
		if j := NewJob(at, 7); j.Queued() != at || j.Client != 7 || !j.QueuedAt().Equal(queueTime(at)) {
			t.Fatalf("NewJob(%d, 7) = %+v: Queued %d, Client %d", at, j, j.Queued(), j.Client)
		}
	}
}
