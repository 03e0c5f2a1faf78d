package policy

import (
	"fmt"
	"time"

	"github.com/aftershock/aftershock/throttle"
)

var aimdPolicy = Def{
	Name:   "aimd",
	Roles:  []Role{RoleAdmission},
	Doc:    "Concurrency limit per host: +1 while busy, ×backoff when an attempt is dropped, fails or takes longer than timeout.",
	Source: netflix + " (AIMDLimit)",
	Params: []Param{
		{Name: "initial", Kind: KindCount, Default: itoa(throttle.DefaultAIMD.Initial), Doc: "starting limit"},
		{Name: "min", Kind: KindCount, Default: itoa(throttle.DefaultAIMD.Min), Doc: "lowest limit"},
		{Name: "max", Kind: KindCount, Default: itoa(throttle.DefaultAIMD.Max), Doc: "highest limit"},
		{Name: "backoff", Kind: KindFraction, Default: ftoa(throttle.DefaultAIMD.Backoff), Doc: "multiplier on a drop"},
		{Name: "timeout", Kind: KindSpan, Default: dur(throttle.DefaultAIMD.Timeout), Doc: "latency above which an attempt counts as a drop (or a multiple of the mean service time, e.g. 4x)"},
	},
	Notes: []string{
		"the limit is a float; Netflix truncates it to an int and takes at least one unit off per drop",
		"Netflix's 5 s timeout is for millisecond RPCs: where the latency at the least limit (min/workers service times: 75 s on DWFM's hosts) exceeds it, every sample is a drop and the limit sits at min, a fixed cap; scale it (timeout=10x on DWFM)",
	},
	Build: admission(func(a Args) throttle.AIMDConfig {
		return throttle.AIMDConfig{Initial: a.Count("initial"), Min: a.Count("min"), Max: a.Count("max"),
			Backoff: a.Float("backoff"), Timeout: a.Span("timeout")}
	}, same(throttle.NewAIMD)),
	Caveat: func(a Args) string {
		// At its least limit, min attempts in flight on c workers, an
		// attempt spends about min/c service times in the host: a
		// timeout below that marks most samples drops, and the limit
		// never leaves min.
		t, svc, c, lo := a.Span("timeout"), a.Env.MeanService, max(a.Env.Workers, 1), a.Count("min")
		floor := time.Duration(float64(svc) * max(1, float64(lo)/float64(c)))
		if t > floor {
			return ""
		}
		return fmt.Sprintf("timeout %v is at most the latency at its least limit (min=%d in flight on %d workers of %v: about %v): attempts count as drops as a rule, so the limit sinks to min and stays: a fixed cap, not AIMD (timeout=%gx scales it)",
			t, lo, c, svc, floor.Round(time.Second/10), 2*max(1, float64(lo)/float64(c)))
	},
}
