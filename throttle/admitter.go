package throttle

import "time"

// Admitter decides, one unit of work at a time, whether work may enter.
type Admitter interface {
	// Admit reports whether one unit may enter at now, given how many units
	// are waiting in the queue it would join. Calls from one goroutine come
	// with non-decreasing now; under concurrency instants may interleave
	// slightly out of order, and each control's doc says what that does to
	// it.
	Admit(now time.Time, queued int) bool
}

// Feedback is implemented by admission controls that learn from outcomes.
// The caller reports every admitted unit exactly once when it leaves the
// service: ok is false when the work failed, was dropped, or finished after
// its client had given up; latency is the time from admission to leaving.
type Feedback interface {
	Done(now time.Time, latency time.Duration, ok bool)
}

// RetryGate decides whether a client may send a retry. A gate that also
// learns from first attempts or successes implements RequestObserver or
// SuccessObserver; a caller tests for them once, when it takes the gate.
type RetryGate interface {
	// Retry reports whether a retry may be sent at now, and records it if
	// so; timeout tells whether the previous attempt timed out rather than
	// failed fast.
	Retry(now time.Time, timeout bool) bool
}

// RequestObserver is a RetryGate that counts first attempts: the caller
// reports every first attempt of a request through Request.
type RequestObserver interface {
	Request(now time.Time)
}

// SuccessObserver is a RetryGate that learns from successes: the caller
// reports every request that succeeded through Success, retried telling
// whether it needed retries.
type SuccessObserver interface {
	Success(now time.Time, retried bool)
}

// AdmitAll admits everything: the absence of a throttle. Its zero value is
// the only value, and it is safe for concurrent use (it has no state).
type AdmitAll struct{}

// Admit always returns true.
func (AdmitAll) Admit(time.Time, int) bool { return true }

var _ Admitter = AdmitAll{}
