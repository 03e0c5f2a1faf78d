package cascade

import (
	"fmt"
	"testing"

	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/sim"
)

// TestHoldBack: the input drops exactly the items of [from, until) and
// records the first it passes at or after from.
func TestHoldBack(t *testing.T) {
	at := []sim.Time{0, 5, 10, 15, 20, 25}
	var evs []netprop.Event
	for _, a := range at {
		evs = append(evs, netprop.Event{At: a})
	}
	h := &holdBack{in: &slice{evs: evs}, from: 5, until: 20, first: -1}
	var got []sim.Time
	for e, ok := h.Next(); ok; e, ok = h.Next() {
		got = append(got, e.At)
	}
	if fmt.Sprint(got) != "[0s 20ns 25ns]" || h.first != 20 {
		t.Fatalf("passed %v, first %v; want [0 20 25], 20", got, h.first)
	}
}

type slice struct{ evs []netprop.Event }

func (s *slice) Next() (netprop.Event, bool) {
	if len(s.evs) == 0 {
		return netprop.Event{}, false
	}
	e := s.evs[0]
	s.evs = s.evs[1:]
	return e, true
}
