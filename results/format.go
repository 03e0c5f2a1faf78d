package results

import (
	"math"
	"strconv"
	"time"
)

// Missing is how a value that does not exist is written.
const Missing = ""

// FormatFloat is v with a fixed number of decimals and no exponent, as the
// result files write numbers: Missing for NaN and infinities.
func FormatFloat(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Missing
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

func fmtInt(v int) string {
	if v < 0 {
		return Missing
	}
	return strconv.Itoa(v)
}

// FormatInt64 is a count as the result files write it: Missing when
// negative (no such count).
func FormatInt64(v int64) string {
	if v < 0 {
		return Missing
	}
	return strconv.FormatInt(v, 10)
}

func fmtUint(v uint64) string { return strconv.FormatUint(v, 10) }

func fmtBool(v bool) string { return strconv.FormatBool(v) }

// FormatClock is a clock time in RFC 3339: Missing for the zero time.
func FormatClock(t time.Time) string {
	if t.IsZero() {
		return Missing
	}
	return t.Format(time.RFC3339)
}
