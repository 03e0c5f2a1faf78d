package results

import "math"

// Recorded is s as a result file records it: without its wall time (WallS
// NaN, wall_s empty) unless wall. wall_s is the one column that measures the
// machine rather than the model; leaving it out makes the same inputs write
// byte-identical files, so a sharded sweep merges byte for byte into the
// single machine's file.
func (s Summary) Recorded(wall bool) Summary {
	if !wall {
		s.WallS = math.NaN()
	}
	return s
}
