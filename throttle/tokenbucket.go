package throttle

import (
	"fmt"
	"time"

	"golang.org/x/time/rate"
)

// TokenBucket admits at most Rate units per second on average with bursts of
// up to Burst, regardless of the queue: a thin wrapper over
// golang.org/x/time/rate's Limiter.AllowN, so it sheds (never goes into debt).
// The bucket starts full, as rate.Limiter's does.
//
// It is safe for concurrent use (rate.Limiter's mutex).
type TokenBucket struct {
	lim *rate.Limiter
}

// NewTokenBucket returns a bucket of the given rate (units/s) and burst.
func NewTokenBucket(perSecond float64, burst int) (*TokenBucket, error) {
	if !(perSecond > 0) {
		return nil, fmt.Errorf("throttle: token bucket rate %v must be above 0", perSecond)
	}
	if burst < 1 {
		return nil, fmt.Errorf("throttle: token bucket burst %d below 1", burst)
	}
	return &TokenBucket{lim: rate.NewLimiter(rate.Limit(perSecond), burst)}, nil
}

// Admit takes one token at now if there is one.
func (b *TokenBucket) Admit(now time.Time, _ int) bool { return b.lim.AllowN(now, 1) }

var _ Admitter = (*TokenBucket)(nil)
