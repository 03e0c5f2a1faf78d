package model

import (
	"time"

	"github.com/aftershock/aftershock/throttle"
)

// Gate is one station's admission path: the clients' control (if any), then
// the server's (if any). Controls that implement throttle.Feedback hear, once
// per unit they admitted, how it ended — as each side sees it: the client's
// control when the client has its answer (a response, a fast failure, or its
// own timeout), the server's when the work leaves the server (finished,
// possibly long after its client gave up, or dropped). The zero Gate admits
// everything.
type Gate struct {
	client, server   throttle.Admitter
	clientFB, servFB throttle.Feedback
	reserver         throttle.Reserver // server as a Reserver, if it is one

	clientRefused, serverRefused uint64 // refusals, for CountRefusals
}

// NewGate builds a gate; either control may be nil.
func NewGate(client, server throttle.Admitter) Gate {
	g := Gate{client: client, server: server}
	g.clientFB, _ = client.(throttle.Feedback)
	g.serverChanged()
	return g
}

// SetServer replaces the server's control (an operator's new throttle).
// Work admitted by the old control reports to no one.
func (g *Gate) SetServer(server throttle.Admitter) {
	g.server = server
	g.serverChanged()
}

// Admit runs the attempt through both controls. A refusal by the server is a
// failure the client's control hears about.
func (g *Gate) Admit(now time.Time, queued int) bool {
	if g.client != nil && !g.client.Admit(now, queued) {
		g.clientRefused++
		return false
	}
	if g.server != nil && !g.server.Admit(now, queued) {
		g.serverRefused++
		g.Answered(now, 0, false)
		return false
	}
	return true
}

// Answered reports what the client of an admitted attempt saw: ok for a
// timely success; not ok for an error, a fast failure or its own timeout.
func (g *Gate) Answered(now time.Time, latency time.Duration, ok bool) {
	if g.clientFB != nil {
		g.clientFB.Done(now, latency, ok)
	}
}

// Left reports that an admitted attempt left the server: ok when it finished
// in time for its client; not ok when dropped, failed, or finished for nobody.
func (g *Gate) Left(now time.Time, latency time.Duration, ok bool) {
	if g.servFB != nil {
		g.servFB.Done(now, latency, ok)
	}
}
