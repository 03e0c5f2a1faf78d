package throttle

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// CapacityVelocity paces the removal of capacity: within any sliding window
// it lets go at most a share of the capacity in service, and a removal
// asking for more is granted the part the window allows now, the rest later
// (capacity leaves gradually; nothing is refused for good). It is the control
// AWS announced for NLB after the October 2025 us-east-1 event: "a velocity
// control mechanism to limit the capacity a single NLB can remove when health
// check failures cause AZ failover" (post-event summary,
// https://aws.amazon.com/message/101925/). AWS published the mechanism, not
// its figures; DefaultCapacityVelocity (10% per 5 min) is this package's
// example, to be swept.
//
// Rule: Grant(now, inService, want) is asked before want units of capacity
// leave; inService is the capacity in service at now, before they do. Let R
// be the units granted within the window, (now − Window, now]. The base is
// inService + R: the capacity in service at now plus what this control let go
// within the window, i.e. what was in service before the window's removals
// (capacity added within the window counts too). Grant returns
// g = min(want, Share·base − R), or 0 if that is negative, and records it at
// now. AllowN(now, inService, n) is the all-or-nothing form: it grants n
// only if g would be n.
//
// Invariant: if every call passes the capacity in service at that moment
// (after the grants of earlier calls), then at every instant T at which it
// grants, the units granted in (T − Window, T] total at most
// Share·(C(T) + those units), C(T) being the capacity left in service after
// T's grants: at most Share of what was in service before the window's
// removals. Several calls at one instant share that bound (each sees the
// capacity the earlier ones left and their grants in R), so asking per part
// (per AZ) grants what asking for the sum would.
//
// Why a share of capacity in service, not a count: the NLB's capacity grows
// and shrinks with its targets (launches register new ones), and a count
// that is small against a large fleet is all of a small one. Why the sliding
// window: a burst of bad health signals may take at most Share within any
// Window, so operators have a window to notice before more goes.
//
// Instants out of order: a call earlier than the latest one seen is judged
// and recorded at the latest instant (its window holds everything the latest
// window holds), so the invariant holds at the recorded instants in any
// order, and a late caller is never judged against less history.
//
// Memory: the window's grants are kept in a ring of 256 events; at most one
// event per distinct instant (grants at one instant merge). When the ring is
// full, the oldest event's units are folded into the next one, which is
// later: they then count longer than their window, never shorter, so a full
// ring makes the control stricter, never looser.
//
// The zero value is not usable; use NewCapacityVelocity. It is safe for
// concurrent use: one mutex guards the ring. Its methods allocate nothing.
type CapacityVelocity struct {
	share  float64
	window time.Duration

	mu struct {
		sync.Mutex
		at     [capacityVelocityEvents]time.Time // recorded instants, non-decreasing from head
		units  [capacityVelocityEvents]float64
		head   int // oldest event
		n      int // events held
		latest time.Time
		seen   bool
	}
}

// capacityVelocityEvents is the ring's size.
const capacityVelocityEvents = 256

// CapacityVelocityConfig parameterises a CapacityVelocity; see
// DefaultCapacityVelocity.
type CapacityVelocityConfig struct {
	// Share is the capacity that may leave within any Window, as a share of
	// the capacity in service before the window's removals; in (0, 1]. 1
	// lets everything go at once: the control never binds.
	Share  float64
	Window time.Duration // the sliding window; > 0
}

// DefaultCapacityVelocity lets 10% of the capacity in service go per 5
// minutes. AWS published no figure; this is an example to sweep.
var DefaultCapacityVelocity = CapacityVelocityConfig{Share: 0.10, Window: 5 * time.Minute}

// Validate reports the first field of c out of range.
func (c CapacityVelocityConfig) Validate() error {
	if !(c.Share > 0 && c.Share <= 1) {
		return fmt.Errorf("throttle: capacity velocity share %g outside (0, 1]", c.Share)
	}
	if c.Window <= 0 {
		return fmt.Errorf("throttle: capacity velocity window %v must be above 0", c.Window)
	}
	return nil
}

// NewCapacityVelocity returns a control that has let nothing go, or
// c.Validate's error.
func NewCapacityVelocity(c CapacityVelocityConfig) (*CapacityVelocity, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &CapacityVelocity{share: c.Share, window: c.Window}, nil
}

// Share is the share of capacity in service the control lets go per window.
func (v *CapacityVelocity) Share() float64 { return v.share }

// Window is the control's sliding window.
func (v *CapacityVelocity) Window() time.Duration { return v.window }

// atLocked moves the latest instant forward to now (never back), drops the
// events no longer within the window ending there, and returns the instant
// a call at now is judged and recorded at.
func (v *CapacityVelocity) atLocked(now time.Time) time.Time {
	if !v.mu.seen || now.After(v.mu.latest) {
		v.mu.latest, v.mu.seen = now, true
	}
	from := v.mu.latest.Add(-v.window)
	for v.mu.n > 0 && !v.mu.at[v.mu.head].After(from) {
		v.mu.head = (v.mu.head + 1) % capacityVelocityEvents
		v.mu.n--
	}
	return v.mu.latest
}

// grantedLocked is R: the units granted within the window ending at the
// latest instant.
func (v *CapacityVelocity) grantedLocked() float64 {
	var r float64
	for i := range v.mu.n {
		r += v.mu.units[(v.mu.head+i)%capacityVelocityEvents]
	}
	return r
}

// allowedLocked is Share·(inService + R) − R, at least 0.
func (v *CapacityVelocity) allowedLocked(inService float64) float64 {
	if !(inService > 0) || math.IsInf(inService, 0) {
		inService = 0
	}
	r := v.grantedLocked()
	return max(v.share*(inService+r)-r, 0)
}

// recordLocked records g units at instant at.
func (v *CapacityVelocity) recordLocked(at time.Time, g float64) {
	if v.mu.n > 0 {
		last := (v.mu.head + v.mu.n - 1) % capacityVelocityEvents
		if v.mu.at[last].Equal(at) {
			v.mu.units[last] += g
			return
		}
	}
	if v.mu.n == capacityVelocityEvents { // fold the oldest into the next, later one
		next := (v.mu.head + 1) % capacityVelocityEvents
		v.mu.units[next] += v.mu.units[v.mu.head]
		v.mu.head = next
		v.mu.n--
	}
	i := (v.mu.head + v.mu.n) % capacityVelocityEvents
	v.mu.at[i], v.mu.units[i] = at, g
	v.mu.n++
}

// Grant lets up to want units of capacity go at now, with inService units in
// service before they do, and returns how many it lets go: all of want, the
// part the window allows, or 0. A want that is not above 0 gets 0.
func (v *CapacityVelocity) Grant(now time.Time, inService, want float64) float64 {
	if !(want > 0) {
		return 0
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	at := v.atLocked(now)
	g := min(want, v.allowedLocked(inService))
	if g > 0 {
		v.recordLocked(at, g)
	}
	return g
}

// AllowN lets n units go at now, all or nothing (a single target leaving
// service is one unit: it cannot leave in part).
func (v *CapacityVelocity) AllowN(now time.Time, inService, n float64) bool {
	if !(n > 0) {
		return false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	at := v.atLocked(now)
	if n > v.allowedLocked(inService) {
		return false
	}
	v.recordLocked(at, n)
	return true
}

// Remaining is what Grant would let go at now with inService units in
// service.
func (v *CapacityVelocity) Remaining(now time.Time, inService float64) float64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.atLocked(now)
	return v.allowedLocked(inService)
}
