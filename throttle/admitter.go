package throttle

import "time"

// Admitter decides, one unit of work at a time, whether work may enter.
type Admitter interface {
	// Admit reports whether one unit may enter at now, given how many units
	// are waiting in the queue it would join. Calls come with non-decreasing
	// now from one goroutine; under concurrency, instants may interleave
	// slightly out of order and a control must not over-admit because of it.
	Admit(now time.Time, queued int) bool
}

// Feedback is implemented by admission controls that learn from outcomes.
// The caller reports every admitted unit exactly once when it leaves the
// service: ok is false when the work failed, was dropped, or finished after
// its client had given up; latency is the time from admission to leaving.
type Feedback interface {
	Done(now time.Time, latency time.Duration, ok bool)
}

// RetryGate decides whether a client may send a retry. It sees every first
// attempt (Request), asks before every retry (Retry, timeout telling whether
// the previous attempt timed out rather than failed fast), and hears of every
// success (Success, retried telling whether the request needed retries).
type RetryGate interface {
	Request(now time.Time)
	Retry(now time.Time, timeout bool) bool
	Success(now time.Time, retried bool)
}

// AdmitAll admits everything: the absence of a throttle.
type AdmitAll struct{}

// Admit always returns true.
func (AdmitAll) Admit(time.Time, int) bool { return true }

var _ Admitter = AdmitAll{}
