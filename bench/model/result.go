package model

import (
	"math"

	"github.com/aftershock/aftershock/bench/sim"
)

// Result is what a run measured, the fields of summary.csv that come from the
// model. Times are virtual.
type Result struct {
	TriggerEnd     sim.Time
	Recovered      bool
	Recovery       sim.Time // from TriggerEnd; meaningful when Recovered
	Undefined      bool     // recovery is not defined (a generic run without a trigger)
	Undetermined   bool     // the run gave too little evidence to judge recovery; Recovered is false
	Ideal          sim.Time // the bound; -1 when there is none
	PeakQueue      int
	WastedFraction float64
	Amplification  float64    // attempts per unique request; NaN when there was none
	Sojourn        [4]float64 // mean, p50, p99, p999 in seconds (NaN: none)
	Events         uint64
	Interrupted    bool // stopped before the horizon
	End            sim.Time
	Totals         Counts
	InFlight       uint64   // attempts still queued, in service or travelling at End
	Refusals       Refusals // per role; see CountRefusals
}

// RecoveryRatio is Recovery/Ideal, NaN when either is unknown.
func (r Result) RecoveryRatio() float64 {
	if !r.Recovered || r.Ideal <= 0 {
		return math.NaN()
	}
	return float64(r.Recovery) / float64(r.Ideal)
}

// Finish fills the meter-derived fields.
func (r *Result) Finish(m *Meter, requests uint64) {
	r.PeakQueue = m.PeakQueue
	r.WastedFraction = m.WastedFraction()
	r.Totals = m.Total
	r.Amplification = math.NaN()
	if requests > 0 {
		r.Amplification = float64(m.Total.Attempts) / float64(requests)
	}
	mean, p50, p99, p999 := m.Sojourn()
	r.Sojourn = [4]float64{mean, p50, p99, p999}
}
