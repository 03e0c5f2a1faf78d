package throttle

import "time"

// Admitter decides, one unit of work at a time, whether work may enter.
type Admitter interface {
	// Admit reports whether one unit may enter at now, given how many units
	// are waiting in the queue it would join. Calls must come with
	// non-decreasing now.
	Admit(now time.Time, queued int) bool
}

// AdmitAll admits everything: the absence of a throttle.
type AdmitAll struct{}

// Admit always returns true.
func (AdmitAll) Admit(time.Time, int) bool { return true }

var _ Admitter = AdmitAll{}
