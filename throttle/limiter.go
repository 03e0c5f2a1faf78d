package throttle

import (
	"sync"
	"time"
)

// limiter is the admission and in-flight accounting that the four
// concurrency limits (AIMD, Vegas, Gradient2, EnvoyGradient) share, in the
// split of Netflix concurrency-limits and its Go port
// (https://github.com/platinummonkey/go-concurrency-limits: limit/ holds the
// algorithms, limiter/ the accounting). It admits a unit while fewer than the
// limit in force are in flight, counts units out again, and hands every
// outcome to its rule, which returns the new limit. The rule is the whole
// algorithm; nothing else differs between the four.
//
// The limit is a float64, fractional as the rules compute it; the limit in
// force is that rounded down, at least 1 (or what a pinner pins it to).
//
// mu guards limit, inflight and all of the rule's state: the rule's methods
// are called with it held (they end in Locked).
type limiter struct {
	mu       sync.Mutex
	limit    float64
	inflight int

	rule rule
	pin  pinner // rule, if it implements pinner; else nil
}

// rule is a concurrency-limit algorithm: how the limit moves.
type rule interface {
	// updateLocked returns the limit after one admitted unit left at now,
	// latency after it was admitted, ok or not; inflight is the number in
	// flight before it left and limit the current limit.
	updateLocked(now time.Time, latency time.Duration, ok bool, inflight int, limit float64) float64
}

// pinner is a rule that may, for a while, hold the limit in force at a value
// other than the computed limit (EnvoyGradient's minRTT measurement). The
// limiter tests for it once, at init. (A pin that may start at a Done starts
// there inside updateLocked.)
type pinner interface {
	// pinLocked is called first on every Admit, with its instant: it may
	// start or end a pin, and returns the limit in force and true while
	// pinned.
	pinLocked(now time.Time) (int, bool)
	// pinnedLocked returns what pinLocked last returned.
	pinnedLocked() (int, bool)
}

// init sets the starting limit and the rule; call it once, before use.
func (l *limiter) init(limit float64, r rule) {
	l.limit, l.rule = limit, r
	l.pin, _ = r.(pinner)
}

// admit lets one unit in iff fewer than the limit in force are in flight.
func (l *limiter) admit(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := max(1, int(l.limit))
	if l.pin != nil {
		if p, ok := l.pin.pinLocked(now); ok {
			n = p
		}
	}
	if l.inflight < n {
		l.inflight++
		return true
	}
	return false
}

// done counts one unit out (never below zero) and lets the rule update the
// limit with the number in flight before it left.
func (l *limiter) done(now time.Time, latency time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	inflight := l.inflight
	if inflight > 0 {
		l.inflight--
	}
	l.limit = l.rule.updateLocked(now, latency, ok, inflight, l.limit)
}

// capacity is the limit in force as of the latest admit or done.
func (l *limiter) capacity() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pin != nil {
		if n, ok := l.pin.pinnedLocked(); ok {
			return n
		}
	}
	return max(1, int(l.limit))
}

// count is the number of units admitted and not yet done.
func (l *limiter) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inflight
}
