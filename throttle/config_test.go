package throttle

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

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
