//go:build !race

package bench

// raceSlowdown is how many times longer a run may take under the race
// detector; this build has none.
const raceSlowdown = 1
