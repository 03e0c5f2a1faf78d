package service

import (
	"encoding"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// ClientConfig is the [clients] section of a scenario file: open-loop clients
// and their retry policy. It is decoded, validated and used as is.
type ClientConfig struct {
	Rate        float64        `toml:"rate"`         // new requests per second (Poisson)
	Schedule    Schedule       `toml:"schedule"`     // piecewise rate "0s=100, 1h=300": rate from each offset on; replaces rate
	Timeout     model.Duration `toml:"timeout"`      // client gives up on an attempt after this; 0: never
	MaxAttempts int            `toml:"max_attempts"` // attempts per request including the first; 0 means 1
	Backoff     model.Duration `toml:"backoff"`      // delay before a retry (base of the exponential)
	BackoffMax  model.Duration `toml:"backoff_max"`  // cap of the exponential; 0: no cap
	BackoffKind string         `toml:"backoff_kind"` // fixed (default) or exponential
	Jitter      string         `toml:"jitter"`       // none (default), full, equal or decorrelated
	// RetryDelay, when set, is the wait before every retry, drawn afresh
	// from a distribution ("exp(100ms)"); it replaces backoff.
	RetryDelay model.Dist `toml:"retry_delay"`
	// OrbitCap caps the clients waiting to retry (the orbit); a retry that
	// would exceed it is abandoned and counted. 0: no cap.
	OrbitCap int `toml:"orbit_cap"`
	// RTTOut and RTTBack are the network's one-way delays, drawn per
	// attempt: client to service and back. Both lie inside the client's
	// timeout, whose clock starts when the attempt is sent. Unset: 0.
	RTTOut  model.Dist `toml:"rtt_out"`
	RTTBack model.Dist `toml:"rtt_back"`
	// RecoveryWindow is the sliding window of the recovery condition (see
	// package doc); 0: WindowTimeouts timeouts, or the sample interval.
	RecoveryWindow model.Duration `toml:"recovery_window"`
}

// WindowTimeouts is the recovery window, in client timeouts, when a
// scenario sets none (clients that never give up: the sample interval). A
// healthy request completes well inside one timeout, so a window ten
// timeouts long loses little to the lag between an arrival and its
// completion, and at the rates of the presets it holds hundreds of
// arrivals: Poisson noise alone does not make a healthy window look sick.
const WindowTimeouts = 10

// Limits: MaxOrbitCap is the request slots a model has; MinRecoveryWindow
// keeps a window's buckets (model.WindowBuckets) at least 10 µs long.
const (
	MaxOrbitCap       = 1 << 24
	MinRecoveryWindow = model.Duration(time.Millisecond)
)

// Step is one piece of a piecewise-constant rate.
type Step struct {
	From sim.Time
	Rate float64
}

// Schedule is a piecewise-constant arrival rate, sorted by From and starting
// at 0. It parses itself from "OFFSET=RATE, ..." (e.g. "0s=100, 1h=300"); a
// rate holds from its offset until the next.
type Schedule []Step

var (
	_ encoding.TextUnmarshaler = (*Schedule)(nil)
	_ encoding.TextMarshaler   = Schedule(nil)
)

// UnmarshalText parses a schedule.
func (s *Schedule) UnmarshalText(b []byte) error {
	var steps Schedule
	for _, part := range strings.Split(string(b), ",") {
		at, r, ok := strings.Cut(strings.TrimSpace(part), "=")
		d, err1 := time.ParseDuration(strings.TrimSpace(at))
		v, err2 := strconv.ParseFloat(strings.TrimSpace(r), 64)
		if !ok || err1 != nil || err2 != nil || d < 0 {
			return fmt.Errorf("service: schedule step %q: want OFFSET=RATE, e.g. 1h=300", strings.TrimSpace(part))
		}
		steps = append(steps, Step{sim.Time(d), v})
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].From < steps[j].From })
	if steps[0].From != 0 {
		steps = append(Schedule{{0, 0}}, steps...)
	}
	*s = steps
	return nil
}

// MarshalText writes s in the form UnmarshalText reads.
func (s Schedule) MarshalText() ([]byte, error) {
	parts := make([]string, len(s))
	for i, st := range s {
		parts[i] = st.From.Duration().String() + "=" + strconv.FormatFloat(st.Rate, 'g', -1, 64)
	}
	return []byte(strings.Join(parts, ", ")), nil
}

// String is s as a scenario file writes it.
func (s Schedule) String() string {
	b, _ := s.MarshalText()
	return string(b)
}

// RateAt is the scheduled rate at t, and when it next changes.
func (s Schedule) RateAt(t sim.Time) (rate float64, next sim.Time) {
	next = sim.Never
	for i, st := range s {
		if st.From <= t {
			rate = st.Rate
		} else {
			next = s[i].From
			break
		}
	}
	return rate, next
}

// Limits on the clients: MaxAttempts because attempt counters are 16 bits;
// MaxRate because a faster arrival process fills the model's 2^24 request
// slots in seconds.
const (
	MaxAttempts = 10_000
	MaxRate     = 1e6
)

// Validate checks c's ranges.
func (c ClientConfig) Validate() error {
	if c.MaxAttempts < 0 || c.MaxAttempts > MaxAttempts {
		return fmt.Errorf("service: max_attempts %d outside 0..%d", c.MaxAttempts, MaxAttempts)
	}
	if !(c.Rate >= 0 && c.Rate <= MaxRate) {
		return fmt.Errorf("service: rate %v outside [0, %g] per second", c.Rate, MaxRate)
	}
	for _, st := range c.Schedule {
		if !(st.Rate >= 0 && st.Rate <= MaxRate) {
			return fmt.Errorf("service: schedule rate %v outside [0, %g] per second", st.Rate, MaxRate)
		}
		if err := model.InRange("schedule offset", model.Duration(st.From), 0, model.MaxSpan); err != nil {
			return fmt.Errorf("service: %w", err)
		}
	}
	if c.Rate != 0 && len(c.Schedule) > 0 {
		return fmt.Errorf("service: clients set both rate %v and schedule %q; use one", c.Rate, c.Schedule)
	}
	for _, err := range []error{
		model.InRange("timeout", c.Timeout, 0, model.MaxSpan),
		model.InRange("backoff", c.Backoff, 0, model.MaxSpan),
		model.InRange("backoff_max", c.BackoffMax, 0, model.MaxSpan),
	} {
		if err != nil {
			return fmt.Errorf("service: %w", err)
		}
	}
	if _, err := c.RetryBackoff(); err != nil {
		return err
	}
	if c.RetryDelay.Law != nil && (c.Backoff != 0 || c.BackoffMax != 0 || c.BackoffKind != "" || c.Jitter != "") {
		return fmt.Errorf("service: retry_delay %v and backoff settings both set; use one", c.RetryDelay)
	}
	if c.OrbitCap < 0 || c.OrbitCap > MaxOrbitCap {
		return fmt.Errorf("service: orbit_cap %d outside 0..%d", c.OrbitCap, MaxOrbitCap)
	}
	if c.RecoveryWindow != 0 {
		if err := model.InRange("recovery_window", c.RecoveryWindow, MinRecoveryWindow, model.MaxSpan); err != nil {
			return fmt.Errorf("service: %w", err)
		}
	}
	return nil
}

// Window is the recovery window: RecoveryWindow, else WindowTimeouts
// timeouts, else interval.
func (c ClientConfig) Window(interval sim.Time) sim.Time {
	switch {
	case c.RecoveryWindow > 0:
		return sim.Time(c.RecoveryWindow)
	case c.Timeout > 0:
		return min(WindowTimeouts*sim.Time(c.Timeout), sim.Time(model.MaxSpan))
	}
	return interval
}

// RetryBackoff is the clients' wait before a retry.
func (c ClientConfig) RetryBackoff() (backlog.Backoff, error) {
	b := backlog.Backoff{Base: time.Duration(c.Backoff), Cap: time.Duration(c.BackoffMax), Multiplier: 1}
	switch c.BackoffKind {
	case "", "fixed":
	case "exponential":
		b.Multiplier = 2
	default:
		return b, fmt.Errorf("service: backoff_kind %q: want fixed or exponential", c.BackoffKind)
	}
	if c.Jitter != "" {
		j, err := backlog.ParseJitter(c.Jitter)
		if err != nil {
			return b, fmt.Errorf("service: %w", err)
		}
		b.Jitter = j
	}
	if err := b.Validate(); err != nil {
		return b, fmt.Errorf("service: %w", err)
	}
	return b, nil
}

// Steps is the arrival rate over time: the schedule, or the constant rate.
func (c ClientConfig) Steps() Schedule {
	if len(c.Schedule) > 0 {
		return c.Schedule
	}
	return Schedule{{0, c.Rate}}
}

// Attempts is the attempts per request, at least 1.
func (c ClientConfig) Attempts() int { return max(c.MaxAttempts, 1) }
