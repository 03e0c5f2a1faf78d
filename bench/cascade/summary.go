package cascade

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// SummaryHeader is a cascade's summary.csv header (one row per run; a
// cascade sweep writes the same columns): what ran; each milestone's clock
// (PDT, HH:MM; empty: never; see Milestones); each stage's recovery, ideal and ratio
// (seconds from the stage's own reference: DWFM the trigger's end, netprop
// the held-back work's last release, nlb its first launch; nlb has no ideal,
// so its ideal and ratio are empty); the link's and the NLB's measures; and
// the run's events and wall seconds (the only column not determined by the
// inputs and the seed).
var SummaryHeader = []string{"scenario", "policy", "seed", "droplets",
	"dwfm_recovered_clock", "prop_up_clock", "prop_normal_clock", "nlb_errors_clock", "nlb_restored_clock", "event_end_clock",
	"prop_slow_clock", "nlb_removals_clock", "conn_restored_clock", "failover_off_clock", "failover_on_clock",
	"dwfm_recovery_s", "dwfm_ideal_s", "dwfm_ratio", "prop_recovery_s", "prop_ideal_s", "prop_ratio",
	"nlb_recovery_s", "nlb_ideal_s", "nlb_ratio",
	"droplet_hours_unleased", "held_back", "launches", "nlb_targets", "peak_prop_latency_s",
	"conn_error_share", "capacity_error_share", "unpropagated_error_share", "capacity_lost_target_h",
	"failovers", "failovers_completed", "flaps", "removed", "drained", "kept_in_dns_target_h", "kept_in_service_target_h",
	"events", "wall_s"}

// Record is o's summary row for the run described by the other arguments.
func (o Outcome) Record(scenario string, pol Policies, seed uint64, droplets int, wallS float64) []string {
	m := o.Milestones
	clock := func(t sim.Time) string {
		if t < 0 {
			return ""
		}
		return o.Clock(t)
	}
	f := func(v float64, dec int) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		if v < 0 && v > -1e-9 { // rounding in a share that cannot be negative
			v = 0
		}
		return strconv.FormatFloat(v, 'f', dec, 64)
	}
	stage := func(r model.Result, ran bool) []string {
		rec, ideal := math.NaN(), math.NaN()
		if ran && r.Recovered {
			rec = r.Recovery.Seconds()
		}
		if ran && r.Ideal >= 0 {
			ideal = r.Ideal.Seconds()
		}
		ratio := math.NaN()
		if ideal > 0 {
			ratio = rec / ideal
		}
		return []string{f(rec, 3), f(ideal, 3), f(ratio, 4)}
	}
	ran := m.DWFMRecovered >= 0
	t := o.NLBTotals
	rec := []string{scenario, pol.String(), strconv.FormatUint(seed, 10), strconv.Itoa(droplets),
		clock(m.DWFMRecovered), clock(m.PropUp), clock(m.PropNormal), clock(m.NLBErrors), clock(m.NLBRestored), clock(m.EventEnd),
		clock(m.PropSlow), clock(m.NLBRemovals), clock(m.ConnRestored), clock(m.FailoverOff), clock(m.FailoverOn)}
	rec = append(rec, stage(o.DWFM, true)...)
	rec = append(rec, stage(o.NetProp, ran)...)
	rec = append(rec, stage(o.NLB, ran)...)
	rec = append(rec, f(o.DropletHours, 1), strconv.Itoa(o.HeldBack), strconv.Itoa(o.Launches), strconv.Itoa(o.Targets), f(o.PeakLatency, 1),
		f(t.ConnErrorShare, 6), f(t.CapacityErrorShare, 6), f(t.UnpropagatedErrorShare, 6), f(t.CapacityLostTargetH, 3),
		strconv.Itoa(t.Failovers), strconv.Itoa(t.FailoversCompleted), strconv.Itoa(t.Flaps), strconv.Itoa(t.Removed), f(t.Drained, 3),
		f(t.KeptInDNS, 3), f(t.KeptInService, 3),
		strconv.FormatUint(o.DWFM.Events+o.NetProp.Events+o.NLB.Events, 10), f(wallS, 3))
	return rec
}

// SummaryRow is one run's row for WriteSummary.
type SummaryRow struct {
	Scenario string
	Policies Policies
	Seed     uint64
	Droplets int
	WallS    float64
	Outcome  Outcome
}

// WriteSummary writes the header and one row per run.
func WriteSummary(w io.Writer, rows ...SummaryRow) error {
	c := csv.NewWriter(w)
	if err := c.Write(SummaryHeader); err != nil {
		return err
	}
	for _, r := range rows {
		if err := c.Write(r.Outcome.Record(r.Scenario, r.Policies, r.Seed, r.Droplets, r.WallS)); err != nil {
			return err
		}
	}
	c.Flush()
	return c.Error()
}
