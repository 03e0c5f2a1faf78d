package policy

import (
	"github.com/aftershock/aftershock/throttle"
)

var gradient2Policy = Def{
	Name:   "gradient2",
	Roles:  []Role{RoleAdmission},
	Doc:    "Concurrency limit per host: limit·clamp(tolerance·longRTT/shortRTT, 0.5, 1) + queue, smoothed.",
	Source: netflix + " (Gradient2Limit)",
	Params: []Param{
		{Name: "initial", Kind: KindCount, Default: itoa(throttle.DefaultGradient2.Initial), Doc: "starting limit"},
		{Name: "min", Kind: KindCount, Default: itoa(throttle.DefaultGradient2.Min), Doc: "lowest limit"},
		{Name: "max", Kind: KindCount, Default: itoa(throttle.DefaultGradient2.Max), Doc: "highest limit"},
		{Name: "tolerance", Kind: KindNumber, Default: ftoa(throttle.DefaultGradient2.Tolerance), Doc: "RTT ratio tolerated before shrinking"},
		{Name: "smoothing", Kind: KindFraction, Default: ftoa(throttle.DefaultGradient2.Smoothing), Doc: "weight of each new limit"},
		{Name: "queue", Kind: KindCount, Default: itoa(throttle.DefaultGradient2.QueueSize), Doc: "headroom added to each new limit"},
	},
	Notes: []string{
		"the long RTT average has no warm-up (Netflix averages its first 10 samples plainly)",
		"the queue headroom is a constant (Netflix allows a function of the limit)",
		"in-flight is read when the unit leaves, not when it was admitted",
	},
	Build: admission(func(a Args) throttle.Gradient2Config {
		return throttle.Gradient2Config{Initial: a.Count("initial"), Min: a.Count("min"), Max: a.Count("max"),
			Tolerance: a.Float("tolerance"), Smoothing: a.Float("smoothing"), QueueSize: a.Count("queue"), LongWindow: throttle.DefaultGradient2.LongWindow}
	}, same(throttle.NewGradient2)),
}
