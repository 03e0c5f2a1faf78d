package dwfm

import (
	"github.com/aftershock/aftershock/bench/model"
)

// dropletBytes is the heap a droplet costs apart from its queued attempts:
// its own record, its expiry or retry timer in the event queue, and its share
// of the per-host release lists (measured with BenchmarkScale: about 100
// bytes a droplet in a run that recovers at once).
const dropletBytes = 128

// Cost estimates a run of c over horizon before anything is built. Under the
// collapse loop every droplet queues a new attempt each establish_timeout
// while the old one stays queued, so a droplet costs at most
// 1 + horizon/establish_timeout attempts; each attempt fires about three
// events (queued or started, timed out, done) and holds a Job until it is
// worked or dropped. c must be valid.
func (c Config) Cost(horizon model.Duration) model.Cost {
	n := float64(c.Droplets)
	attempts := n * (1 + float64(horizon)/float64(c.EstablishTimeout))
	return model.Cost{
		Events: 2*n + 3*attempts,
		Bytes:  n*dropletBytes + attempts*model.JobBytes,
	}
}
