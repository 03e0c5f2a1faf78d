package policy

import (
	"github.com/aftershock/aftershock/throttle"
)

var vegasPolicy = Def{
	Name:  "vegas",
	Roles: []Role{RoleAdmission},
	Doc: "Concurrency limit per host from TCP Vegas: estimates the queue as limit·(1 − noLoadRTT/RTT) and grows or shrinks it by log10(limit); " +
		"noLoadRTT is re-probed after 15-30 limits' worth of samples.",
	Source: netflix + " (VegasLimit)",
	Params: []Param{
		{Name: "initial", Kind: KindCount, Default: itoa(throttle.DefaultVegas.Initial), Doc: "starting limit"},
		{Name: "max", Kind: KindCount, Default: itoa(throttle.DefaultVegas.Max), Doc: "highest limit"},
		{Name: "smoothing", Kind: KindFraction, Default: ftoa(throttle.DefaultVegas.Smoothing), Doc: "weight of each new estimate"},
		{Name: "probe-multiplier", Kind: KindWhole, Default: itoa(throttle.DefaultVegas.ProbeMultiplier), Doc: "re-probe noLoadRTT after jitter·this·limit samples, jitter in [0.5, 1) from the run's seed; 0: never"},
	},
	Notes: []string{
		"log10 is taken on the float limit (Netflix rounds it down) and the queue estimate is not rounded up",
		"a drop halves the limit (Netflix's default takes log10(limit) off)",
		"the app-limited guard blocks only increases (Netflix skips every update but a drop)",
		"a sample that lowers the no-load RTT still moves the limit (Netflix skips it)",
		"only successful samples count towards a re-probe and can be one (Netflix counts every sample)",
		"the probe jitter comes from the run's seed, one stream per host (Netflix draws it from a thread-local random source)",
	},
	Build: admission(func(a Args) throttle.VegasConfig {
		return throttle.VegasConfig{Initial: a.Count("initial"), Max: a.Count("max"), Smoothing: a.Float("smoothing"),
			ProbeMultiplier: a.Int("probe-multiplier"), Seed: a.Env.Seed}
	}, func(c throttle.VegasConfig, s int) (*throttle.Vegas, error) {
		c.Seed ^= uint64(s) * 0x9e3779b97f4a7c15 // one jitter stream per station
		return throttle.NewVegas(c)
	}),
}
