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
// Instants out of order: rate.Limiter (v0.16.0) moves its clock back to an
// instant earlier than the last one it admitted at, so the next on-time call
// credits the time between again. Callers whose instants interleave out of
// order (many goroutines reading the wall clock) can therefore be admitted
// above Rate and Burst (TestLateInstantTokenBucketOverAdmits: 3 units at one
// instant from a bucket of burst 2); TestConformance finds it within 1% +
// Burst of Rate under the contention it measures. QueueSize with a
// large Limit is a bucket that never credits time twice.
//
// The zero value is not usable; use NewTokenBucket. A TokenBucket is safe for
// concurrent use: rate.Limiter's mutex guards it.
type TokenBucket struct {
	lim *rate.Limiter
}

// TokenBucketConfig parameterises a TokenBucket; see DefaultTokenBucket.
type TokenBucketConfig struct {
	Rate  float64 // tokens per second; above 0 and finite
	Burst int     // tokens in a full bucket, and at start; ≥ 1
}

// DefaultTokenBucket is a bucket of 100 tokens per second with a burst of 10.
// No default is published for a token bucket (rate.NewLimiter has none);
// these numbers are an example, to be sized to the service it protects.
var DefaultTokenBucket = TokenBucketConfig{Rate: 100, Burst: 10}

// Validate reports the first field of c out of range.
func (c TokenBucketConfig) Validate() error {
	if err := checkRate("token bucket", c.Rate); err != nil {
		return err
	}
	if c.Burst < 1 {
		return fmt.Errorf("throttle: token bucket burst %d below 1", c.Burst)
	}
	return nil
}

// NewTokenBucket returns a full bucket, or c.Validate's error.
func NewTokenBucket(c TokenBucketConfig) (*TokenBucket, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &TokenBucket{lim: rate.NewLimiter(rate.Limit(c.Rate), c.Burst)}, nil
}

// Admit takes one token at now if there is one; queued is ignored.
func (b *TokenBucket) Admit(now time.Time, _ int) bool { return b.lim.AllowN(now, 1) }

var _ Admitter = (*TokenBucket)(nil)
