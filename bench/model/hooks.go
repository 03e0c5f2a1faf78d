package model

import (
	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/throttle"
)

// Hooks are how a policy acts on a model. Package policy builds them from a
// spec; every model takes them. The zero Hooks is the model as configured: no
// throttle, FIFO, the scenario's own retry behaviour, no intervention.
//
// Controls are built per station (per DWFM host): Admit is the server's
// admission control; Client is a client-side control (SRE adaptive throttling,
// a circuit breaker) that the station's clients share — one per station, as if
// its clients pooled what they observe of it.
type Hooks struct {
	Admit  func(s int) throttle.Admitter
	Client func(s int) throttle.Admitter
	Queue  backlog.Config // the queue discipline; the zero Config is FIFO

	// Backoff, when set, replaces the clients' wait before a retry after a
	// timed-out attempt; MaxAttempts, when > 0, their attempts per request.
	Backoff     *backlog.Backoff
	MaxAttempts int
	// Retry gates every retry (a retry budget, a token quota, a velocity cap).
	Retry func(s int) throttle.RetryGate
	// Velocity, when set, builds the control that paces how much capacity a
	// model may take out of service (NLB's health-check AZ DNS failover,
	// package nlb): the model asks it, with the capacity in service, before
	// capacity leaves. Models that never remove capacity ignore it.
	Velocity func() *throttle.CapacityVelocity
	// VelocityTargets extends Velocity to single targets leaving service
	// (nlb); without it only AZ failover is paced, as AWS announced.
	VelocityTargets bool

	Interventions []Intervention
}

// Refuses reports whether the policy can end an attempt early or a request
// with it: an admission or client control, a queue discipline other than
// FIFO, a retry gate or attempt limit, an intervention. A model whose
// refused clients ask again on a schedule of their own (a droplet at its
// next check) sends more attempts under such a policy than its timeouts
// alone allow, and estimates its cost accordingly.
func (h Hooks) Refuses() bool {
	return h.Admit != nil || h.Client != nil || h.Queue.Kind != "" || h.Retry != nil || h.MaxAttempts > 0 || len(h.Interventions) > 0
}

// Intervention is an operator action at a fixed virtual time.
type Intervention struct {
	At       sim.Time
	Restart  bool                          // restart every station
	Admit    func(s int) throttle.Admitter // if non-nil, replaces each station's admission control
	Failover Failover                      // switches a model's automatic failover (nlb); others ignore it
}

// Failover is an operator's switch of automatic health-check failover.
type Failover int8

// Failover switches.
const (
	FailoverUnchanged Failover = iota
	FailoverOff                // stop removing capacity on health-check results
	FailoverOn                 // resume it
)

// AdmitterFor returns f(s), or nil when f is nil.
func AdmitterFor(f func(int) throttle.Admitter, s int) throttle.Admitter {
	if f == nil {
		return nil
	}
	return f(s)
}
