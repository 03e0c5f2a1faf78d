package attack

import (
	"fmt"

	"github.com/aftershock/aftershock/bench/live"
)

// NoDroplets is the error for a shard that holds none of the droplets
// (more shards than droplets), nil when it holds some: such a shard has
// nothing to attack, and its summary would claim a recovery.
func NoDroplets(sh live.Shard, droplets int) error {
	if sh.Count(droplets) > 0 {
		return nil
	}
	return fmt.Errorf("shard %s has 0 of %d droplets (droplet d is shard d mod n's): give at most %d shards", sh, droplets, max(droplets, 1))
}
