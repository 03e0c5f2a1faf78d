package model

import (
	"time"

	"github.com/aftershock/aftershock/throttle"
)

// Reserve is Admit for a model that can hold a reservation. When the server's
// control is a throttle.Reserver and refuses, retryAt is the instant its
// reservation for this attempt falls due: the client should ask again exactly
// then, with held set. held says the attempt holds a reservation falling due
// now: the server's control lets it in (it counted the attempt when it booked
// it) or, if its queue is full, books it again. The client's control (if any)
// decides first. Without a Reserver it is Admit, and retryAt is zero.
func (g *Gate) Reserve(now time.Time, queued int, held bool) (ok bool, retryAt time.Time) {
	if g.reserver == nil {
		return g.Admit(now, queued), time.Time{}
	}
	if g.client != nil && !g.client.Admit(now, queued) {
		g.clientRefused++
		return false, time.Time{}
	}
	if held {
		ok, retryAt = g.reserver.Redeem(now, queued)
	} else {
		ok, retryAt = g.reserver.Reserve(now, queued)
	}
	if !ok {
		g.serverRefused++
		g.Answered(now, 0, false)
	}
	return ok, retryAt
}

// serverChanged resolves what the gate's code asks of a new server control
// once, not on every attempt.
func (g *Gate) serverChanged() {
	g.servFB, _ = g.server.(throttle.Feedback)
	g.reserver, _ = g.server.(throttle.Reserver)
}
