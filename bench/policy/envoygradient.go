package policy

import (
	"github.com/aftershock/aftershock/throttle"
)

var envoyGradientPolicy = Def{
	Name:  "envoy-gradient",
	Roles: []Role{RoleAdmission},
	Doc: "Concurrency limit per host: every interval, limit·g + √(limit·g) with g = clamp(minRTT·(1+buffer)/sampleRTT, 0.5, 2); " +
		"sampleRTT and minRTT are a percentile (p50) of their samples; minRTT re-measured periodically at the minimum limit.",
	Source: "Envoy adaptive concurrency filter",
	Params: []Param{
		{Name: "initial", Kind: KindCount, Default: itoa(throttle.DefaultEnvoyGradient.Initial), Doc: "starting limit"},
		{Name: "min", Kind: KindCount, Default: itoa(throttle.DefaultEnvoyGradient.Min), Doc: "lowest limit (and the limit while measuring minRTT)"},
		{Name: "max", Kind: KindCount, Default: itoa(throttle.DefaultEnvoyGradient.Max), Doc: "highest limit"},
		{Name: "buffer", Kind: KindFraction, Default: ftoa(throttle.DefaultEnvoyGradient.Buffer), Doc: "latency headroom over minRTT"},
		{Name: "interval", Kind: KindDuration, Default: dur(throttle.DefaultEnvoyGradient.UpdateInterval), Doc: "how often the limit is recomputed"},
		{Name: "min-rtt-interval", Kind: KindDuration, Default: dur(throttle.DefaultEnvoyGradient.MinRTTInterval), Doc: "how often minRTT is re-measured"},
		{Name: "jitter", Kind: KindFraction, Default: ftoa(throttle.DefaultEnvoyGradient.Jitter), Doc: "the next minRTT measurement starts after min-rtt-interval plus up to this share of it"},
		{Name: "percentile", Kind: KindNumber, Default: ftoa(throttle.DefaultEnvoyGradient.Percentile), Doc: "percentile summarising a window and a minRTT phase (Envoy's sample_aggregate_percentile), in (0, 100]"},
	},
	Notes: []string{
		"an update window closes at the first completion after the interval, not on a timer",
		"failed attempts give no latency sample",
		"the limit is a float (Envoy rounds it down each window)",
		"the minRTT interval's jitter comes from the run's seed, one stream per host",
		"the percentile is exact up to 1,000 samples per window, then of a seeded reservoir sample (Envoy interpolates in a log-linear histogram of all)",
	},
	Build: admission(func(a Args) throttle.EnvoyGradientConfig {
		return throttle.EnvoyGradientConfig{Initial: a.Count("initial"), Min: a.Count("min"), Max: a.Count("max"),
			Buffer: a.Float("buffer"), UpdateInterval: a.Duration("interval"), MinRTTInterval: a.Duration("min-rtt-interval"),
			MinRTTRequests: throttle.DefaultEnvoyGradient.MinRTTRequests, Percentile: a.Float("percentile"),
			WindowSamples: throttle.DefaultEnvoyGradient.WindowSamples, Jitter: a.Float("jitter"), Seed: a.Env.Seed}
	}, func(c throttle.EnvoyGradientConfig, s int) (*throttle.EnvoyGradient, error) {
		c.Seed ^= uint64(s) * 0x9e3779b97f4a7c15 // one reservoir stream per station
		return throttle.NewEnvoyGradient(c)
	}),
}
