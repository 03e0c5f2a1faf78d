package nlb

import (
	"math/rand/v2"

	"github.com/aftershock/aftershock/bench/sim"
)

// Target is one target of the input schedule: its AZ, when it is launched
// (registered with the NLB) and when its network state has propagated (it is
// reachable from then on).
type Target struct {
	Zone       int
	Launch     sim.Time
	Propagated sim.Time
}

// Schedule is the standalone input of c: the initial fleet, launched and
// propagated at 0, then c.Launches targets launched evenly over
// [LaunchAt, LaunchAt + LaunchOver), each in a zone drawn by LaunchWeights
// and propagated after a delay drawn from Propagation. c must be valid.
func Schedule(c Section, rng *rand.Rand) []Target {
	ts := make([]Target, 0, c.Targets())
	for z := range c.Zones {
		for range c.TargetsPerZone {
			ts = append(ts, Target{Zone: z})
		}
	}
	var sum float64
	for _, w := range c.LaunchWeights {
		sum += w
	}
	for i := range c.Launches {
		at := sim.Time(c.LaunchAt) + sim.Time(float64(c.LaunchOver)*float64(i)/float64(c.Launches))
		z := i % c.Zones
		if sum > 0 {
			u := rng.Float64() * sum
			for z = 0; z < c.Zones-1 && u >= c.LaunchWeights[z]; z++ {
				u -= c.LaunchWeights[z]
			}
		}
		ts = append(ts, Target{Zone: z, Launch: at, Propagated: at + c.Propagation.Sample(rng)})
	}
	return ts
}
