package nlb

import "github.com/aftershock/aftershock/bench/model"

// Columns are the model's time-series columns beyond the kit's, the fields
// of Interval: nlb_capacity_fraction, conn_error_rate and hc_load (jobs per
// second), and the counts of AZ failovers, flaps and removed targets in the
// interval, the AZs in DNS at its end, and capacity_error_rate (the part of
// conn_error_rate the NLB's removals cause).
func (m *Model) Columns() []string {
	return []string{"nlb_capacity_fraction", "conn_error_rate", "hc_load", "failovers", "flaps", "removed", "in_dns", "capacity_error_rate"}
}

// Metrics are the fields of Totals.
func (m *Model) Metrics() []model.Metric {
	t := m.Totals()
	return []model.Metric{{Name: "conn_error_share", Value: t.ConnErrorShare}, {Name: "capacity_error_share", Value: t.CapacityErrorShare},
		{Name: "capacity_lost_h", Value: t.CapacityLostH},
		{Name: "failovers", Value: float64(t.Failovers)}, {Name: "flaps", Value: float64(t.Flaps)},
		{Name: "removed", Value: float64(t.Removed)}, {Name: "velocity_refused", Value: float64(t.VelocityRefused)},
		{Name: "fail_open_ticks", Value: float64(t.FailOpenTicks)}}
}

var _ model.Extras = (*Model)(nil)

// Totals are the run's NLB measures so far.
func (m *Model) Totals() Totals {
	t := m.tot
	if m.nTicks > 0 {
		t.ConnErrorShare = m.errSum / float64(m.nTicks)
		t.CapacityErrorShare = m.capSum / float64(m.nTicks)
	}
	return t
}
