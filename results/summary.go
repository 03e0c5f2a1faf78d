package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"time"
)

// Summary is the one row of summary.csv. Columns, in order:
//
//	scenario, policy, seed   what ran (policy as given on the command line)
//	droplets                 DWFM droplets (empty for a model without leases)
//	recovered                true when the recovery condition held for good by the horizon; false
//	                         when it did not; "undetermined" when the run gave no evidence either
//	                         way (a generic run whose clients sent too few requests after the
//	                         last unhealthy window to judge: see model.Sustained); empty where
//	                         recovery is not defined (a run without a trigger)
//	recovery_s               seconds from the trigger's end until it held for good (empty if never)
//	ideal_s                  the bound: least time any policy could need with the same capacity
//	                         (DWFM: the slowest host's least makespan for the droplets whose
//	                         lease lapses before the horizon, from when each can ask, each at
//	                         its own work; generic: one recovery window, empty when there is no
//	                         trigger; netprop: the surge's work on every worker; nlb: empty)
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
//	admit_refusals           attempts the hosts' admission controls refused (the operator's throttle included)
//	client_refusals          attempts the clients' controls (SRE throttle, circuit breaker) refused
//	retry_refusals           retries the retry gate refused
//	queue_drops              attempts the queue discipline dropped unworked or refused (a restart's excluded)
//
// The four refusal counts are empty when the policy has no control in that
// role (a queue discipline counts only if it can drop: codel, fb-codel,
// deadline-drop, bounded), and 0 when it has one that never acted. They are
// optional when reading, so files written before them still read.
//
// A model may add columns of its own after these (Columns and Values: the
// cascade's milestone clocks and stage measures); every row of one file has
// the same. Reading keeps any column it does not know, in the file's order.
type Summary struct {
	Scenario, Policy string
	Vary             string // sweep.csv only: the --vary values of the run ("k=v;k2=v2"), "" if none
	Seed             uint64
	Droplets         int // -1: none
	Recovered        bool
	Undefined        bool    // recovery not defined (no trigger): recovered is written empty
	Undetermined     bool    // too little evidence to judge (recovered is false): written "undetermined"
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
	// Refusals per role; -1: no control in that role.
	AdmitRefusals, ClientRefusals, RetryRefusals, QueueDrops int
	// Columns are the model's own columns, after SummaryHeader's, and
	// Values their values as written ("" where there is none); nil for a
	// model without any.
	Columns, Values []string
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
	"p50_sojourn_s", "p99_sojourn_s", "p999_sojourn_s", "events", "sim_s", "complete", "wall_s",
	"admit_refusals", "client_refusals", "retry_refusals", "queue_drops"}

// optionalColumns are columns of SummaryHeader that a file may lack (it was
// written before they existed); they read as -1.
var optionalColumns = map[string]bool{"admit_refusals": true, "client_refusals": true, "retry_refusals": true, "queue_drops": true}

// Header is the header of s's row: SummaryHeader, then s's own Columns.
func (s Summary) Header() []string {
	return append(append(make([]string, 0, len(SummaryHeader)+len(s.Columns)), SummaryHeader...), s.Columns...)
}

// Record is s as CSV fields, in Header's order.
func (s Summary) Record() []string {
	return append([]string{s.Scenario, s.Policy, fmtUint(s.Seed), fmtInt(s.Droplets), fmtRecovered(s),
		FormatFloat(s.RecoveryS, 3), FormatFloat(s.IdealS, 3), FormatFloat(s.Ratio(), 4), FormatClock(s.RecoveredClock),
		fmtInt(s.PeakQueue), FormatFloat(s.WastedFraction, 4), FormatFloat(s.Amplification, 4),
		FormatFloat(s.Sojourn[0], 6), FormatFloat(s.Sojourn[1], 6), FormatFloat(s.Sojourn[2], 6), FormatFloat(s.Sojourn[3], 6),
		fmtUint(s.Events), FormatFloat(s.SimS, 3), fmtBool(s.Complete), FormatFloat(s.WallS, 3),
		fmtInt(s.AdmitRefusals), fmtInt(s.ClientRefusals), fmtInt(s.RetryRefusals), fmtInt(s.QueueDrops)}, s.Values...)
}

// WriteSummaries writes the header (the first summary's, Header) and one
// row per summary; a summary with other columns than the first's is an
// error.
func WriteSummaries(w io.Writer, ss ...Summary) error {
	header := SummaryHeader
	if len(ss) > 0 {
		header = ss[0].Header()
	}
	if err := sameColumns(ss); err != nil {
		return err
	}
	c := csv.NewWriter(w)
	if err := c.Write(header); err != nil {
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

// sameColumns checks that every summary has the first one's Columns, and as
// many Values.
func sameColumns(ss []Summary) error {
	for i, s := range ss {
		if len(s.Values) != len(s.Columns) {
			return fmt.Errorf("results: run %s has %d values for %d columns of its own", KeyOf(s), len(s.Values), len(s.Columns))
		}
		if i > 0 && !slices.Equal(s.Columns, ss[0].Columns) {
			return fmt.Errorf("results: run %s has columns %v, run %s %v: one file holds one kind of row", KeyOf(s), s.Columns, KeyOf(ss[0]), ss[0].Columns)
		}
	}
	return nil
}

// refusalRoles names the roles of Summary.refusals, in its order.
var refusalRoles = [4]string{"admit", "client", "retry", "queue"}

// refusals are the refusal counts per role, in refusalRoles' order.
func (s Summary) refusals() [4]int {
	return [4]int{s.AdmitRefusals, s.ClientRefusals, s.RetryRefusals, s.QueueDrops}
}

// Undetermined is the recovered field of a run that gave too little
// evidence to judge.
const Undetermined = "undetermined"

// fmtRecovered is the recovered field: empty where recovery is not defined,
// Undetermined where the run could not tell.
func fmtRecovered(s Summary) string {
	switch {
	case s.Undefined:
		return Missing
	case s.Undetermined:
		return Undetermined
	}
	return fmtBool(s.Recovered)
}
