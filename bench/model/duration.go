package model

import (
	"encoding"
	"fmt"
	"strconv"
	"time"
)

// Duration is a span of time in a scenario file, written as a quoted string
// with a unit ("14h32m", "50ms"). It parses itself, so a config field of this
// type decodes straight from a file; a bare number is refused, never read as
// nanoseconds, and so is a negative span. The zero Duration is 0.
type Duration time.Duration

var (
	_ encoding.TextUnmarshaler = (*Duration)(nil)
	_ encoding.TextMarshaler   = Duration(0)
)

// MaxSpan bounds every span a scenario sets (a horizon, a timeout, a TTL):
// with it, no sum of virtual times a model forms can overflow.
const MaxSpan = Duration(366 * 24 * time.Hour)

// UnmarshalText parses a duration with a unit.
func (d *Duration) UnmarshalText(b []byte) error {
	s := string(b)
	v, err := time.ParseDuration(s)
	switch {
	case err != nil && isNumber(s):
		return fmt.Errorf("model: duration %s has no unit: write it quoted with one, e.g. \"%ss\"", s, s)
	case err != nil:
		return fmt.Errorf("model: %q is not a duration: want a number with a unit, e.g. \"14h32m\" or \"50ms\"", s)
	case v < 0:
		return fmt.Errorf("model: duration %v below 0", v)
	}
	*d = Duration(v)
	return nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// MarshalText writes d in the form UnmarshalText reads.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// String is d as time.Duration prints it.
func (d Duration) String() string { return time.Duration(d).String() }

// InRange returns an error naming key when d is outside [lo, hi]; callers
// prefix their package.
func InRange(key string, d, lo, hi Duration) error {
	switch {
	case d < lo:
		return fmt.Errorf("%s %v below %v", key, d, lo)
	case d > hi:
		return fmt.Errorf("%s %v above the limit %v", key, d, hi)
	}
	return nil
}
