package live

import (
	"slices"
	"time"

	"github.com/aftershock/aftershock/results"
)

// Shard is one of N attackers' share of the droplets (results.Shard): shard
// I (0 ≤ I < N, counted from 0 as loadgen sweep's shards are) takes the
// droplets whose number is I modulo N. The zero Shard is the whole fleet.
type Shard = results.Shard

// Surge is the droplets of a shard whose lease lapses in a dependency
// outage, each with the first instant (model time) it asks for a lease
// again: its first check at or after the lapse that finds the dependency up,
// as in package dwfm. Sorted by At; Droplet[k] asks at At[k]. Lapse holds
// the instants their leases lapse, sorted on their own.
type Surge struct {
	Droplet []int
	At      []time.Duration
	Lapse   []time.Duration
}

// Lapsed is the number of the surge's droplets whose lease has lapsed by t.
func (s Surge) Lapsed(t time.Duration) int {
	n, _ := slices.BinarySearch(s.Lapse, t+1)
	return n
}

// Surge computes the shard's surge. A droplet's lease runs out TTL after
// its last successful check before an outage, unless a check succeeds
// first; the first outage that lapses it decides its ask (a later outage
// does not lapse it again).
func (s *Setup) Surge(sh Shard) Surge {
	if sh.N < 1 {
		sh = Shard{I: 0, N: 1}
	}
	d := s.NewDraws()
	P := time.Duration(s.DWFM.CheckInterval)
	type ask struct {
		at, lapse time.Duration
		d         int
	}
	var asks []ask
	for i := sh.I; i < s.DWFM.Droplets; i += sh.N {
		phase := d.Phase(i)
		for w, o := range s.Outages {
			start := time.Duration(o.Start)
			last := nextCheck(phase, start, P) - P
			expiry := max(start, last+d.TTL(i, w))
			if s.nextGoodCheck(phase, start, P) <= expiry {
				continue // renewed before it lapsed
			}
			asks = append(asks, ask{s.nextGoodCheck(phase, expiry, P), expiry, i})
			break
		}
	}
	slices.SortStableFunc(asks, func(a, b ask) int { return int(a.at - b.at) })
	out := Surge{Droplet: make([]int, len(asks)), At: make([]time.Duration, len(asks)), Lapse: make([]time.Duration, len(asks))}
	for k, a := range asks {
		out.Droplet[k], out.At[k], out.Lapse[k] = a.d, a.at, a.lapse
	}
	slices.Sort(out.Lapse)
	return out
}

// nextCheck is the first check at or after t of a droplet whose checks are
// at phase modulo P.
func nextCheck(phase, t, P time.Duration) time.Duration {
	return t + ((phase-t)%P+P)%P
}

func (s *Setup) nextGoodCheck(phase, t, P time.Duration) time.Duration {
	c := nextCheck(phase, t, P)
	for s.Down(c) {
		var until time.Duration
		for _, w := range s.Outages {
			if c >= time.Duration(w.Start) && c < time.Duration(w.End) {
				until = time.Duration(w.End)
			}
		}
		c = nextCheck(phase, until, P)
	}
	return c
}

// Recheck is when a droplet refused at model time now asks again: one check
// interval later, give or take half of one (package dwfm's recheck), given
// u uniform on [0, 1).
func (s *Setup) Recheck(now time.Duration, u float64) time.Duration {
	P := time.Duration(s.DWFM.CheckInterval)
	return now + P/2 + time.Duration(u*float64(P)) + 1
}
