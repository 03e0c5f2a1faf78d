package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// Stream returns a random source for the named subsystem of the run with the
// given seed. The same (seed, name) always gives the same sequence; different
// names give independent sequences, so a new subsystem's draws never shift an
// old one's.
func Stream(seed uint64, name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}
