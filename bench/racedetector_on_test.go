//go:build race

package bench

// raceSlowdown is how many times longer a run may take under the race
// detector (go test -race): the fuzz seeds' runs take 15 to 25 times their
// wall time without it (us-east-1 at fuzz scale: 0.17 s, then 2.3 s on an
// idle machine, 4.4 s on a loaded one).
const raceSlowdown = 20
