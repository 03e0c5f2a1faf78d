package server

import (
	"github.com/prometheus/client_golang/prometheus"
)

// metrics registers the server's Prometheus metrics on a registry of its
// own (several servers may run in one process).
func (s *Server) metrics() {
	s.registry = prometheus.NewRegistry()
	s.codes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "aftershock_lease_responses_total",
		Help: "Lease requests answered, by HTTP status code.",
	}, []string{"code"})
	s.partAnswers = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "aftershock_live_policy_answers_total",
		Help: "Lease requests a live-only policy (a library's middleware) answered itself, not letting them through to the host, by HTTP status code (also in aftershock_lease_responses_total).",
	}, []string{"code"})
	s.work = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "aftershock_work_model_seconds_total",
		Help: "Model seconds of establishment work done, by outcome: good (answered 200), wasted (its client had given up), failed (overlapped a dependency outage).",
	}, []string{"outcome"})
	gauge := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f)
	}
	counter := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f)
	}
	s.registry.MustRegister(s.codes, s.partAnswers, s.work,
		gauge("aftershock_queued_attempts", "Attempts queued now, across DWFM hosts.", func() float64 { return float64(s.queued.Load()) }),
		gauge("aftershock_model_seconds", "Model time now (seconds since model time 0).", func() float64 { return s.now().Seconds() }),
		counter("aftershock_dropped_total", "Attempts the queue discipline dropped unworked.", func() float64 { return float64(s.dropped.Load()) }),
		counter("aftershock_abandoned_total", "Lease requests whose client gave up before the answer (their attempts stay queued).", func() float64 { return float64(s.abandoned.Load()) }),
	)
}
