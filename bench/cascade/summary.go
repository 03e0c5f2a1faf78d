package cascade

import (
	"math"
	"strconv"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// SummaryColumns are the cascade's own columns of summary.csv and sweep.csv,
// after the columns every run has (results.SummaryHeader: there, recovered,
// recovery_s, ideal_s and recovered_clock are the whole event's, see
// Model.Run): each milestone's clock (RFC 3339, as every clock in the result
// files; empty: never; see Milestones); each stage's recovery, ideal and
// ratio (seconds from the stage's own reference: DWFM the trigger's end,
// netprop the held-back work's last release, nlb its start, NLBStart; nlb has
// no ideal, so its ideal and ratio are empty; empty where the stage did not
// run, and the NLB's where nothing was launched to it); the link's and the
// NLB's measures.
var SummaryColumns = []string{
	"dwfm_recovered_clock", "prop_up_clock", "prop_normal_clock", "nlb_errors_clock", "nlb_restored_clock", "event_end_clock",
	"prop_slow_clock", "nlb_removals_clock", "conn_restored_clock", "failover_off_clock", "failover_on_clock",
	"dwfm_recovery_s", "dwfm_ideal_s", "dwfm_ratio", "prop_recovery_s", "prop_ideal_s", "prop_ratio",
	"nlb_recovery_s", "nlb_ideal_s", "nlb_ratio",
	"droplet_hours_unleased", "held_back", "launches", "nlb_targets", "peak_prop_latency_s",
	"conn_error_share", "capacity_error_share", "unpropagated_error_share", "capacity_lost_target_h",
	"failovers", "failovers_completed", "flaps", "removed", "drained", "kept_in_dns_target_h", "kept_in_service_target_h"}

// SummaryColumns are the cascade's own summary columns (the package's
// SummaryColumns).
func (m *Model) SummaryColumns() []string { return SummaryColumns }

// SummaryValues are the values of SummaryColumns for the run, as written.
func (m *Model) SummaryValues() []string { return m.out.Values() }

// Values are o's values of SummaryColumns, as written: fixed decimals, an
// empty field for what does not exist (a milestone that never came, a stage
// that did not run, the NLB's measures before it ran).
func (o Outcome) Values() []string {
	ms := o.Milestones
	clock := func(t sim.Time) string {
		if t < 0 {
			return ""
		}
		return o.ClockTime(t).Format(time.RFC3339)
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
	n := math.NaN()
	count := func(v int, ran bool) string {
		if !ran {
			return ""
		}
		return strconv.Itoa(v)
	}
	t := o.NLBTotals
	nl := []float64{n, n, n, n, n, n, n, n, n, n, n}
	if o.NLBRan {
		nl = []float64{t.ConnErrorShare, t.CapacityErrorShare, t.UnpropagatedErrorShare, t.CapacityLostTargetH,
			float64(t.Failovers), float64(t.FailoversCompleted), float64(t.Flaps), float64(t.Removed), t.Drained, t.KeptInDNS, t.KeptInService}
	}
	v := []string{clock(ms.DWFMRecovered), clock(ms.PropUp), clock(ms.PropNormal), clock(ms.NLBErrors), clock(ms.NLBRestored), clock(ms.EventEnd),
		clock(ms.PropSlow), clock(ms.NLBRemovals), clock(ms.ConnRestored), clock(ms.FailoverOff), clock(ms.FailoverOn)}
	v = append(v, stage(o.DWFM, true)...)
	v = append(v, stage(o.NetProp, o.NetPropRan)...)
	v = append(v, stage(o.NLB, o.NLBRan && o.Targets > 0)...) // no launch: nothing to recover from
	v = append(v, f(o.DropletHours, 1), count(o.HeldBack, o.NetPropRan), count(o.Launches, o.NetPropRan), count(o.Targets, o.NLBRan), f(o.PeakLatency, 1),
		f(nl[0], 6), f(nl[1], 6), f(nl[2], 6), f(nl[3], 3))
	for _, x := range nl[4:8] {
		v = append(v, f(x, 0))
	}
	return append(v, f(nl[8], 3), f(nl[9], 3), f(nl[10], 3))
}
