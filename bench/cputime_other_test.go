//go:build !unix

package bench

import "time"

// cpuTime is not measured here: BenchmarkSweepParallel reports 0 CPU time.
func cpuTime() time.Duration { return 0 }
