package live

import (
	"math/rand/v2"
	"time"

	"github.com/aftershock/aftershock/bench/sim"
)

// What a droplet is given once per run: its check phase, its lease TTL in
// each outage and its establishment work, each from the simulator's keyed
// stream (sim.Draws: splitmix64's finaliser over key + n·γ; Steele, Lea and
// Flood, OOPSLA 2014) for (seed, what, droplet, outage), so the server and
// every attacker shard draw the same values without sharing anything. Its
// salt ("live") is not package dwfm's, so the values differ from the
// simulator's while their distributions are the same.
const (
	drawPhase uint64 = iota + 1
	drawTTL
	drawWork
)

// Draws hands out per-droplet values. A Draws belongs to one goroutine; make
// one per goroutine with NewDraws (it costs two small allocations).
type Draws struct {
	keyed *sim.Draws
	set   *Setup
}

// NewDraws returns the draws of s's run.
func (s *Setup) NewDraws() *Draws {
	return &Draws{keyed: sim.NewDraws(s.Seed, 0x6c697665), set: s} // "live"
}

func (d *Draws) of(what uint64, i int, w int) *rand.Rand { return d.keyed.Of(what, uint64(i), w) }

// Phase is droplet i's check offset within the check interval.
func (d *Draws) Phase(i int) time.Duration {
	return time.Duration(d.of(drawPhase, i, 0).Int64N(int64(d.set.DWFM.CheckInterval)))
}

// TTL is droplet i's lease TTL from the start of outage w.
func (d *Draws) TTL(i, w int) time.Duration {
	lo, hi := int64(d.set.DWFM.LeaseTTLMin), int64(d.set.DWFM.LeaseTTLMax)
	return time.Duration(lo + d.of(drawTTL, i, w).Int64N(hi-lo+1))
}

// Work is droplet i's base establishment work (model time): every attempt
// of it costs this plus any growth.
func (d *Draws) Work(i int) time.Duration {
	return time.Duration(d.set.Station.ServiceTime.Sample(d.of(drawWork, i, 0)))
}

// Service is the model time an attempt of droplet i takes when its work
// starts with busy workers busy (itself included) and queued attempts
// waiting: its work plus growth per busy worker and per queued attempt,
// capped at max_service_time (never below the work), as model.Station
// computes it.
func (d *Draws) Service(i, busy, queued int) time.Duration {
	base := d.Work(i)
	sp := d.set.Station
	t := base + time.Duration(sp.PerBusy)*time.Duration(busy) + time.Duration(sp.PerQueued)*time.Duration(queued)
	if sp.MaxService > 0 && t > time.Duration(sp.MaxService) {
		t = time.Duration(sp.MaxService)
	}
	return max(t, base)
}
