package nlb

import "github.com/aftershock/aftershock/bench/model"

// Columns are the model's time-series columns beyond the kit's, the fields
// of Interval: nlb_capacity_fraction, conn_error_rate and hc_load (jobs per
// second), the AZ failovers begun, flaps and targets leaving service in the
// interval, the AZs in DNS at its end (a partly drained AZ by its DNS
// weight), and capacity_error_rate (the part of conn_error_rate the NLB's
// removals cause; the rest is unpropagated targets'). A sample holds at most
// model.MaxExtra columns; the cascade's time series adds
// unpropagated_error_rate and the velocity control's kept capacity.
func (m *Model) Columns() []string {
	return []string{"nlb_capacity_fraction", "conn_error_rate", "hc_load", "failovers", "flaps", "removed", "in_dns", "capacity_error_rate"}
}

// Metrics are the fields of Totals.
func (m *Model) Metrics() []model.Metric {
	t := m.Totals()
	return []model.Metric{{Name: "conn_error_share", Value: t.ConnErrorShare}, {Name: "capacity_error_share", Value: t.CapacityErrorShare},
		{Name: "unpropagated_error_share", Value: t.UnpropagatedErrorShare},
		{Name: "capacity_lost_target_h", Value: t.CapacityLostTargetH},
		{Name: "failovers", Value: float64(t.Failovers)}, {Name: "failovers_completed", Value: float64(t.FailoversCompleted)},
		{Name: "flaps", Value: float64(t.Flaps)},
		{Name: "removed", Value: float64(t.Removed)}, {Name: "drained", Value: t.Drained}, {Name: "kept_in_dns_target_h", Value: t.KeptInDNS},
		{Name: "kept_in_service_target_h", Value: t.KeptInService},
		{Name: "fail_open_ticks", Value: float64(t.FailOpenTicks)}}
}

var _ model.Extras = (*Model)(nil)

// Totals are the run's NLB measures so far: the shares over the stage's
// ticks so far, weighted by connections (see Totals.ConnErrorShare).
func (m *Model) Totals() Totals {
	t := m.tot
	if m.loadSum > 0 {
		t.ConnErrorShare = m.errSum / m.loadSum
		t.CapacityErrorShare = m.capSum / m.loadSum
		t.UnpropagatedErrorShare = m.unpropSum / m.loadSum
	}
	return t
}
