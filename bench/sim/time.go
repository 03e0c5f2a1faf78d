package sim

import "time"

// Time is virtual time in nanoseconds since the start of a run.
type Time int64

// Never is a time after every event of any run.
const Never Time = 1<<63 - 1

// Duration returns t as a time.Duration since the start of the run.
func (t Time) Duration() time.Duration { return time.Duration(t) }

// Seconds returns t in seconds.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// String formats t like a time.Duration ("1h2m3s").
func (t Time) String() string {
	if t == Never {
		return "never"
	}
	return time.Duration(t).String()
}
