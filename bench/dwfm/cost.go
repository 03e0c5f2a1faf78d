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
// while the old one stays queued, so a droplet queues at most
// 1 + horizon/establish_timeout attempts, each holding a Job until it is
// worked or dropped; every outage may fail each droplet's attempt in service
// once more. A policy that refuses (refuses) sends a refused droplet back to
// its next check, at least half a check interval later (recheck), so it may
// send an attempt every check_interval/2 instead when that is sooner; a
// refused attempt holds no Job. Each attempt fires about three events
// (queued or started, timed out, done). c must be valid.
func (c Section) Cost(horizon model.Duration, outages int, refuses bool) model.Cost {
	n := float64(c.Droplets)
	queued := n * (1 + float64(outages) + float64(horizon)/float64(c.EstablishTimeout))
	sent := queued
	if refuses {
		sent = max(sent, n*(1+float64(outages)+float64(horizon)/(float64(c.CheckInterval)/2)))
	}
	return model.Cost{
		Events: 2*n + 3*sent,
		Bytes:  n*dropletBytes + queued*model.JobBytes,
	}
}
