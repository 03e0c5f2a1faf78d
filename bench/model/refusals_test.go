package model

import (
	"testing"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/throttle"
)

// refuseAll is an admission control that never admits.
type refuseAll struct{}

func (refuseAll) Admit(time.Time, int) bool { return false }

// TestCountRefusals: a gate counts its client's and server's refusals apart,
// a station counts what its discipline refused (bounded) and dropped
// (deadline-drop), and a role without a control reads -1.
func TestCountRefusals(t *testing.T) {
	d, err := ParseDist("const(1s)")
	if err != nil {
		t.Fatal(err)
	}
	p := &StationConfig{Workers: 1, ServiceTime: d}
	eng := sim.New()
	done := eng.Register(sim.HandlerFunc(func(sim.Time, uint64) {}))
	station := func(c backlog.Config) *Station {
		q, err := backlog.New[Job](c, nil)
		if err != nil {
			t.Fatal(err)
		}
		return NewStation(p, Completions{Engine: eng, Kind: done}, sim.Stream(1, "t"), q)
	}

	bounded := station(backlog.Config{Kind: backlog.KindBounded, Capacity: 1})
	for i := 0; i < 4; i++ { // one in service, one queued, two refused
		bounded.Enqueue(0, Job{})
	}
	deadline := station(backlog.Config{Kind: backlog.KindDeadlineDrop, Timeout: time.Second})
	for i := 0; i < 4; i++ { // one in service, three queued
		deadline.Enqueue(0, NewJob(0, 0))
	}
	if _, _, ok := deadline.Finish(sim.Time(2*time.Second), uint64(0)); !ok { // the three are 2 s old: dropped
		t.Fatal("no completion")
	}

	client := NewGate(refuseAll{}, nil)
	server := NewGate(nil, refuseAll{})
	for i := 0; i < 3; i++ {
		client.Admit(time.Time{}, 0)
	}
	server.Admit(time.Time{}, 0)

	h := Hooks{Queue: backlog.Config{Kind: backlog.KindBounded, Capacity: 1},
		Client: func(int) throttle.Admitter { return refuseAll{} }, Admit: func(int) throttle.Admitter { return refuseAll{} }}
	got := CountRefusals(h, []Gate{client, server}, []*Station{bounded, deadline}, 0)
	if want := (Refusals{Admission: 1, Client: 3, Retry: -1, Queue: 2 + 3}); got != want {
		t.Errorf("CountRefusals = %+v, want %+v", got, want)
	}
	if got := CountRefusals(Hooks{}, []Gate{client}, []*Station{bounded}, 7); got != (Refusals{-1, -1, -1, -1}) {
		t.Errorf("no controls: %+v, want all -1", got)
	}
}
