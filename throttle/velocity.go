package throttle

import (
	"fmt"
	"sync"
	"time"
)

// Velocity is a velocity control: it bounds how much change is let through in
// any stretch of time, whatever the change is, as a count of units per window;
// it paces host restarts and the release of held retries. The control AWS
// announced for NLB after the October 2025 us-east-1 event, limiting how much
// capacity a load balancer may remove when health-check failures trigger AZ
// failover, is CapacityVelocity: a share of the capacity in service, not a
// count, and a removal above it is granted in part rather than refused.
//
// Published source and defaults: AWS published the mechanism, not its
// numbers. DefaultVelocity (16 per minute) is this package's example, the
// one the velocity retry policy starts from; choose Max and Window per use.
//
// Rule: Allow(now, n) lets a change of n units through if the units let
// through in the last Window, (now − Window, now], plus n stay ≤ Max, and
// records it if so. n < 1 and n > Max are refused. It is a true sliding
// window, not buckets: it keeps a ring of the (instant, n) events let through.
// A window holds at most Max units and every event at least one, so the ring
// never needs more than Max entries; it is allocated at construction.
//
// Invariant: in ANY interval of length Window, [a, a+Window), the units let
// through total at most Max. It holds for any order of calls, not only for
// non-decreasing instants: a call earlier than the latest one seen counts
// every event recorded at or after its own now − Window, including those
// after its now, and is recorded at the latest instant seen so the ring stays
// in time order. (An event it evicts is older than that call's window; any
// later call whose window still reached it finds all Max newer entries in its
// window and is refused.) A late caller is thus judged against more history,
// never less.
//
// Trade-offs: unlike a token bucket it has no rate, only a cap per window: all
// Max units may go at once, then nothing until they age out, so a burst of
// change is followed by a full Window of stillness. That is the point for
// removing capacity (a bad health signal can take at most Max in a Window,
// leaving operators time to notice) and a poor fit for smooth throughput.
// Each call scans the events in the window: O(Max) at worst.
//
// The zero value is not usable; use NewVelocity. A Velocity is safe for
// concurrent use: one mutex guards the ring; the methods that need it held
// end in Locked.
type Velocity struct {
	max    int
	window time.Duration

	// The ring holds recorded events at absolute positions head ≤ p < tail
	// (index p % max). Events at live ≤ p < tail are younger than
	// latest − window and their units sum to sum; older ones stay in the ring
	// until overwritten, for late callers to count. A live event is never
	// overwritten: the ring holds max events, each of at least one unit, and a
	// full live window refuses everything.
	mu struct {
		sync.Mutex
		at               []time.Time // recorded instants, non-decreasing by position
		units            []int
		head, live, tail uint64
		sum              int       // units at live ≤ p < tail
		latest           time.Time // latest instant seen
	}
}

// VelocityConfig parameterises a Velocity; see DefaultVelocity.
type VelocityConfig struct {
	Max    int           // units let through in any Window at most; in [1, 2²⁰] (the ring holds Max events, 32 bytes each)
	Window time.Duration // the sliding window; > 0
}

// maxVelocity bounds VelocityConfig.Max: the ring is allocated at
// construction, 32 bytes per unit.
const maxVelocity = 1 << 20

// DefaultVelocity lets 16 units through per minute.
var DefaultVelocity = VelocityConfig{Max: 16, Window: time.Minute}

// Validate reports the first field of c out of range.
func (c VelocityConfig) Validate() error {
	if c.Max < 1 || c.Max > maxVelocity {
		return fmt.Errorf("throttle: velocity max %d outside [1, %d]", c.Max, maxVelocity)
	}
	if c.Window <= 0 {
		return fmt.Errorf("throttle: velocity window %v must be above 0", c.Window)
	}
	return nil
}

// NewVelocity returns a control that has let nothing through, or
// c.Validate's error.
func NewVelocity(c VelocityConfig) (*Velocity, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	v := &Velocity{max: c.Max, window: c.Window}
	v.mu.at = make([]time.Time, c.Max)
	v.mu.units = make([]int, c.Max)
	return v, nil
}

func (v *Velocity) idx(p uint64) int { return int(p % uint64(v.max)) }

// advanceLocked moves latest to now if later and expires events that are no
// longer younger than latest − window from the running sum.
func (v *Velocity) advanceLocked(now time.Time) {
	if !now.After(v.mu.latest) {
		return
	}
	v.mu.latest = now
	from := now.Add(-v.window)
	for v.mu.live < v.mu.tail && !v.mu.at[v.idx(v.mu.live)].After(from) {
		v.mu.sum -= v.mu.units[v.idx(v.mu.live)]
		v.mu.live++
	}
}

// inWindowLocked is the units recorded after now − window. For now = latest
// that is the running sum; a late caller also counts the expired events still
// younger than its own window start, so that it cannot over-admit.
func (v *Velocity) inWindowLocked(now time.Time) int {
	sum := v.mu.sum
	if now.Before(v.mu.latest) {
		from := now.Add(-v.window)
		for p := v.mu.live; p > v.mu.head && v.mu.at[v.idx(p-1)].After(from); p-- {
			sum += v.mu.units[v.idx(p-1)]
		}
	}
	return sum
}

// Allow records a change of n units at now if the units allowed within the
// window before now, plus n, stay within max; n outside [1, max] is refused.
// A call with an instant earlier than one already seen is judged against its
// own window and recorded at the latest instant seen.
func (v *Velocity) Allow(now time.Time, n int) bool {
	if n < 1 || n > v.max {
		return false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.advanceLocked(now)
	if v.inWindowLocked(now)+n > v.max {
		return false
	}
	if v.mu.tail-v.mu.head == uint64(v.max) {
		v.mu.head++ // oldest event, expired (see the ring's invariant)
	}
	i := v.idx(v.mu.tail)
	v.mu.at[i], v.mu.units[i] = v.mu.latest, n
	v.mu.tail++
	v.mu.sum += n
	return true
}

// Remaining is how many units Allow would accept at now.
func (v *Velocity) Remaining(now time.Time) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.advanceLocked(now)
	return v.max - v.inWindowLocked(now)
}

// Admit is Allow(now, 1); queued is ignored.
func (v *Velocity) Admit(now time.Time, _ int) bool { return v.Allow(now, 1) }

var _ Admitter = (*Velocity)(nil)
