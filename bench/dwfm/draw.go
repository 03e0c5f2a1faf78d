package dwfm

import (
	"math/rand/v2"

	"github.com/aftershock/aftershock/bench/sim"
)

// What a droplet is given once per run comes from its own counter-based
// stream, keyed by (seed, what, droplet[, outage]): its check phase, its lease
// TTL in each outage, and its establishment work. Nothing is stored per
// droplet, no policy can shift another droplet's draws, and the bound (see
// bound.go) recomputes the same values after the run.
const (
	drawPhase uint64 = iota + 1
	drawTTL
	drawWork
)

// draws hands out the per-droplet streams of one run (sim.Draws, salted
// "dwfm"). It belongs to one goroutine; the *rand.Rand it returns is valid
// until its next call.
type draws struct{ *sim.Draws }

func newDraws(seed uint64) *draws { return &draws{sim.NewDraws(seed, 0x6477666d)} } // "dwfm"

// of re-keys the stream for (what, droplet i, outage w) and returns it.
func (d *draws) of(what uint64, i uint32, w int) *rand.Rand { return d.Of(what, uint64(i), w) }

// hostStream is DWFM host h's own stream for the draws a host's events make
// (check jitter after a refusal, backoff jitter), so one host's events never
// shift another host's draws.
func hostStream(seed uint64, h int) *rand.Rand {
	return rand.New(rand.NewPCG(sim.Mix(seed^0x686f7374), sim.Mix(uint64(h)+sim.Golden))) // "host"
}

// phase is droplet i's check offset within the check interval p.
func (d *draws) phase(i uint32, p sim.Time) sim.Time {
	return sim.Time(d.of(drawPhase, i, 0).Int64N(int64(p)))
}

// ttl is droplet i's lease TTL from the start of outage w.
func (d *draws) ttl(i uint32, w int, lo, hi sim.Time) sim.Time {
	return lo + sim.Time(d.of(drawTTL, i, w).Int64N(int64(hi-lo+1)))
}
