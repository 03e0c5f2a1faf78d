package record

import (
	"math"
	"strconv"
	"time"
)

// Formatting follows package results: fixed decimals, no exponent, and an
// empty field for a value that does not exist (NaN, a negative count).

func fmtFloat(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

func fmtInt(v int64) string {
	if v < 0 {
		return ""
	}
	return strconv.FormatInt(v, 10)
}

func fmtClock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// seconds is d in seconds.
func seconds(d time.Duration) float64 { return d.Seconds() }
