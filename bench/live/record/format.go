package record

import "time"

// Numbers are written as package results writes them (results.FormatFloat,
// FormatInt64, FormatClock): fixed decimals, no exponent, and an empty field
// for a value that does not exist (NaN, a negative count).

// seconds is d in seconds.
func seconds(d time.Duration) float64 { return d.Seconds() }
