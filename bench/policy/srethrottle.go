package policy

import (
	"github.com/aftershock/aftershock/throttle"
)

var sreThrottlePolicy = Def{
	Name:   "sre-throttle",
	Roles:  []Role{RoleClient},
	Doc:    "Clients refuse locally with probability max(0, (requests − K·accepts)/(requests + 1)) over a sliding window; one per host, shared by its clients.",
	Source: "Google SRE book, ch. 21 (client-side throttling)",
	Params: []Param{
		{Name: "k", Kind: KindNumber, Default: ftoa(throttle.DefaultSREThrottle.K), Doc: "accepts multiplier: higher admits more"},
		{Name: "window", Kind: KindDuration, Default: dur(throttle.DefaultSREThrottle.Window), Doc: "history kept"},
	},
	Notes: []string{
		"one throttle per host, shared by all its clients (the book runs one in each client, on its own traffic)",
		"an accept is an attempt answered in time; the book counts every request the backend did not reject",
	},
	Build: client(func(a Args) throttle.SREThrottleConfig {
		return throttle.SREThrottleConfig{K: a.Float("k"), Window: a.Duration("window"),
			Buckets: throttle.DefaultSREThrottle.Buckets, Seed: a.Env.Seed}
	}, func(c throttle.SREThrottleConfig, s int) (*throttle.SREThrottle, error) {
		c.Seed ^= uint64(s) * 0x9e3779b97f4a7c15 // one stream per station
		return throttle.NewSREThrottle(c)
	}),
}
