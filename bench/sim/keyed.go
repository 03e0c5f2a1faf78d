package sim

import "math/rand/v2"

// Golden is splitmix64's increment, 2⁶⁴/φ rounded to odd.
const Golden = 0x9e3779b97f4a7c15

// Mix is splitmix64's finaliser: every input bit flips about half the
// output bits.
func Mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Keyed is a counter-based random source: output n of key k is Mix(k +
// n·Golden) (Steele, Lea and Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014). Re-keying it costs two stores.
type Keyed struct{ key, n uint64 }

// NewKeyed is the source of key k, from its first output.
func NewKeyed(k uint64) Keyed { return Keyed{key: k} }

// Uint64 is the source's next output.
func (s *Keyed) Uint64() uint64 {
	s.n++
	return Mix(s.key + s.n*Golden)
}

var _ rand.Source = (*Keyed)(nil)

// Draws hands out the keyed streams of one run: the stream of (what, item,
// w) (a kind of value, the droplet it is for, an outage) depends on nothing
// else, so nothing is stored per item, no item's draws shift another's, and
// any process that knows the run's seed draws the same values. Salt keeps
// one user's values (the simulator's, live mode's) apart from another's. A
// Draws belongs to one goroutine; the *rand.Rand that Of returns is valid
// until its next call.
type Draws struct {
	seed uint64
	src  Keyed
	r    *rand.Rand
}

// NewDraws returns the draws of the run with seed, for the user salt.
func NewDraws(seed, salt uint64) *Draws {
	d := &Draws{seed: Mix(seed ^ salt)}
	d.r = rand.New(&d.src)
	return d
}

// Of re-keys the stream for (what, item, w) and returns it.
func (d *Draws) Of(what, item uint64, w int) *rand.Rand {
	d.src = NewKeyed(Mix(d.seed + what*Golden + uint64(w)<<32 + item))
	return d.r
}
