// Package loopback runs live mode in one process: it serves a Setup on
// 127.0.0.1 (package live/server) and attacks it (package live/attack),
// as `loadgen attack` does without --target, and returns what the attack
// measured, as an attack.Outcome and as a row results.Rank ranks. It is
// what tests and examples use to rank controls live, bounded in time (the
// scenario's horizon, in wall time at the scale given) and in requests
// (the scenario's droplets), and leaving nothing running.
//
// Concurrency: Run may be called from several goroutines, each run with
// its own server and attacker (on a machine with the cores for it: a run
// that shares its cores may not keep up, Outcome.KeptUp).
package loopback
