package results

import (
	"encoding/csv"
	"io"
	"math"
	"time"
)

// Summary is the one row of summary.csv. Columns, in order:
//
//	scenario, policy, seed   what ran (policy as given on the command line)
//	droplets                 DWFM droplets (empty for a model without leases)
//	recovered                whether the recovery condition held before the horizon
//	recovery_s               seconds from the trigger's end until it first held (empty if never)
//	ideal_s                  the bound: least time any policy could need with the same capacity
//	                         (DWFM: slowest host's makespan for its expired droplets at mean base
//	                         service time; generic: live backlog ÷ spare capacity)
//	recovery_ratio           recovery_s ÷ ideal_s
//	recovered_clock          the incident's local time at recovery, RFC 3339
//	peak_queue               largest queue seen at a sample, over all stations
//	wasted_fraction          service time spent on attempts whose client had given up, over all service time
//	amplification            attempts ÷ unique requests
//	mean_sojourn_s … p999_sojourn_s   time in the service (queue + work) of completed attempts
//	events                   simulation events fired
//	sim_s                    virtual seconds simulated
//	complete                 false if the run was interrupted before its horizon
//	wall_s                   wall-clock seconds the run took: the only column that is not
//	                         determined by the inputs and the seed
type Summary struct {
	Scenario, Policy string
	Vary             string // sweep.csv only: the --vary values of the run ("k=v;k2=v2"), "" if none
	Seed             uint64
	Droplets         int // -1: none
	Recovered        bool
	RecoveryS        float64 // NaN: never
	IdealS           float64 // NaN: none
	RecoveredClock   time.Time
	PeakQueue        int
	WastedFraction   float64
	Amplification    float64
	Sojourn          [4]float64 // mean, p50, p99, p999; NaN: none
	Events           uint64
	SimS             float64
	Complete         bool
	WallS            float64
}

// Ratio is RecoveryS ÷ IdealS, NaN when either is missing.
func (s Summary) Ratio() float64 {
	if !s.Recovered || !(s.IdealS > 0) {
		return math.NaN()
	}
	return s.RecoveryS / s.IdealS
}

// SummaryHeader is summary.csv's header row.
var SummaryHeader = []string{"scenario", "policy", "seed", "droplets", "recovered", "recovery_s", "ideal_s",
	"recovery_ratio", "recovered_clock", "peak_queue", "wasted_fraction", "amplification", "mean_sojourn_s",
	"p50_sojourn_s", "p99_sojourn_s", "p999_sojourn_s", "events", "sim_s", "complete", "wall_s"}

// Record is s as CSV fields, in SummaryHeader's order.
func (s Summary) Record() []string {
	return []string{s.Scenario, s.Policy, fmtUint(s.Seed), fmtInt(s.Droplets), fmtBool(s.Recovered),
		fmtFloat(s.RecoveryS, 3), fmtFloat(s.IdealS, 3), fmtFloat(s.Ratio(), 4), fmtClock(s.RecoveredClock),
		fmtInt(s.PeakQueue), fmtFloat(s.WastedFraction, 4), fmtFloat(s.Amplification, 4),
		fmtFloat(s.Sojourn[0], 6), fmtFloat(s.Sojourn[1], 6), fmtFloat(s.Sojourn[2], 6), fmtFloat(s.Sojourn[3], 6),
		fmtUint(s.Events), fmtFloat(s.SimS, 3), fmtBool(s.Complete), fmtFloat(s.WallS, 3)}
}

// WriteSummaries writes the header and one row per summary.
func WriteSummaries(w io.Writer, ss ...Summary) error {
	c := csv.NewWriter(w)
	if err := c.Write(SummaryHeader); err != nil {
		return err
	}
	for _, s := range ss {
		if err := c.Write(s.Record()); err != nil {
			return err
		}
	}
	c.Flush()
	return c.Error()
}
