package attack

import (
	"slices"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// SurgePacer is a vegeta Pacer whose hits are at fixed instants: hit k at
// At[k] of elapsed wall time (sorted). It stops after the last.
type SurgePacer struct {
	At []time.Duration
	// Window is the span Rate averages over (0: one second).
	Window time.Duration
}

var _ vegeta.Pacer = SurgePacer{}

// Pace is the wait until hit number hits is due.
func (p SurgePacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if hits >= uint64(len(p.At)) {
		return 0, true
	}
	return max(0, p.At[hits]-elapsed), false
}

// Rate is the hits per second due within Window around elapsed.
func (p SurgePacer) Rate(elapsed time.Duration) float64 {
	w := p.Window
	if w <= 0 {
		w = time.Second
	}
	lo, _ := slices.BinarySearch(p.At, elapsed-w/2)
	hi, _ := slices.BinarySearch(p.At, elapsed+w/2)
	return float64(hi-lo) / w.Seconds()
}

// Schedule is the intended instants (elapsed since the start) of a pacer's
// first n hits: each from the previous one's intended instant, not from
// when it was sent, so that a late sender does not move the schedule. It
// stops early where the pacer does.
func Schedule(p vegeta.Pacer, n int) []time.Duration {
	out := make([]time.Duration, 0, n)
	var el time.Duration
	for k := range n {
		wait, stop := p.Pace(el, uint64(k))
		if stop {
			break
		}
		el += wait
		out = append(out, el)
	}
	return out
}
