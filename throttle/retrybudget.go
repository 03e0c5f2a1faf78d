package throttle

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// RetryBudget is the retry budget of Twitter's Finagle (RetryBudget) as
// adopted by Linkerd: retries may add at most a fixed share to the requests a
// client sends, plus a small allowance so a quiet client can still retry.
// Retries then cannot multiply load on a failing backend: however many layers
// retry, each adds at most Ratio.
//
// Published source and defaults: Finagle's default budget, also Linkerd's:
// 20% of requests plus 10 retries per second, over a 10 s TTL
// (DefaultRetryBudget, kept as 10 buckets of one second).
//
// Rule, over the TTL window:
//
//	Retry is allowed  iff  retries + 1 ≤ Ratio·requests + MinPerSecond·TTL
//
// where requests counts Request calls (first attempts) and retries counts the
// retries allowed; an allowed retry is recorded. Successes play no part (it
// is no SuccessObserver). Finagle
// phrases it as a token bucket (each request deposits, each retry withdraws
// 1/Ratio, with a reserve of MinPerSecond·TTL); over one TTL the two agree.
// A float slack of 1e-9 lets Ratio·requests reach the whole number it stands
// for (0.29·100 is 28.999999999999996).
//
// The window is a ring of Buckets buckets of TTL/Buckets each; a sum covers
// between TTL − TTL/Buckets and TTL of history. So, for non-decreasing
// instants, any retry at t together with the retries allowed in the
// TTL − TTL/Buckets before it number at most Ratio·(requests in (t − TTL, t])
// + MinPerSecond·TTL. Instants slightly out of order: a request so late that
// its bucket has left the window is dropped (it must not extend the budget),
// a retry is counted in the oldest bucket (it must not leave early).
//
// Trade-offs: the reserve lets a client with little traffic retry everything,
// and lets it spend MinPerSecond·TTL retries at once after an idle spell; a
// ratio caps amplification at 1 + Ratio per layer but refuses retries a
// transient blip would have justified. The window bounds memory of both: a
// client that sent many requests a TTL ago gets no credit for them now.
//
// The zero value is not usable; use NewRetryBudget. A RetryBudget is safe for
// concurrent use: one mutex guards both windows.
type RetryBudget struct {
	ratio   float64
	reserve float64 // MinPerSecond · TTL in seconds

	mu struct {
		sync.Mutex
		requests window
		retries  window
	}
}

// RetryBudgetConfig parameterises a RetryBudget.
type RetryBudgetConfig struct {
	Ratio        float64       // retries allowed per request in the window; ≥ 0 and finite
	MinPerSecond float64       // retries per second of TTL allowed regardless; ≥ 0 and finite
	TTL          time.Duration // how long a request or retry counts; > 0
	Buckets      int           // buckets the TTL is kept in, in [1, 65536]
}

// DefaultRetryBudget is Finagle's and Linkerd's default: 20% plus 10/s over
// 10 s.
var DefaultRetryBudget = RetryBudgetConfig{Ratio: 0.2, MinPerSecond: 10, TTL: 10 * time.Second, Buckets: 10}

// Validate reports the first field of c out of range.
func (c RetryBudgetConfig) Validate() error {
	if !(c.Ratio >= 0) || math.IsInf(c.Ratio, 0) {
		return fmt.Errorf("throttle: retry budget ratio %v must be finite and at least 0", c.Ratio)
	}
	if !(c.MinPerSecond >= 0) || math.IsInf(c.MinPerSecond, 0) {
		return fmt.Errorf("throttle: retry budget min per second %v must be finite and at least 0", c.MinPerSecond)
	}
	return checkWindow("retry budget", "TTL", c.TTL, c.Buckets)
}

// NewRetryBudget returns a budget with empty history (only the reserve), or
// c.Validate's error.
func NewRetryBudget(c RetryBudgetConfig) (*RetryBudget, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	b := &RetryBudget{ratio: c.Ratio, reserve: c.MinPerSecond * c.TTL.Seconds()}
	b.mu.requests = newWindow(c.TTL, c.Buckets)
	b.mu.retries = newWindow(c.TTL, c.Buckets)
	return b, nil
}

// Request deposits a first attempt at now.
func (b *RetryBudget) Request(now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mu.requests.add(now, 1)
}

// Retry reports whether a retry fits the budget at now and records it if so.
// timeout is ignored: every retry costs the same.
func (b *RetryBudget) Retry(now time.Time, _ bool) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.mu.retries.sum(now)+1 > b.ratio*b.mu.requests.sum(now)+b.reserve+tokenEpsilon {
		return false
	}
	b.mu.retries.charge(now, 1)
	return true
}

var (
	_ RetryGate       = (*RetryBudget)(nil)
	_ RequestObserver = (*RetryBudget)(nil)
)
