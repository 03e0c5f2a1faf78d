package cascade

import (
	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/sim"
)

// holdBack is netprop's input in the cascade: the stage's stream without
// the items of [from, until), which DWFM held back (they are counted in the
// surge released at until). It records the first item it passes at or
// after from.
type holdBack struct {
	in          netprop.Input
	from, until sim.Time
	first       sim.Time // -1 until an item at or after from passes
	// launches are the launches it passed before horizon, in offer order:
	// each becomes an NLB target at its launch, propagated or not.
	launches []sim.Time
	horizon  sim.Time
}

var _ netprop.Input = (*holdBack)(nil)

// Next returns the next item outside [from, until).
func (h *holdBack) Next() (netprop.Event, bool) {
	for {
		e, ok := h.in.Next()
		if !ok {
			return e, false
		}
		if e.At >= h.from && e.At < h.until {
			continue
		}
		if e.At >= h.from && h.first < 0 {
			h.first = e.At
		}
		if e.Launch && e.At < h.horizon {
			h.launches = append(h.launches, e.At)
		}
		return e, true
	}
}
