package throttle

import (
	"fmt"
	"math"
	"time"
)

// The helpers below check the fields several Configs share, with errors in
// the house format: "throttle: <control> <field> <value> <what is wrong>".

// checkBounds checks a concurrency limit's Initial, Min and Max:
// 1 ≤ Min ≤ Initial ≤ Max.
func checkBounds(control string, initial, minimum, maximum int) error {
	if minimum < 1 {
		return fmt.Errorf("throttle: %s min %d below 1", control, minimum)
	}
	if initial < minimum {
		return fmt.Errorf("throttle: %s initial %d below min %d", control, initial, minimum)
	}
	if maximum < initial {
		return fmt.Errorf("throttle: %s max %d below initial %d", control, maximum, initial)
	}
	return nil
}

// checkRate checks a rate in units per second: above 0 and finite.
func checkRate(control string, perSecond float64) error {
	if !(perSecond > 0) || math.IsInf(perSecond, 1) {
		return fmt.Errorf("throttle: %s rate %v must be above 0 and finite", control, perSecond)
	}
	return nil
}

// maxBuckets bounds a sliding window's buckets: they are allocated at
// construction (8 bytes each), and a resolution finer than a 65536th of the
// window buys nothing.
const maxBuckets = 1 << 16

// checkWindow checks a span split into n buckets (see window).
func checkWindow(control, field string, span time.Duration, n int) error {
	if span <= 0 {
		return fmt.Errorf("throttle: %s %s %v must be above 0", control, field, span)
	}
	if n < 1 || n > maxBuckets {
		return fmt.Errorf("throttle: %s buckets %d outside [1, %d]", control, n, maxBuckets)
	}
	if span < time.Duration(n) {
		return fmt.Errorf("throttle: %s %s %v is shorter than %d buckets of 1ns", control, field, span, n)
	}
	return nil
}
