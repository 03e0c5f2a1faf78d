package cascade

import (
	"math"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/nlb"
	"github.com/aftershock/aftershock/bench/sim"
)

// Row is one sample interval of the cascade's time series: DWFM's sample
// and, when those stages ran (DWFM recovered; the NLB's from its stage's
// start), the propagation and NLB measures of the interval ending at the
// same instant.
type Row struct {
	DWFM            model.Sample
	Prop            netprop.Interval
	NLB             nlb.Interval
	HasProp, HasNLB bool
}

// StageColumns are the columns the cascade adds to DWFM's time series:
// propagation backlog and latency (p50 and p99 of the items finished in the
// interval, seconds), then the NLB's measures (see package nlb's Interval:
// conn_error_rate splits into capacity_error_rate, the part its removals
// cause, and unpropagated_error_rate; failovers are AZ failovers begun,
// in_dns the AZs in DNS counted by DNS weight, drained the capacity AZ
// failover drained from DNS, the kept columns what the velocity control kept,
// target-hours). They are empty where the stage did not run, the NLB's
// before its stage's start (Outcome.NLBStart).
var StageColumns = []string{"prop_backlog", "prop_latency_p50_s", "prop_latency_s",
	"nlb_capacity_fraction", "conn_error_rate", "hc_load", "failovers", "flaps", "removed", "in_dns", "capacity_error_rate",
	"unpropagated_error_rate", "drained", "kept_in_dns_target_h", "kept_in_service_target_h"}

// sample is r as one sample of the cascade's time series: DWFM's, its own
// first own extra values kept, then the stages' columns (NaN where the stage
// did not run).
func (r Row) sample(own int) model.Sample {
	s := r.DWFM
	n := math.NaN()
	pr := [3]float64{n, n, n}
	if r.HasProp {
		pr = [3]float64{float64(r.Prop.Backlog), r.Prop.P50, r.Prop.P99}
	}
	nl := [12]float64{n, n, n, n, n, n, n, n, n, n, n, n}
	if r.HasNLB {
		v := r.NLB
		nl = [12]float64{v.CapacityFraction, v.ConnErrorRate, v.HCLoad, float64(v.Failovers), float64(v.Flaps), float64(v.Removed), v.InDNS, v.CapacityErrorRate,
			v.UnpropagatedErrorRate, v.Drained, v.KeptInDNS, v.KeptInService}
	}
	copy(s.Extra[own:], pr[:])
	copy(s.Extra[own+len(pr):], nl[:])
	return s
}

// series zips the stages' intervals (each stage samples the same timeline
// at the same interval) into rows; the NLB's only in the rows that end
// after nlbFrom, its stage's start (the model ticks from virtual 0, but the
// stage begins at Outcome.NLBStart).
func series(d []model.Sample, p []netprop.Interval, n []nlb.Interval, nlbFrom sim.Time) []Row {
	rows := make([]Row, len(d))
	for i, s := range d {
		rows[i].DWFM = s
		if i < len(p) && p[i].T == s.T {
			rows[i].Prop, rows[i].HasProp = p[i], true
		}
		if i < len(n) && n[i].T == s.T && s.T > nlbFrom {
			rows[i].NLB, rows[i].HasNLB = n[i], true
		}
	}
	return rows
}
