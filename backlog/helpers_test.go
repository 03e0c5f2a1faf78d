package backlog

import "time"

const ms = time.Millisecond

// at is offset d on the Stamps' clock (nanoseconds since the Unix epoch).
func at(d time.Duration) time.Time { return time.Unix(0, int64(d)) }

// pops pops up to n items from q at now, stopping at the first empty Pop.
func pops[T Timed](q Queue[T], now time.Time, n int) []T {
	var out []T
	for i := 0; i < n; i++ {
		v, ok := q.Pop(now)
		if !ok {
			break
		}
		out = append(out, v)
	}
	return out
}
