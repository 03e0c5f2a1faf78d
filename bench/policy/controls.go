package policy

import (
	"fmt"
	"strconv"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/throttle"
)

// The controls of package throttle and package backlog, as policies. Each
// builder validates its control's config once, at Build, by calling its
// Validate method; the per-station factories then build from that validated
// config, so they cannot fail.

func dur(d time.Duration) string { return d.String() }
func itoa(n int) string          { return strconv.Itoa(n) }
func ftoa(f float64) string      { return strconv.FormatFloat(f, 'g', -1, 64) }

// config is a control's Config.
type config interface{ Validate() error }

// perStation validates c and returns a factory that builds a fresh control
// per station with mk(c, station). Every throttle constructor returns an
// error only when its config's Validate does, and mk changes nothing that
// Validate checks (the SRE throttle's per-station Seed is not checked), so mk
// cannot fail on a validated config; if it ever did, that is a bug in the
// control, and the factory panics with the error.
func perStation[C config, T any](c C, mk func(c C, station int) (T, error)) (func(int) T, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return func(s int) T {
		v, err := mk(c, s)
		if err != nil {
			panic(fmt.Sprintf("policy: a validated config failed to build: %v", err))
		}
		return v
	}, nil
}

// same builds every station's control from the same config.
func same[C, T any](mk func(C) (T, error)) func(C, int) (T, error) {
	return func(c C, _ int) (T, error) { return mk(c) }
}

// admission builds a server-side admission control per station from the
// config that cfg resolves.
func admission[C config, T throttle.Admitter](cfg func(args) C, mk func(C, int) (T, error)) func(args, Env) (model.Hooks, error) {
	return func(a args, _ Env) (model.Hooks, error) {
		f, err := perStation(cfg(a), func(c C, s int) (throttle.Admitter, error) { return mk(c, s) })
		return model.Hooks{Admit: f}, err
	}
}

// client builds a client-side admission control per station.
func client[C config, T throttle.Admitter](cfg func(args) C, mk func(C, int) (T, error)) func(args, Env) (model.Hooks, error) {
	return func(a args, _ Env) (model.Hooks, error) {
		f, err := perStation(cfg(a), func(c C, s int) (throttle.Admitter, error) { return mk(c, s) })
		return model.Hooks{Client: f}, err
	}
}

// retryGate builds a retry gate per station.
func retryGate[C config, T throttle.RetryGate](cfg func(args) C, mk func(C, int) (T, error)) func(args, Env) (model.Hooks, error) {
	return func(a args, _ Env) (model.Hooks, error) {
		f, err := perStation(cfg(a), func(c C, s int) (throttle.RetryGate, error) { return mk(c, s) })
		return model.Hooks{Retry: f}, err
	}
}

// queue validates the discipline cfg resolves; the models build it.
func queue(cfg func(a args) backlog.Config) func(args, Env) (model.Hooks, error) {
	return func(a args, _ Env) (model.Hooks, error) {
		c := cfg(a)
		if err := c.Validate(); err != nil {
			return model.Hooks{}, err
		}
		return model.Hooks{Queue: c}, nil
	}
}

// velocityRetries gates retries with a velocity control: at most Max retries
// released per Window.
type velocityRetries struct{ v *throttle.Velocity }

func (g velocityRetries) Retry(now time.Time, _ bool) bool { return g.v.Allow(now, 1) }

func newVelocityRetries(c throttle.VelocityConfig) (velocityRetries, error) {
	v, err := throttle.NewVelocity(c)
	return velocityRetries{v}, err
}

var _ throttle.RetryGate = velocityRetries{}

func init() {
	netflix := "Netflix concurrency-limits"
	register(&Def{
		Name: "aimd", Roles: []Role{RoleAdmission}, Source: netflix + " (AIMDLimit)",
		Doc: "Concurrency limit per host: +1 while busy, ×backoff when an attempt is dropped, fails or takes longer than timeout.",
		Params: []Param{
			{"initial", KindCount, itoa(throttle.DefaultAIMD.Initial), "starting limit"},
			{"min", KindCount, itoa(throttle.DefaultAIMD.Min), "lowest limit"},
			{"max", KindCount, itoa(throttle.DefaultAIMD.Max), "highest limit"},
			{"backoff", KindFraction, ftoa(throttle.DefaultAIMD.Backoff), "multiplier on a drop"},
			{"timeout", KindSpan, dur(throttle.DefaultAIMD.Timeout), "latency above which an attempt counts as a drop (or a multiple of the mean service time, e.g. 4x)"},
		},
		Notes: []string{
			"the limit is a float; Netflix truncates it to an int and takes at least one unit off per drop",
			"Netflix's 5 s timeout is for millisecond RPCs: where the latency at the least limit (min/workers service times: 75 s on DWFM's hosts) exceeds it, every sample is a drop and the limit sits at min, a fixed cap; scale it (timeout=10x on DWFM)",
		},
		build: admission(func(a args) throttle.AIMDConfig {
			return throttle.AIMDConfig{Initial: a.count("initial"), Min: a.count("min"), Max: a.count("max"),
				Backoff: a.float("backoff"), Timeout: a.span("timeout")}
		}, same(throttle.NewAIMD)),
		caveat: func(a args) string {
			// At its least limit, min attempts in flight on c workers, an
			// attempt spends about min/c service times in the host: a
			// timeout below that marks most samples drops, and the limit
			// never leaves min.
			t, svc, c, lo := a.span("timeout"), a.env.MeanService, max(a.env.Workers, 1), a.count("min")
			floor := time.Duration(float64(svc) * max(1, float64(lo)/float64(c)))
			if t > floor {
				return ""
			}
			return fmt.Sprintf("timeout %v is at most the latency at its least limit (min=%d in flight on %d workers of %v: about %v): attempts count as drops as a rule, so the limit sinks to min and stays: a fixed cap, not AIMD (timeout=%gx scales it)",
				t, lo, c, svc, floor.Round(time.Second/10), 2*max(1, float64(lo)/float64(c)))
		},
	})
	register(&Def{
		Name: "vegas", Roles: []Role{RoleAdmission}, Source: netflix + " (VegasLimit)",
		Doc: "Concurrency limit per host from TCP Vegas: estimates the queue as limit·(1 − noLoadRTT/RTT) and grows or shrinks it by log10(limit); " +
			"noLoadRTT is re-probed after 15-30 limits' worth of samples.",
		Params: []Param{
			{"initial", KindCount, itoa(throttle.DefaultVegas.Initial), "starting limit"},
			{"max", KindCount, itoa(throttle.DefaultVegas.Max), "highest limit"},
			{"smoothing", KindFraction, ftoa(throttle.DefaultVegas.Smoothing), "weight of each new estimate"},
			{"probe-multiplier", KindWhole, itoa(throttle.DefaultVegas.ProbeMultiplier), "re-probe noLoadRTT after jitter·this·limit samples, jitter in [0.5, 1) from the run's seed; 0: never"},
		},
		Notes: []string{
			"log10 is taken on the float limit (Netflix rounds it down) and the queue estimate is not rounded up",
			"a drop halves the limit (Netflix's default takes log10(limit) off)",
			"the app-limited guard blocks only increases (Netflix skips every update but a drop)",
			"a sample that lowers the no-load RTT still moves the limit (Netflix skips it)",
			"only successful samples count towards a re-probe and can be one (Netflix counts every sample)",
			"the probe jitter comes from the run's seed, one stream per host (Netflix draws it from a thread-local random source)",
		},
		build: admission(func(a args) throttle.VegasConfig {
			return throttle.VegasConfig{Initial: a.count("initial"), Max: a.count("max"), Smoothing: a.float("smoothing"),
				ProbeMultiplier: a.integer("probe-multiplier"), Seed: a.env.Seed}
		}, func(c throttle.VegasConfig, s int) (*throttle.Vegas, error) {
			c.Seed ^= uint64(s) * 0x9e3779b97f4a7c15 // one jitter stream per station
			return throttle.NewVegas(c)
		}),
	})
	register(&Def{
		Name: "gradient2", Roles: []Role{RoleAdmission}, Source: netflix + " (Gradient2Limit)",
		Doc: "Concurrency limit per host: limit·clamp(tolerance·longRTT/shortRTT, 0.5, 1) + queue, smoothed.",
		Params: []Param{
			{"initial", KindCount, itoa(throttle.DefaultGradient2.Initial), "starting limit"},
			{"min", KindCount, itoa(throttle.DefaultGradient2.Min), "lowest limit"},
			{"max", KindCount, itoa(throttle.DefaultGradient2.Max), "highest limit"},
			{"tolerance", KindNumber, ftoa(throttle.DefaultGradient2.Tolerance), "RTT ratio tolerated before shrinking"},
			{"smoothing", KindFraction, ftoa(throttle.DefaultGradient2.Smoothing), "weight of each new limit"},
			{"queue", KindCount, itoa(throttle.DefaultGradient2.QueueSize), "headroom added to each new limit"},
		},
		Notes: []string{
			"the long RTT average has no warm-up (Netflix averages its first 10 samples plainly)",
			"the queue headroom is a constant (Netflix allows a function of the limit)",
			"in-flight is read when the unit leaves, not when it was admitted",
		},
		build: admission(func(a args) throttle.Gradient2Config {
			return throttle.Gradient2Config{Initial: a.count("initial"), Min: a.count("min"), Max: a.count("max"),
				Tolerance: a.float("tolerance"), Smoothing: a.float("smoothing"), QueueSize: a.count("queue"), LongWindow: throttle.DefaultGradient2.LongWindow}
		}, same(throttle.NewGradient2)),
	})
	register(&Def{
		Name: "envoy-gradient", Roles: []Role{RoleAdmission}, Source: "Envoy adaptive concurrency filter",
		Doc: "Concurrency limit per host: every interval, limit·g + √(limit·g) with g = clamp(minRTT·(1+buffer)/sampleRTT, 0.5, 2); " +
			"sampleRTT and minRTT are a percentile (p50) of their samples; minRTT re-measured periodically at the minimum limit.",
		Params: []Param{
			{"initial", KindCount, itoa(throttle.DefaultEnvoyGradient.Initial), "starting limit"},
			{"min", KindCount, itoa(throttle.DefaultEnvoyGradient.Min), "lowest limit (and the limit while measuring minRTT)"},
			{"max", KindCount, itoa(throttle.DefaultEnvoyGradient.Max), "highest limit"},
			{"buffer", KindFraction, ftoa(throttle.DefaultEnvoyGradient.Buffer), "latency headroom over minRTT"},
			{"interval", KindDuration, dur(throttle.DefaultEnvoyGradient.UpdateInterval), "how often the limit is recomputed"},
			{"min-rtt-interval", KindDuration, dur(throttle.DefaultEnvoyGradient.MinRTTInterval), "how often minRTT is re-measured"},
			{"jitter", KindFraction, ftoa(throttle.DefaultEnvoyGradient.Jitter), "the next minRTT measurement starts after min-rtt-interval plus up to this share of it"},
			{"percentile", KindNumber, ftoa(throttle.DefaultEnvoyGradient.Percentile), "percentile summarising a window and a minRTT phase (Envoy's sample_aggregate_percentile), in (0, 100]"},
		},
		Notes: []string{
			"an update window closes at the first completion after the interval, not on a timer",
			"failed attempts give no latency sample",
			"the limit is a float (Envoy rounds it down each window)",
			"the minRTT interval's jitter comes from the run's seed, one stream per host",
			"the percentile is exact up to 1,000 samples per window, then of a seeded reservoir sample (Envoy interpolates in a log-linear histogram of all)",
		},
		build: admission(func(a args) throttle.EnvoyGradientConfig {
			return throttle.EnvoyGradientConfig{Initial: a.count("initial"), Min: a.count("min"), Max: a.count("max"),
				Buffer: a.float("buffer"), UpdateInterval: a.duration("interval"), MinRTTInterval: a.duration("min-rtt-interval"),
				MinRTTRequests: throttle.DefaultEnvoyGradient.MinRTTRequests, Percentile: a.float("percentile"),
				WindowSamples: throttle.DefaultEnvoyGradient.WindowSamples, Jitter: a.float("jitter"), Seed: a.env.Seed}
		}, func(c throttle.EnvoyGradientConfig, s int) (*throttle.EnvoyGradient, error) {
			c.Seed ^= uint64(s) * 0x9e3779b97f4a7c15 // one reservoir stream per station
			return throttle.NewEnvoyGradient(c)
		}),
	})
	register(&Def{
		Name: "sre-throttle", Roles: []Role{RoleClient}, Source: "Google SRE book, ch. 21 (client-side throttling)",
		Doc: "Clients refuse locally with probability max(0, (requests − K·accepts)/(requests + 1)) over a sliding window; one per host, shared by its clients.",
		Params: []Param{
			{"k", KindNumber, ftoa(throttle.DefaultSREThrottle.K), "accepts multiplier: higher admits more"},
			{"window", KindDuration, dur(throttle.DefaultSREThrottle.Window), "history kept"},
		},
		Notes: []string{
			"one throttle per host, shared by all its clients (the book runs one in each client, on its own traffic)",
			"an accept is an attempt answered in time; the book counts every request the backend did not reject",
		},
		build: client(func(a args) throttle.SREThrottleConfig {
			return throttle.SREThrottleConfig{K: a.float("k"), Window: a.duration("window"),
				Buckets: throttle.DefaultSREThrottle.Buckets, Seed: a.env.Seed}
		}, func(c throttle.SREThrottleConfig, s int) (*throttle.SREThrottle, error) {
			c.Seed ^= uint64(s) * 0x9e3779b97f4a7c15 // one stream per station
			return throttle.NewSREThrottle(c)
		}),
	})
	register(&Def{
		Name: "circuit-breaker", Roles: []Role{RoleClient}, Source: "Nygard, Release It! (closed/open/half-open)",
		Doc: "Clients stop sending to a host whose failure ratio over a window passes a threshold, wait a cooldown, then probe.",
		Params: []Param{
			{"ratio", KindFraction, ftoa(throttle.DefaultCircuitBreaker.FailureRatio), "failure ratio that opens the breaker"},
			{"min-requests", KindCount, itoa(throttle.DefaultCircuitBreaker.MinRequests), "outcomes needed in the window before it may open"},
			{"window", KindDuration, dur(throttle.DefaultCircuitBreaker.Window), "history kept"},
			{"cooldown", KindDuration, dur(throttle.DefaultCircuitBreaker.Cooldown), "time open before probing"},
			{"probes", KindCount, itoa(throttle.DefaultCircuitBreaker.Probes), "attempts let through when half-open"},
		},
		Notes: []string{
			"one breaker per host, shared by all its clients (Hystrix keeps one per client process)",
			"a failure is an error, a fast refusal or the client's own timeout",
		},
		build: client(func(a args) throttle.CircuitBreakerConfig {
			return throttle.CircuitBreakerConfig{FailureRatio: a.float("ratio"), MinRequests: a.count("min-requests"),
				Window: a.duration("window"), Buckets: throttle.DefaultCircuitBreaker.Buckets, Cooldown: a.duration("cooldown"), Probes: a.count("probes")}
		}, same(throttle.NewCircuitBreaker)),
	})
	facebook := "Facebook, \"Fail at scale\" (ACM Queue 2015)"
	register(&Def{Name: "fifo", Roles: []Role{RoleQueue}, Source: "baseline",
		Doc:   "First in, first out, nothing dropped: the default.",
		build: queue(func(args) backlog.Config { return backlog.Config{Kind: backlog.KindFIFO} })})
	register(&Def{Name: "lifo", Roles: []Role{RoleQueue}, Source: "queueing folklore",
		Doc:   "Newest first: fresh requests, whose clients still wait, are served; old ones starve.",
		build: queue(func(args) backlog.Config { return backlog.Config{Kind: backlog.KindLIFO} })})
	register(&Def{Name: "adaptive-lifo", Roles: []Role{RoleQueue}, Source: facebook,
		Doc:    "FIFO while the queue drains; LIFO once it has been non-empty for interval.",
		Params: []Param{{"interval", KindSpan, dur(backlog.DefaultInterval), "how long non-empty before switching (or a multiple of the mean service time, e.g. 20x)"}},
		Notes: []string{
			"used alone; Facebook pairs it with its CoDel variant (here fb-codel, in the same queue role, so the two cannot be combined)",
		},
		build: queue(func(a args) backlog.Config {
			return backlog.Config{Kind: backlog.KindAdaptiveLIFO, Interval: a.span("interval")}
		})})
	register(&Def{Name: "codel", Roles: []Role{RoleQueue}, Source: "RFC 8289, Controlled Delay (https://www.rfc-editor.org/rfc/rfc8289)",
		Doc: "Drops at dequeue once the sojourn time has stayed at or above target for interval, then every interval/√count " +
			"until a dequeued item is below target. The published 5 ms / 100 ms suit packets; scale them to the service (e.g. target=1x,interval=20x).",
		Params: []Param{
			{"target", KindSpan, dur(backlog.DefaultTarget), "sojourn time tolerated (or a multiple of the mean service time)"},
			{"interval", KindSpan, dur(backlog.DefaultInterval), "time above target before the first drop; the control law's base"},
		},
		Notes: []string{
			"items have no size: the RFC's \"at most one MTU left\" test reads \"at most one item left behind\"",
			"the square root is exact (the RFC and Linux use a Newton step on a fixed-point inverse square root)",
			"dropping only, no ECN marking: a dropped attempt is a fast failure its client sees at once",
		},
		build: queue(func(a args) backlog.Config {
			return backlog.Config{Kind: backlog.KindCoDel, Target: a.span("target"), Interval: a.span("interval")}
		})})
	register(&Def{Name: "fb-codel", Roles: []Role{RoleQueue}, Source: facebook,
		Doc: "Facebook's CoDel variant: if the queue has not been empty for interval, drop work queued longer than target; else allow up to interval. " +
			"The published 5 ms / 100 ms suit millisecond RPCs; scale them to the service (e.g. target=1x,interval=20x).",
		Params: []Param{
			{"target", KindSpan, dur(backlog.DefaultTarget), "queueing cap once the queue stands (or a multiple of the mean service time)"},
			{"interval", KindSpan, dur(backlog.DefaultInterval), "non-empty time that makes the queue standing"},
		},
		Notes: []string{
			"Facebook's pseudocode gives each request its timeout when it is queued (M if the queue has stood for N, else N); here the cap is chosen at dequeue, by whether the queue stands then",
			"expired work is dropped only when a worker looks (at dequeue)",
		},
		build: queue(func(a args) backlog.Config {
			return backlog.Config{Kind: backlog.KindFBCoDel, Target: a.span("target"), Interval: a.span("interval")}
		})})
	register(&Def{Name: "deadline-drop", Roles: []Role{RoleQueue}, Source: "common practice (gRPC deadlines)",
		Doc:    "FIFO that skips, unworked, every attempt queued at least timeout: work whose client has given up.",
		Params: []Param{{"timeout", KindSpan, "client", "the clients' timeout (default: the scenario's)"}},
		Notes: []string{
			"the server knows each client's timeout exactly (a real one learns it from a propagated deadline, less clock skew)",
		},
		build: func(a args, env Env) (model.Hooks, error) {
			t := env.Timeout
			if _, set := a.vals["timeout"]; set {
				t = a.span("timeout")
			}
			return queue(func(args) backlog.Config { return backlog.Config{Kind: backlog.KindDeadlineDrop, Timeout: t} })(a, env)
		}})
	register(&Def{Name: "bounded", Roles: []Role{RoleQueue}, Source: "common practice",
		Doc:    "FIFO with a capacity: an attempt finding it full fails fast.",
		Params: []Param{{"capacity", KindCount, "2w", "queued attempts at most (default 2 × workers)"}},
		build: queue(func(a args) backlog.Config {
			return backlog.Config{Kind: backlog.KindBounded, Capacity: a.count("capacity")}
		})})
	register(&Def{Name: "backoff", Roles: []Role{RoleRetry}, Source: "AWS Architecture Blog, \"Exponential Backoff And Jitter\" (2015)",
		Doc: "After a timed-out attempt, wait min(cap, base·multiplier^(n−1)), jittered, before retry n; give up the request after " +
			"max-attempts (a droplet then asks again at a later check).",
		Params: []Param{
			{"base", KindDuration, "1s", "first wait"},
			{"cap", KindDuration, "1m", "longest wait"},
			{"multiplier", KindNumber, "2", "growth per retry (1: fixed)"},
			{"jitter", KindJitter, "full", "none, full, equal or decorrelated"},
			{"max-attempts", KindAttempts, "0", "attempts per request; 0: unlimited"},
		},
		Notes: []string{
			"the wait follows a timed-out attempt only; after a fast failure a droplet asks again at a later check",
		},
		build: func(a args, _ Env) (model.Hooks, error) {
			j, _ := backlog.ParseJitter(a.raw("jitter"))
			b := &backlog.Backoff{Base: a.duration("base"), Cap: a.duration("cap"), Multiplier: a.float("multiplier"), Jitter: j}
			if err := b.Validate(); err != nil {
				return model.Hooks{}, err
			}
			return model.Hooks{Backoff: b, MaxAttempts: a.integer("max-attempts")}, nil
		}})
	register(&Def{Name: "retry-budget", Roles: []Role{RoleRetryGate}, Source: "Finagle / Linkerd retry budgets",
		Doc: "Retries allowed up to ratio × requests plus min-per-s × ttl over a ttl window, per host.",
		Params: []Param{
			{"ratio", KindFraction, ftoa(throttle.DefaultRetryBudget.Ratio), "retries per request"},
			{"min-per-s", KindNumber, ftoa(throttle.DefaultRetryBudget.MinPerSecond), "retries per second always allowed"},
			{"ttl", KindDuration, dur(throttle.DefaultRetryBudget.TTL), "window"},
		},
		Notes: []string{
			"one budget per host, shared by its clients (Finagle and Linkerd keep one per client)",
			"kept as 10 one-second buckets: a sum covers 9-10 s of the 10 s TTL",
		},
		build: retryGate(func(a args) throttle.RetryBudgetConfig {
			return throttle.RetryBudgetConfig{Ratio: a.float("ratio"), MinPerSecond: a.float("min-per-s"),
				TTL: a.duration("ttl"), Buckets: throttle.DefaultRetryBudget.Buckets}
		}, same(throttle.NewRetryBudget))})
	register(&Def{Name: "aws-quota", Roles: []Role{RoleRetryGate}, Source: "AWS SDK standard retry mode",
		Doc: "A token quota per host: a retry costs retry-cost (timeout-cost after a timeout); a success refunds.",
		Params: []Param{
			{"capacity", KindCount, itoa(throttle.DefaultAWSQuota.Capacity), "tokens"},
			{"retry-cost", KindCount, itoa(throttle.DefaultAWSQuota.RetryCost), "tokens per retry"},
			{"timeout-cost", KindCount, itoa(throttle.DefaultAWSQuota.TimeoutCost), "tokens per retry after a timeout"},
		},
		Notes: []string{
			"one quota per host, shared by its clients (the SDK keeps one per client)",
			"a success after retries refunds the retry cost, not what its last retry cost (the SDK refunds the timeout cost after a timeout)",
		},
		build: retryGate(func(a args) throttle.AWSQuotaConfig {
			return throttle.AWSQuotaConfig{Capacity: a.count("capacity"), RetryCost: a.count("retry-cost"),
				TimeoutCost: a.count("timeout-cost"), SuccessRefund: throttle.DefaultAWSQuota.SuccessRefund}
		}, same(throttle.NewAWSQuota))})
	register(&Def{Name: "velocity", Roles: []Role{RoleRetryGate, RoleVelocity}, Source: "AWS post-event summary (NLB velocity control)",
		Doc: "A velocity control: at most max retries released per host in any window; in a model that takes capacity out of service " +
			"(nlb: AZ DNS failover on health checks), at most cap of the capacity in service leaves within any window, the rest of a " +
			"larger removal later (capacity leaves gradually).",
		Params: []Param{{"max", KindCount, "16", "retries per window"}, {"window", KindDuration, "1m", "sliding window"},
			{"cap", KindShare, "10%", "capacity that may leave per window: a percentage of the capacity in service before the window's removals"},
			{"targets", KindBool, "false", "also pace single targets leaving service (AWS announced the control for AZ failover only); reported apart"}},
		Notes: []string{
			"AWS announced a velocity control for NLB capacity removal and published no figure: the 10% default is this suite's, to be swept",
			"applying it to retries, and its 16 per minute, are this suite's choices; a model uses the part that applies to it",
		},
		build: func(a args, env Env) (model.Hooks, error) {
			h, err := retryGate(func(a args) throttle.VelocityConfig {
				return throttle.VelocityConfig{Max: a.count("max"), Window: a.duration("window")}
			}, same(newVelocityRetries))(a, env)
			if err != nil {
				return h, err
			}
			c := throttle.CapacityVelocityConfig{Share: a.share("cap"), Window: a.duration("window")}
			if err := c.Validate(); err != nil {
				return h, err
			}
			h.Velocity = func() *throttle.CapacityVelocity {
				v, err := throttle.NewCapacityVelocity(c)
				if err != nil { // validated above
					panic(fmt.Sprintf("policy: a validated config failed to build: %v", err))
				}
				return v
			}
			h.VelocityTargets = a.boolean("targets")
			return h, nil
		}})
}
