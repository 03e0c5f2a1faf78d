package throttle

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Every Config refuses what it must, in the house format of config.go:
// "throttle: <control> <field> <value> <what is wrong>".

// configCase is one invalid config: Validate and the constructor must both
// refuse it, with one message "throttle: <control> <field> <value> ...".
type configCase struct {
	control, field, value string
	validate, build       error
}

// bad mutates a copy of def with f and returns what Validate and the
// constructor say about it.
func bad[C interface{ Validate() error }, T any](def C, mk func(C) (*T, error), f func(*C)) (error, error) {
	c := def
	f(&c)
	v, err := mk(c)
	if err == nil && v == nil {
		panic("constructor returned neither a value nor an error")
	}
	return c.Validate(), err
}

func cases() []configCase {
	var cs []configCase
	add := func(control, field, value string) func(error, error) {
		return func(v, b error) { cs = append(cs, configCase{control, field, value, v, b}) }
	}
	nan, inf := math.NaN(), math.Inf(1)
	huge := math.MaxInt

	tb := func(f func(*TokenBucketConfig)) (error, error) { return bad(DefaultTokenBucket, NewTokenBucket, f) }
	for _, r := range []float64{0, -1, nan, inf} {
		add("token bucket", "rate", ftoaT(r))(tb(func(c *TokenBucketConfig) { c.Rate = r }))
	}
	for _, b := range []int{0, -1} {
		add("token bucket", "burst", itoaT(b))(tb(func(c *TokenBucketConfig) { c.Burst = b }))
	}

	qp := func(f func(*QueueSizeConfig)) (error, error) {
		return bad(DefaultQueueSize, NewQueueSize, f)
	}
	for _, r := range []float64{0, -1, nan, inf} {
		add("queue size", "rate", ftoaT(r))(qp(func(c *QueueSizeConfig) { c.Rate = r }))
	}
	for _, n := range []int{0, -1} {
		add("queue size", "limit", itoaT(n))(qp(func(c *QueueSizeConfig) { c.Limit = n }))
		add("queue size", "burst", itoaT(n))(qp(func(c *QueueSizeConfig) { c.Burst = n }))
	}

	vel := func(f func(*VelocityConfig)) (error, error) { return bad(DefaultVelocity, NewVelocity, f) }
	for _, n := range []int{0, -1, maxVelocity + 1, huge} {
		add("velocity", "max", itoaT(n))(vel(func(c *VelocityConfig) { c.Max = n }))
	}
	for _, w := range []time.Duration{0, -time.Second} {
		add("velocity", "window", w.String())(vel(func(c *VelocityConfig) { c.Window = w }))
	}

	// The bounds three concurrency limits share (Vegas has no Min).
	limits := []struct {
		control string
		set     func(initial, min, max int) (error, error)
	}{
		{"AIMD", func(i, lo, hi int) (error, error) {
			return bad(DefaultAIMD, NewAIMD, func(c *AIMDConfig) { c.Initial, c.Min, c.Max = i, lo, hi })
		}},
		{"Gradient2", func(i, lo, hi int) (error, error) {
			return bad(DefaultGradient2, NewGradient2, func(c *Gradient2Config) { c.Initial, c.Min, c.Max = i, lo, hi })
		}},
		{"Envoy gradient", func(i, lo, hi int) (error, error) {
			return bad(DefaultEnvoyGradient, NewEnvoyGradient, func(c *EnvoyGradientConfig) { c.Initial, c.Min, c.Max = i, lo, hi })
		}},
	}
	for _, l := range limits {
		add(l.control, "min", "0")(l.set(20, 0, 200))
		add(l.control, "min", "-1")(l.set(20, -1, 200))
		add(l.control, "initial", "10")(l.set(10, 20, 200))
		add(l.control, "max", "19")(l.set(20, 20, 19))                // min > max
		add(l.control, "max", "200")(l.set(huge, 20, 200))            // huge initial
		add(l.control, "initial", "20")(l.set(20, huge, 200))         // huge min
		add(l.control, "max", itoaT(-huge-1))(l.set(20, 20, -huge-1)) // most negative max
	}

	aimd := func(f func(*AIMDConfig)) (error, error) { return bad(DefaultAIMD, NewAIMD, f) }
	for _, b := range []float64{0, 1, -0.5, 1.5, nan, inf} {
		add("AIMD", "backoff", ftoaT(b))(aimd(func(c *AIMDConfig) { c.Backoff = b }))
	}
	for _, d := range []time.Duration{0, -time.Second} {
		add("AIMD", "timeout", d.String())(aimd(func(c *AIMDConfig) { c.Timeout = d }))
	}

	vegas := func(f func(*VegasConfig)) (error, error) { return bad(DefaultVegas, NewVegas, f) }
	add("Vegas", "initial", "0")(vegas(func(c *VegasConfig) { c.Initial = 0 }))
	add("Vegas", "initial", "-1")(vegas(func(c *VegasConfig) { c.Initial = -1 }))
	add("Vegas", "max", "19")(vegas(func(c *VegasConfig) { c.Max = 19 }))
	add("Vegas", "max", "1000")(vegas(func(c *VegasConfig) { c.Initial = huge }))
	for _, s := range []float64{0, -1, 1.5, nan, inf} {
		add("Vegas", "smoothing", ftoaT(s))(vegas(func(c *VegasConfig) { c.Smoothing = s }))
	}

	g2 := func(f func(*Gradient2Config)) (error, error) { return bad(DefaultGradient2, NewGradient2, f) }
	for _, v := range []float64{0.5, 0, -1, nan, inf} {
		add("Gradient2", "tolerance", ftoaT(v))(g2(func(c *Gradient2Config) { c.Tolerance = v }))
	}
	for _, v := range []float64{0, -1, 1.5, nan, inf} {
		add("Gradient2", "smoothing", ftoaT(v))(g2(func(c *Gradient2Config) { c.Smoothing = v }))
	}
	add("Gradient2", "queue size", "-1")(g2(func(c *Gradient2Config) { c.QueueSize = -1 }))
	add("Gradient2", "long window", "0")(g2(func(c *Gradient2Config) { c.LongWindow = 0 }))
	add("Gradient2", "long window", "-1")(g2(func(c *Gradient2Config) { c.LongWindow = -1 }))

	env := func(f func(*EnvoyGradientConfig)) (error, error) {
		return bad(DefaultEnvoyGradient, NewEnvoyGradient, f)
	}
	for _, v := range []float64{-0.1, nan, inf} {
		add("Envoy gradient", "buffer", ftoaT(v))(env(func(c *EnvoyGradientConfig) { c.Buffer = v }))
	}
	for _, d := range []time.Duration{0, -time.Second} {
		add("Envoy gradient", "update interval", d.String())(env(func(c *EnvoyGradientConfig) { c.UpdateInterval = d }))
		add("Envoy gradient", "min RTT interval", d.String())(env(func(c *EnvoyGradientConfig) { c.MinRTTInterval = d }))
	}
	add("Envoy gradient", "min RTT requests", "0")(env(func(c *EnvoyGradientConfig) { c.MinRTTRequests = 0 }))
	add("Envoy gradient", "min RTT requests", "-1")(env(func(c *EnvoyGradientConfig) { c.MinRTTRequests = -1 }))

	// The sliding windows the SRE throttle, the breaker and the budget share.
	windows := []struct {
		control, field string
		set            func(span time.Duration, n int) (error, error)
	}{
		{"SRE throttle", "window", func(s time.Duration, n int) (error, error) {
			return bad(DefaultSREThrottle, NewSREThrottle, func(c *SREThrottleConfig) { c.Window, c.Buckets = s, n })
		}},
		{"circuit breaker", "window", func(s time.Duration, n int) (error, error) {
			return bad(DefaultCircuitBreaker, NewCircuitBreaker, func(c *CircuitBreakerConfig) { c.Window, c.Buckets = s, n })
		}},
		{"retry budget", "TTL", func(s time.Duration, n int) (error, error) {
			return bad(DefaultRetryBudget, NewRetryBudget, func(c *RetryBudgetConfig) { c.TTL, c.Buckets = s, n })
		}},
	}
	for _, w := range windows {
		add(w.control, w.field, "0s")(w.set(0, 10))
		add(w.control, w.field, "-1s")(w.set(-time.Second, 10))
		add(w.control, w.field, "5ns")(w.set(5, 6)) // shorter than its buckets
		add(w.control, "buckets", "0")(w.set(time.Second, 0))
		add(w.control, "buckets", "-1")(w.set(time.Second, -1))
		add(w.control, "buckets", itoaT(maxBuckets+1))(w.set(time.Hour, maxBuckets+1))
		add(w.control, "buckets", itoaT(huge))(w.set(time.Duration(math.MaxInt64), huge))
	}

	sre := func(f func(*SREThrottleConfig)) (error, error) {
		return bad(DefaultSREThrottle, NewSREThrottle, f)
	}
	for _, k := range []float64{0.5, 0, -1, nan, inf} {
		add("SRE throttle", "K", ftoaT(k))(sre(func(c *SREThrottleConfig) { c.K = k }))
	}

	br := func(f func(*CircuitBreakerConfig)) (error, error) {
		return bad(DefaultCircuitBreaker, NewCircuitBreaker, f)
	}
	for _, r := range []float64{0, -0.1, 1.5, nan, inf} {
		add("circuit breaker", "failure ratio", ftoaT(r))(br(func(c *CircuitBreakerConfig) { c.FailureRatio = r }))
	}
	for _, n := range []int{0, -1} {
		add("circuit breaker", "min requests", itoaT(n))(br(func(c *CircuitBreakerConfig) { c.MinRequests = n }))
		add("circuit breaker", "probes", itoaT(n))(br(func(c *CircuitBreakerConfig) { c.Probes = n }))
	}
	for _, d := range []time.Duration{0, -time.Second} {
		add("circuit breaker", "cooldown", d.String())(br(func(c *CircuitBreakerConfig) { c.Cooldown = d }))
	}

	rb := func(f func(*RetryBudgetConfig)) (error, error) { return bad(DefaultRetryBudget, NewRetryBudget, f) }
	for _, v := range []float64{-0.1, nan, inf, math.Inf(-1)} {
		add("retry budget", "ratio", ftoaT(v))(rb(func(c *RetryBudgetConfig) { c.Ratio = v }))
		add("retry budget", "min per second", ftoaT(v))(rb(func(c *RetryBudgetConfig) { c.MinPerSecond = v }))
	}

	rq := func(f func(*AWSQuotaConfig)) (error, error) { return bad(DefaultAWSQuota, NewAWSQuota, f) }
	add("AWS quota", "capacity", "0")(rq(func(c *AWSQuotaConfig) { c.Capacity = 0 }))
	add("AWS quota", "capacity", "-1")(rq(func(c *AWSQuotaConfig) { c.Capacity = -1 }))
	for _, n := range []int{0, -1, 501, huge} {
		add("AWS quota", "retry cost", itoaT(n))(rq(func(c *AWSQuotaConfig) { c.RetryCost = n }))
		add("AWS quota", "timeout cost", itoaT(n))(rq(func(c *AWSQuotaConfig) { c.TimeoutCost = n }))
	}
	for _, n := range []int{-1, 501, huge} {
		add("AWS quota", "success refund", itoaT(n))(rq(func(c *AWSQuotaConfig) { c.SuccessRefund = n }))
	}

	rs := func(f func(*ReserveConfig)) (error, error) { return bad(DefaultReserve, NewReserve, f) }
	for _, r := range []float64{0, -1, nan, inf, 2e9} {
		add("reserve", "rate", ftoaT(r))(rs(func(c *ReserveConfig) { c.Rate = r }))
	}
	for _, b := range []int{0, -1} {
		add("reserve", "burst", itoaT(b))(rs(func(c *ReserveConfig) { c.Burst = b }))
	}
	add("reserve", "burst", itoaT(huge))(rs(func(c *ReserveConfig) { c.Burst = huge }))
	add("reserve", "limit", "-1")(rs(func(c *ReserveConfig) { c.Limit = -1 }))
	return cs
}

func ftoaT(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
func itoaT(n int) string     { return strconv.Itoa(n) }

// TestConfigsRejectInvalid: every control's Validate refuses each invalid
// extreme of each field (0, negative, NaN, ±Inf, min above max, huge) with an
// error "throttle: <control> <field> <value> ...", and its constructor
// returns that same error.
func TestConfigsRejectInvalid(t *testing.T) {
	cs := cases()
	controls := map[string]int{}
	for _, c := range cs {
		controls[c.control]++
		name := c.control + " " + c.field + " " + c.value
		if c.validate == nil || c.build == nil {
			t.Errorf("%s: Validate says %v, the constructor %v; want both to refuse", name, c.validate, c.build)
			continue
		}
		if c.validate.Error() != c.build.Error() {
			t.Errorf("%s: Validate says %q, the constructor %q; want the same", name, c.validate, c.build)
		}
		if want := "throttle: " + name + " "; !strings.HasPrefix(c.validate.Error(), want) {
			t.Errorf("error %q: want it to start %q", c.validate, want)
		}
	}
	t.Logf("%d invalid configs over %d controls", len(cs), len(controls))
	if len(controls) != 12 {
		t.Errorf("cases cover %d controls, want all 12: %v", len(controls), controls)
	}
}

// TestDefaultConfigsAreValid: every documented default validates and builds.
func TestDefaultConfigsAreValid(t *testing.T) {
	for name, err := range map[string]error{
		"TokenBucket":    DefaultTokenBucket.Validate(),
		"QueueSize":      DefaultQueueSize.Validate(),
		"Velocity":       DefaultVelocity.Validate(),
		"AIMD":           DefaultAIMD.Validate(),
		"Vegas":          DefaultVegas.Validate(),
		"Gradient2":      DefaultGradient2.Validate(),
		"EnvoyGradient":  DefaultEnvoyGradient.Validate(),
		"SREThrottle":    DefaultSREThrottle.Validate(),
		"CircuitBreaker": DefaultCircuitBreaker.Validate(),
		"RetryBudget":    DefaultRetryBudget.Validate(),
		"AWSQuota":       DefaultAWSQuota.Validate(),
		"Reserve":        DefaultReserve.Validate(),
	} {
		if err != nil {
			t.Errorf("Default%s: %v", name, err)
		}
	}
}

func TestConstructorsRejectBadParameters(t *testing.T) {
	if _, err := NewTokenBucket(TokenBucketConfig{Rate: 0, Burst: 1}); err == nil {
		t.Error("rate 0 accepted")
	}
	if _, err := NewTokenBucket(TokenBucketConfig{Rate: 1, Burst: 0}); err == nil {
		t.Error("burst 0 accepted")
	}
	if _, err := NewQueueSize(QueueSizeConfig{Rate: 1, Limit: 0, Burst: 1}); err == nil {
		t.Error("limit 0 accepted")
	}
	if _, err := NewQueueSize(QueueSizeConfig{Rate: -1, Limit: 10, Burst: 1}); err == nil {
		t.Error("negative rate accepted")
	}
}

func TestOverloadConstructorsRejectBadParameters(t *testing.T) {
	sre := func(f func(*SREThrottleConfig)) error {
		c := DefaultSREThrottle
		f(&c)
		_, err := NewSREThrottle(c)
		return err
	}
	br := func(f func(*CircuitBreakerConfig)) error {
		c := DefaultCircuitBreaker
		f(&c)
		_, err := NewCircuitBreaker(c)
		return err
	}
	rb := func(f func(*RetryBudgetConfig)) error {
		c := DefaultRetryBudget
		f(&c)
		_, err := NewRetryBudget(c)
		return err
	}
	rq := func(f func(*AWSQuotaConfig)) error {
		c := DefaultAWSQuota
		f(&c)
		_, err := NewAWSQuota(c)
		return err
	}
	vel := func(max int, w time.Duration) error {
		_, err := NewVelocity(VelocityConfig{Max: max, Window: w})
		return err
	}
	for _, c := range []struct {
		err  error
		want string // must appear in the message
	}{
		{sre(func(c *SREThrottleConfig) { c.K = 0.5 }), "0.5"},
		{sre(func(c *SREThrottleConfig) { c.K = math.NaN() }), "NaN"},
		{sre(func(c *SREThrottleConfig) { c.K = math.Inf(1) }), "+Inf"},
		{sre(func(c *SREThrottleConfig) { c.Window = 0 }), "0s"},
		{sre(func(c *SREThrottleConfig) { c.Buckets = 0 }), "0"},
		{sre(func(c *SREThrottleConfig) { c.Window, c.Buckets = 5, 6 }), "5ns"},
		{br(func(c *CircuitBreakerConfig) { c.FailureRatio = 0 }), "0"},
		{br(func(c *CircuitBreakerConfig) { c.FailureRatio = 1.5 }), "1.5"},
		{br(func(c *CircuitBreakerConfig) { c.MinRequests = -3 }), "-3"},
		{br(func(c *CircuitBreakerConfig) { c.Window = -time.Second }), "-1s"},
		{br(func(c *CircuitBreakerConfig) { c.Buckets = -2 }), "-2"},
		{br(func(c *CircuitBreakerConfig) { c.Cooldown = 0 }), "0s"},
		{br(func(c *CircuitBreakerConfig) { c.Probes = 0 }), "0"},
		{vel(0, time.Second), "0"},
		{vel(3, -2*time.Second), "-2s"},
		{rb(func(c *RetryBudgetConfig) { c.Ratio = -0.1 }), "-0.1"},
		{rb(func(c *RetryBudgetConfig) { c.Ratio = math.Inf(1) }), "+Inf"},
		{rb(func(c *RetryBudgetConfig) { c.MinPerSecond = -1 }), "-1"},
		{rb(func(c *RetryBudgetConfig) { c.TTL = 0 }), "0s"},
		{rb(func(c *RetryBudgetConfig) { c.Buckets = 0 }), "0"},
		{rq(func(c *AWSQuotaConfig) { c.Capacity = 0 }), "0"},
		{rq(func(c *AWSQuotaConfig) { c.RetryCost = 0 }), "0"},
		{rq(func(c *AWSQuotaConfig) { c.RetryCost = 600 }), "600"},
		{rq(func(c *AWSQuotaConfig) { c.TimeoutCost = 501 }), "501"},
		{rq(func(c *AWSQuotaConfig) { c.SuccessRefund = -1 }), "-1"},
	} {
		if c.err == nil {
			t.Errorf("accepted a bad parameter (want error naming %q)", c.want)
			continue
		}
		if msg := c.err.Error(); !strings.HasPrefix(msg, "throttle: ") || !strings.Contains(msg, c.want) {
			t.Errorf("error %q: want prefix %q and the value %q", msg, "throttle: ", c.want)
		}
	}
	// The defaults are valid.
	ocMust(NewSREThrottle(seeded(DefaultSREThrottle, 0)))
	ocMust(NewCircuitBreaker(DefaultCircuitBreaker))
	ocMust(NewRetryBudget(DefaultRetryBudget))
	ocMust(NewAWSQuota(DefaultAWSQuota))
	ocMust(NewVelocity(VelocityConfig{Max: 1, Window: time.Nanosecond}))
}

func TestAdaptiveConstructorsRejectBadParameters(t *testing.T) {
	aimd := func(f func(*AIMDConfig)) error {
		c := DefaultAIMD
		f(&c)
		_, err := NewAIMD(c)
		return err
	}
	vegas := func(f func(*VegasConfig)) error {
		c := DefaultVegas
		f(&c)
		_, err := NewVegas(c)
		return err
	}
	g2 := func(f func(*Gradient2Config)) error {
		c := DefaultGradient2
		f(&c)
		_, err := NewGradient2(c)
		return err
	}
	envoy := func(f func(*EnvoyGradientConfig)) error {
		c := DefaultEnvoyGradient
		f(&c)
		_, err := NewEnvoyGradient(c)
		return err
	}
	cases := []struct {
		name string
		err  error
		want string // the bad value, as the message must carry it
	}{
		{"AIMD Min", aimd(func(c *AIMDConfig) { c.Min = -7 }), "-7"},
		{"AIMD Initial", aimd(func(c *AIMDConfig) { c.Initial = 13 }), "13"},
		{"AIMD Max", aimd(func(c *AIMDConfig) { c.Max = 17 }), "17"},
		{"AIMD Backoff 1", aimd(func(c *AIMDConfig) { c.Backoff = 1 }), "1"},
		{"AIMD Backoff 0", aimd(func(c *AIMDConfig) { c.Backoff = 0 }), "0"},
		{"AIMD Backoff NaN", aimd(func(c *AIMDConfig) { c.Backoff = math.NaN() }), "NaN"},
		{"AIMD Timeout", aimd(func(c *AIMDConfig) { c.Timeout = -3 * time.Second }), "-3s"},
		{"Vegas Initial", vegas(func(c *VegasConfig) { c.Initial = 0 }), "0"},
		{"Vegas Max", vegas(func(c *VegasConfig) { c.Max = 19 }), "19"},
		{"Vegas Smoothing 0", vegas(func(c *VegasConfig) { c.Smoothing = 0 }), "0"},
		{"Vegas Smoothing 1.5", vegas(func(c *VegasConfig) { c.Smoothing = 1.5 }), "1.5"},
		{"Vegas ProbeMultiplier -1", vegas(func(c *VegasConfig) { c.ProbeMultiplier = -1 }), "probe multiplier -1"},
		{"Gradient2 Min", g2(func(c *Gradient2Config) { c.Min = 0 }), "0"},
		{"Gradient2 Initial", g2(func(c *Gradient2Config) { c.Initial = 19 }), "19"},
		{"Gradient2 Max", g2(func(c *Gradient2Config) { c.Max = 18 }), "18"},
		{"Gradient2 Tolerance", g2(func(c *Gradient2Config) { c.Tolerance = 0.75 }), "0.75"},
		{"Gradient2 Tolerance Inf", g2(func(c *Gradient2Config) { c.Tolerance = math.Inf(1) }), "+Inf"},
		{"Gradient2 Smoothing", g2(func(c *Gradient2Config) { c.Smoothing = -0.25 }), "-0.25"},
		{"Gradient2 QueueSize", g2(func(c *Gradient2Config) { c.QueueSize = -4 }), "-4"},
		{"Gradient2 LongWindow", g2(func(c *Gradient2Config) { c.LongWindow = 0 }), "0"},
		{"Envoy Min", envoy(func(c *EnvoyGradientConfig) { c.Min = -2; c.Initial = 3 }), "-2"},
		{"Envoy Percentile 0", envoy(func(c *EnvoyGradientConfig) { c.Percentile = 0 }), "percentile 0 outside (0, 100]"},
		{"Envoy Percentile 100.5", envoy(func(c *EnvoyGradientConfig) { c.Percentile = 100.5 }), "100.5"},
		{"Envoy Percentile NaN", envoy(func(c *EnvoyGradientConfig) { c.Percentile = math.NaN() }), "NaN"},
		{"Envoy Jitter", envoy(func(c *EnvoyGradientConfig) { c.Jitter = 1.5 }), "jitter 1.5 outside [0, 1]"},
		{"Envoy WindowSamples 0", envoy(func(c *EnvoyGradientConfig) { c.WindowSamples = 0 }), "window samples 0"},
		{"Envoy Initial", envoy(func(c *EnvoyGradientConfig) { c.Min = 5; c.Initial = 4 }), "4"},
		{"Envoy Max", envoy(func(c *EnvoyGradientConfig) { c.Max = 2 }), "2"},
		{"Envoy Buffer", envoy(func(c *EnvoyGradientConfig) { c.Buffer = -0.5 }), "-0.5"},
		{"Envoy UpdateInterval", envoy(func(c *EnvoyGradientConfig) { c.UpdateInterval = 0 }), "0s"},
		{"Envoy MinRTTInterval", envoy(func(c *EnvoyGradientConfig) { c.MinRTTInterval = -time.Minute }), "-1m0s"},
		{"Envoy MinRTTRequests", envoy(func(c *EnvoyGradientConfig) { c.MinRTTRequests = 0 }), "0"},
	}
	for _, tc := range cases {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		msg := tc.err.Error()
		if !strings.HasPrefix(msg, "throttle: ") || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: error %q does not start with %q and carry %q", tc.name, msg, "throttle: ", tc.want)
		}
	}
	for _, err := range []error{
		aimd(func(*AIMDConfig) {}), vegas(func(*VegasConfig) {}),
		g2(func(*Gradient2Config) {}), envoy(func(*EnvoyGradientConfig) {}),
	} {
		if err != nil {
			t.Errorf("defaults rejected: %v", err)
		}
	}
}
