package figure

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"
)

// clockTicks marks an axis of Unix seconds at round local clock times
// ("02:00", "02:30") in zone.
type clockTicks struct{ zone *time.Location }

var _ plot.Ticker = clockTicks{}

// clockSteps are the tick spacings clockTicks chooses from, in seconds.
var clockSteps = []float64{60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400}

// Ticks implements plot.Ticker: at most about 9 labelled ticks.
func (t clockTicks) Ticks(lo, hi float64) []plot.Tick {
	step := clockSteps[len(clockSteps)-1]
	for _, s := range clockSteps {
		if (hi-lo)/s <= 8 {
			step = s
			break
		}
	}
	_, off := time.Unix(int64(lo), 0).In(t.zone).Zone()
	var ticks []plot.Tick
	for v := math.Ceil((lo+float64(off))/step)*step - float64(off); v <= hi; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: time.Unix(int64(v), 0).In(t.zone).Format("15:04")})
	}
	return ticks
}

// durationTicks labels an axis of seconds as durations ("1h30m", "45s").
type durationTicks struct{}

var _ plot.Ticker = durationTicks{}

// Ticks implements plot.Ticker.
func (durationTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = fmtDur(ticks[i].Value)
		}
	}
	return ticks
}

// fmtDur writes s seconds as a short duration: "2h05m", "4m30s", "1.5s".
func fmtDur(s float64) string {
	switch a := math.Abs(s); {
	case a >= 3600:
		m := int64(math.Round(s / 60))
		return fmt.Sprintf("%dh%02dm", m/60, m%60)
	case a >= 60:
		r := int64(math.Round(s))
		return fmt.Sprintf("%dm%02ds", r/60, r%60)
	}
	return fmt.Sprintf("%.3gs", s)
}

// countTicks labels an axis of counts or rates compactly: "2M", "500k",
// "2.5".
type countTicks struct{}

var _ plot.Ticker = countTicks{}

// Ticks implements plot.Ticker.
func (countTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = compact(ticks[i].Value)
		}
	}
	return ticks
}

// compact writes v with a k or M suffix from a thousand on, and at most four
// significant digits.
func compact(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'g', 4, 64) + "M"
	case a >= 1e3:
		return strconv.FormatFloat(v/1e3, 'g', 4, 64) + "k"
	case a < 1e-9:
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}
