package bench

import (
	"fmt"
	"math"
)

// Limits bound what one run may cost, checked against its estimate before
// anything is built (see model.Cost). A zero field takes its default; +Inf
// lifts the limit. The CLI's --max-events, --max-memory and --max-rows set
// them.
type Limits struct {
	Events float64 // events the engine fires
	Bytes  float64 // peak live heap, bytes
	Rows   float64 // time-series rows written (horizon ÷ interval); 0 rows: no time series
}

// DefaultLimits: 10¹⁰ events is about half an hour to an hour at the event
// rates BenchmarkScale measures; 8 GiB of live heap is up to about 16 GiB of
// process memory under Go's default GOGC; 10⁶ rows is about 150 MB of
// timeseries.csv.
var DefaultLimits = Limits{Events: 1e10, Bytes: 8 << 30, Rows: 1e6}

// Estimate is a run's estimated cost.
type Estimate struct {
	Events, Bytes, Rows float64
}

// TooLargeError says which limit a run's estimate exceeds and which flag
// lifts it.
type TooLargeError struct {
	What     string  // "events", "memory" or "rows"
	Estimate float64 // the run's
	Limit    float64
	Flag     string // the loadgen flag that raises the limit
}

func (e *TooLargeError) Error() string {
	est, lim := fmt.Sprintf("%.3g", e.Estimate), fmt.Sprintf("%.3g", e.Limit)
	if e.What == "memory" {
		est, lim = Bytes(e.Estimate), Bytes(e.Limit)
	}
	hint := "shorten the horizon, lower the load or the droplets"
	if e.What == "rows" {
		hint = "lengthen the interval or shorten the horizon"
	}
	return fmt.Sprintf("bench: run too large: about %s %s (limit %s); %s, or raise the limit with %s",
		est, e.What, lim, hint, e.Flag)
}

// Check returns a *TooLargeError for the first estimate above l (zero
// fields of l at their defaults), nil if none is.
func (l Limits) Check(e Estimate) error {
	for _, c := range []struct {
		what, flag string
		est, lim   float64
	}{
		{"events", "--max-events", e.Events, or(l.Events, DefaultLimits.Events)},
		{"memory", "--max-memory", e.Bytes, or(l.Bytes, DefaultLimits.Bytes)},
		{"rows", "--max-rows", e.Rows, or(l.Rows, DefaultLimits.Rows)},
	} {
		if c.est > c.lim || math.IsNaN(c.est) {
			return &TooLargeError{What: c.what, Estimate: c.est, Limit: c.lim, Flag: c.flag}
		}
	}
	return nil
}

func or(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// Bytes formats n bytes in binary units (1.5 GiB).
func Bytes(n float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for n >= 1024 && i < len(units)-1 {
		n /= 1024
		i++
	}
	return fmt.Sprintf("%.3g %s", n, units[i])
}
