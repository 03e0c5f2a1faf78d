package backlog

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Jitter is how a backoff randomizes its waits (AWS Architecture Blog,
// "Exponential Backoff And Jitter", 2015).
type Jitter int

// Jitter kinds. With d = min(Cap, Base·Multiplier^(n−1)) for retry n:
const (
	NoJitter     Jitter = iota // wait d
	FullJitter                 // wait uniform on [0, d]
	EqualJitter                // wait d/2 + uniform on [0, d/2]
	Decorrelated               // wait min(Cap, uniform on [Base, 3·previous wait])
)

var jitterNames = []string{"none", "full", "equal", "decorrelated"}

func (j Jitter) String() string {
	if int(j) < len(jitterNames) {
		return jitterNames[j]
	}
	return fmt.Sprintf("Jitter(%d)", int(j))
}

// ParseJitter reads a jitter name.
func ParseJitter(s string) (Jitter, error) {
	for i, n := range jitterNames {
		if s == n {
			return Jitter(i), nil
		}
	}
	return 0, fmt.Errorf("backlog: jitter %q: want none, full, equal or decorrelated", s)
}

// Backoff is a client's schedule of waits before retries. The zero value
// retries at once. A Backoff is never modified, so it is safe for concurrent
// use; each caller brings its own *rand.Rand.
type Backoff struct {
	Base       time.Duration // wait before the first retry; ≥ 0
	Cap        time.Duration // longest wait, ≥ Base; 0: no cap
	Multiplier float64       // growth per retry, in [1, 100]: 1 fixed, 2 exponential; 0 means 1
	Jitter     Jitter
}

// Validate reports the first field of b out of range, as "backlog: backoff
// <field> <value> <what is wrong>".
func (b Backoff) Validate() error {
	switch {
	case b.Base < 0:
		return fmt.Errorf("backlog: backoff base %v below 0", b.Base)
	case b.Cap < 0:
		return fmt.Errorf("backlog: backoff cap %v below 0", b.Cap)
	case b.Cap > 0 && b.Cap < b.Base:
		return fmt.Errorf("backlog: backoff cap %v below base %v", b.Cap, b.Base)
	case b.Multiplier != 0 && !(b.Multiplier >= 1 && b.Multiplier <= 100): // NaN too
		return fmt.Errorf("backlog: backoff multiplier %v outside [1, 100] (0 means 1)", b.Multiplier)
	case b.Jitter < NoJitter || b.Jitter > Decorrelated:
		return fmt.Errorf("backlog: backoff jitter %d unknown", b.Jitter)
	}
	return nil
}

// Delay is the wait before retry n (1 for the first retry); prev is the wait
// before the previous retry (used by Decorrelated; 0 for the first).
func (b Backoff) Delay(n int, prev time.Duration, r *rand.Rand) time.Duration {
	if b.Jitter == Decorrelated {
		hi := 3 * max(prev, b.Base)
		d := b.Base + rnd(r, hi-b.Base)
		return b.cap(d)
	}
	d := float64(b.Base)
	m := max(b.Multiplier, 1)
	ceiling := float64(b.Cap)
	if ceiling == 0 {
		ceiling = float64(1 << 62)
	}
	for i := 1; i < n && d < ceiling; i++ {
		d *= m
	}
	w := time.Duration(min(d, ceiling))
	switch b.Jitter {
	case FullJitter:
		return rnd(r, w)
	case EqualJitter:
		return w/2 + rnd(r, w-w/2)
	}
	return w
}

func (b Backoff) cap(d time.Duration) time.Duration {
	if b.Cap > 0 && d > b.Cap {
		return b.Cap
	}
	return d
}

// rnd is uniform on [0, d].
func rnd(r *rand.Rand, d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(r.Int64N(int64(d) + 1))
}
