package model

import (
	"time"

	"github.com/aftershock/aftershock/throttle"
)

// Reserve is Admit for a model that can hold a reservation. When the server's
// control is a throttle.Reserver and refuses, retryAt is the instant its
// reservation for this attempt falls due: the client should ask again exactly
// then, through Redeem. Otherwise it is Admit, and retryAt is zero.
func (g *Gate) Reserve(now time.Time, queued int) (ok bool, retryAt time.Time) {
	r, reserves := g.server.(throttle.Reserver)
	if !reserves {
		return g.Admit(now, queued), time.Time{}
	}
	if g.client != nil && !g.client.Admit(now, queued) {
		g.clientRefused++
		return false, time.Time{}
	}
	if ok, retryAt = r.Reserve(now, queued); !ok {
		g.serverRefused++
		g.Answered(now, 0, false)
	}
	return ok, retryAt
}

// Redeem runs an attempt that holds a reservation falling due now: the
// server's control lets it in (it counted the attempt when it booked it) or, if
// its queue is full, books it again for retryAt. The client's control (if any)
// decides first. Without a Reserver, it is Admit.
func (g *Gate) Redeem(now time.Time, queued int) (ok bool, retryAt time.Time) {
	r, reserves := g.server.(throttle.Reserver)
	if !reserves {
		return g.Admit(now, queued), time.Time{}
	}
	if g.client != nil && !g.client.Admit(now, queued) {
		g.clientRefused++
		return false, time.Time{}
	}
	if ok, retryAt = r.Redeem(now, queued); !ok {
		g.serverRefused++
		g.Answered(now, 0, false)
	}
	return ok, retryAt
}
