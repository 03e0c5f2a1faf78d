package httpmw

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Register adds the middleware's metrics to reg, with labels on every
// series (a host, a route):
//
//	httpmw_decisions_total{outcome}  counter: admitted, redeemed, refused, booked (see Counts)
//	httpmw_in_flight                 gauge: requests inside the wrapped handlers
//	httpmw_limit                     gauge: the control's limit (Limit() int), when it has one
//
// They read the counts the middleware keeps anyway: registering costs a
// request nothing.
func (m *Middleware) Register(reg prometheus.Registerer, labels prometheus.Labels) error {
	return reg.Register(&collector{m: m,
		decisions: prometheus.NewDesc("httpmw_decisions_total", "Admission decisions, by outcome: admitted, redeemed (admitted holding a booking), refused, booked (refused with a booking).", []string{"outcome"}, labels),
		inFlight:  prometheus.NewDesc("httpmw_in_flight", "Requests inside the wrapped handler (admitted, not yet returned).", nil, labels),
		limit:     prometheus.NewDesc("httpmw_limit", "The control's limit in force (concurrency limits only).", nil, labels),
	})
}

type collector struct {
	m                          *Middleware
	decisions, inFlight, limit *prometheus.Desc
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.decisions
	ch <- c.inFlight
	ch <- c.limit
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	n := c.m.Counts()
	for _, o := range []struct {
		name string
		v    int64
	}{{"admitted", n.Admitted}, {"redeemed", n.Redeemed}, {"refused", n.Refused}, {"booked", n.Booked}} {
		ch <- prometheus.MustNewConstMetric(c.decisions, prometheus.CounterValue, float64(o.v), o.name)
	}
	ch <- prometheus.MustNewConstMetric(c.inFlight, prometheus.GaugeValue, float64(c.m.Inside()))
	if l := c.m.ctl.Load().limit; l != nil {
		ch <- prometheus.MustNewConstMetric(c.limit, prometheus.GaugeValue, float64(l()))
	}
}
