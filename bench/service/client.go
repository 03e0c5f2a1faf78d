package service

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/backlog"
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
	Jitter      string        `scn:"jitter"`              // none (default), full, equal or decorrelated
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
	Backoff     backlog.Backoff
}

// MaxAttempts bounds max_attempts (attempt counters are 16 bits).
const MaxAttempts = 10_000

// Params validates c.
func (c ClientConfig) Params() (ClientParams, error) {
	if c.MaxAttempts > MaxAttempts {
		return ClientParams{}, fmt.Errorf("service: max_attempts %d above %d", c.MaxAttempts, MaxAttempts)
	}
	p := ClientParams{Timeout: sim.Time(c.Timeout), MaxAttempts: max(c.MaxAttempts, 1),
		Backoff: backlog.Backoff{Base: c.Backoff, Cap: c.BackoffMax, Multiplier: 1}}
	switch c.BackoffKind {
	case "", "fixed":
	case "exponential":
		p.Backoff.Multiplier = 2
	default:
		return p, fmt.Errorf("service: backoff_kind %q: want fixed or exponential", c.BackoffKind)
	}
	if c.Jitter != "" {
		j, err := backlog.ParseJitter(c.Jitter)
		if err != nil {
			return p, fmt.Errorf("service: %w", err)
		}
		p.Backoff.Jitter = j
	}
	if err := p.Backoff.Validate(); err != nil {
		return p, fmt.Errorf("service: %w", err)
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
