package model

import (
	"testing"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/sim"
)

// TestStationWorkIsTheClientsOwn: with SetWork, every attempt of a client
// costs its own work; backlog growth only adds to it, and the cap on a grown
// time never cuts below it.
func TestStationWorkIsTheClientsOwn(t *testing.T) {
	const ms = sim.Time(1e6)
	p := &StationConfig{Workers: 1, ServiceTime: Dist{Exponential{10 * ms}}, PerQueued: Duration(ms), MaxService: Duration(25 * ms)}
	eng := sim.New()
	took := map[uint32][]sim.Time{}
	var st *Station
	k := eng.Register(sim.HandlerFunc(func(now sim.Time, arg uint64) {
		if j, d, ok := st.Finish(now, arg); ok {
			took[j.Client] = append(took[j.Client], d)
		}
	}))
	st = NewStation(p, Completions{Engine: eng, Kind: k}, sim.Stream(1, "t"), &backlog.FIFO[Job]{})
	work := map[uint32]sim.Time{1: 10 * ms, 2: 30 * ms} // client 2's work is above the cap
	st.SetWork(func(c uint32) sim.Time { return work[c] })
	for round := range 2 { // alone, then behind a queue of 3
		at := sim.Time(round) * sim.Time(1e9)
		eng.RunUntil(at)
		for i := range 4 {
			st.Enqueue(at, NewJob(at+sim.Time(i), uint32(1+i%2)))
		}
	}
	eng.RunUntil(sim.Time(3e9))
	for c, ds := range took {
		for _, d := range ds {
			if d < work[c] {
				t.Errorf("client %d: an attempt took %v, below its work %v", c, d, work[c])
			}
			if c == 2 && d != work[c] {
				t.Errorf("client 2: an attempt took %v; above the cap it costs its work %v exactly", d, work[c])
			}
		}
	}
	if len(took[1]) != 4 || len(took[2]) != 4 {
		t.Fatalf("%d and %d attempts finished, want 4 each", len(took[1]), len(took[2]))
	}
	grown := false
	for _, d := range took[1] {
		grown = grown || d > work[1]
	}
	if took[1][0] != work[1] || !grown { // the first started with an empty queue
		t.Fatalf("client 1's attempts took %v: want its work %v for the first, more for some behind a queue", took[1], work[1])
	}
}
