package service

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/sim"
)

// ClientConfig is the [clients] section of a scenario file: open-loop clients
// and their retry policy.
type ClientConfig struct {
	Rate        float64       `scn:"rate,nonneg"`         // new requests per second (Poisson)
	Schedule    string        `scn:"schedule"`            // piecewise rate "0s=100, 1h=300": rate from each offset on; replaces rate
	Timeout     time.Duration `scn:"timeout,nonneg"`      // client gives up on an attempt after this; 0: never
	MaxAttempts int           `scn:"max_attempts,nonneg"` // attempts per request including the first; 0 means 1
	Backoff     time.Duration `scn:"backoff,nonneg"`      // delay before a retry (base of the exponential)
	BackoffMax  time.Duration `scn:"backoff_max,nonneg"`  // cap of the exponential; 0: no cap
	BackoffKind string        `scn:"backoff_kind"`        // fixed (default) or exponential
	Jitter      string        `scn:"jitter"`              // none (default) or full: uniform on [0, delay]
}

// Step is one piece of a piecewise-constant rate.
type Step struct {
	From sim.Time
	Rate float64
}

// ClientParams is a validated ClientConfig.
type ClientParams struct {
	Schedule    []Step
	Timeout     sim.Time
	MaxAttempts int
	Backoff     sim.Time
	BackoffMax  sim.Time
	Exponential bool
	FullJitter  bool
}

// Params validates c.
func (c ClientConfig) Params() (ClientParams, error) {
	p := ClientParams{Timeout: sim.Time(c.Timeout), MaxAttempts: max(c.MaxAttempts, 1),
		Backoff: sim.Time(c.Backoff), BackoffMax: sim.Time(c.BackoffMax)}
	switch c.BackoffKind {
	case "", "fixed":
	case "exponential":
		p.Exponential = true
	default:
		return p, fmt.Errorf("service: backoff_kind %q: want fixed or exponential", c.BackoffKind)
	}
	switch c.Jitter {
	case "", "none":
	case "full":
		p.FullJitter = true
	default:
		return p, fmt.Errorf("service: jitter %q: want none or full", c.Jitter)
	}
	if c.Schedule == "" {
		p.Schedule = []Step{{0, c.Rate}}
		return p, nil
	}
	if c.Rate != 0 {
		return p, fmt.Errorf("service: clients set both rate %v and schedule %q; use one", c.Rate, c.Schedule)
	}
	for _, part := range strings.Split(c.Schedule, ",") {
		at, r, ok := strings.Cut(strings.TrimSpace(part), "=")
		d, err1 := time.ParseDuration(strings.TrimSpace(at))
		v, err2 := strconv.ParseFloat(strings.TrimSpace(r), 64)
		if !ok || err1 != nil || err2 != nil || d < 0 || !(v >= 0) {
			return p, fmt.Errorf("service: schedule step %q: want OFFSET=RATE, e.g. 1h=300", strings.TrimSpace(part))
		}
		p.Schedule = append(p.Schedule, Step{sim.Time(d), v})
	}
	sort.SliceStable(p.Schedule, func(i, j int) bool { return p.Schedule[i].From < p.Schedule[j].From })
	if p.Schedule[0].From != 0 {
		p.Schedule = append([]Step{{0, 0}}, p.Schedule...)
	}
	return p, nil
}

// RateAt is the scheduled rate at t, and when it next changes.
func (p ClientParams) RateAt(t sim.Time) (rate float64, next sim.Time) {
	next = sim.Never
	for i, s := range p.Schedule {
		if s.From <= t {
			rate = s.Rate
		} else {
			next = p.Schedule[i].From
			break
		}
	}
	return rate, next
}

// Delay is the backoff before retry number n (n = 1 for the first retry).
func (p ClientParams) Delay(n int, r *rand.Rand) sim.Time {
	d := p.Backoff
	if p.Exponential {
		for i := 1; i < n && (p.BackoffMax == 0 || d < p.BackoffMax) && d < sim.Never/2; i++ {
			d *= 2
		}
		if p.BackoffMax > 0 && d > p.BackoffMax {
			d = p.BackoffMax
		}
	}
	if p.FullJitter && d > 0 {
		d = sim.Time(r.Int64N(int64(d) + 1))
	}
	return d
}
