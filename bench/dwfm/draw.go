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

// keyed is a counter-based random source: output n of key k is
// splitmix64's finaliser of k + n·γ (Steele, Lea and Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014). Re-keying it costs two
// stores.
type keyed struct{ key, n uint64 }

const golden = 0x9e3779b97f4a7c15

func (s *keyed) Uint64() uint64 {
	s.n++
	return mix(s.key + s.n*golden)
}

// mix is splitmix64's finaliser: every input bit flips about half the output
// bits.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

var _ rand.Source = (*keyed)(nil)

// draws hands out the per-droplet streams of one run. It belongs to one
// goroutine; the *rand.Rand it returns is valid until its next call.
type draws struct {
	seed uint64
	src  keyed
	r    *rand.Rand
}

func newDraws(seed uint64) *draws {
	d := &draws{seed: mix(seed ^ 0x6477666d)} // "dwfm"
	d.r = rand.New(&d.src)
	return d
}

// of re-keys the stream for (what, droplet i, outage w) and returns it.
func (d *draws) of(what uint64, i uint32, w int) *rand.Rand {
	d.src = keyed{key: mix(d.seed + what*golden + uint64(w)<<32 + uint64(i))}
	return d.r
}

// hostStream is DWFM host h's own stream for the draws a host's events make
// (check jitter after a refusal, backoff jitter), so one host's events never
// shift another host's draws.
func hostStream(seed uint64, h int) *rand.Rand {
	return rand.New(rand.NewPCG(mix(seed^0x686f7374), mix(uint64(h)+golden))) // "host"
}

// phase is droplet i's check offset within the check interval p.
func (d *draws) phase(i uint32, p sim.Time) sim.Time {
	return sim.Time(d.of(drawPhase, i, 0).Int64N(int64(p)))
}

// ttl is droplet i's lease TTL from the start of outage w.
func (d *draws) ttl(i uint32, w int, lo, hi sim.Time) sim.Time {
	return lo + sim.Time(d.of(drawTTL, i, w).Int64N(int64(hi-lo+1)))
}
