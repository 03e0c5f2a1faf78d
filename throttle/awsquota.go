package throttle

import (
	"fmt"
	"sync"
	"time"
)

// AWSQuota is the retry quota of the AWS SDKs' "standard" retry mode: a
// client-wide bucket of tokens that retries spend and successes earn back, so
// that when most calls fail the client soon stops retrying at all, and resumes
// as calls succeed again.
//
// Published source and defaults: the AWS SDKs and Tools reference guide,
// "Retry behavior" (standard mode), as implemented by every SDK: a quota of
// 500 tokens, 5 per retry, 10 per retry after a timeout, and 1 earned back per
// success that needed no retry (DefaultAWSQuota). Standard mode also caps
// attempts at 3 per request; that cap belongs to the caller's retry loop.
//
// Rule: the bucket starts full at Capacity. Retry(now, timeout) takes
// RetryCost, or TimeoutCost if the failed attempt timed out, when the bucket
// holds that many, and otherwise refuses (taking nothing). Success(now,
// retried) puts back RetryCost if the request needed retries and
// SuccessRefund if not, never above Capacity. First attempts are free, so it
// is no RequestObserver; time is unused (no refill with time) and kept only
// for the interfaces.
//
// Simplification: the SDKs refund, on a retried request's success, what its
// last retry actually cost (TimeoutCost after a timeout); RetryGate does not
// say which retry belongs to which success, so this refunds RetryCost always.
// After timeouts the bucket therefore recovers a little more slowly than the
// SDK's.
//
// Trade-offs: a quota has no memory of time, only of balance. Retries that
// end in success are refunded in full, so the bucket drains only through
// retries that do not, and each of those is repaid by RetryCost/SuccessRefund
// successes that needed no retry (5 by default). During an outage it empties
// after Capacity/RetryCost failed retries (100), then refuses every retry
// until first attempts succeed again; there is no refill with time, so a
// client that stops calling keeps an empty bucket. Timeouts cost double
// because a timed-out attempt may still be occupying the server.
//
// The zero value is not usable; use NewAWSQuota. An AWSQuota is safe for
// concurrent use: one mutex guards the tokens.
type AWSQuota struct {
	capacity, retryCost, timeoutCost, successRefund int

	mu struct {
		sync.Mutex
		tokens int
	}
}

// AWSQuotaConfig parameterises an AWSQuota; see DefaultAWSQuota.
type AWSQuotaConfig struct {
	Capacity      int // tokens in a full bucket, and at start; ≥ 1
	RetryCost     int // tokens a retry takes; in [1, Capacity]
	TimeoutCost   int // tokens a retry after a timeout takes; in [1, Capacity]
	SuccessRefund int // tokens a success without retries puts back; in [0, Capacity]
}

// DefaultAWSQuota is the AWS SDKs' standard-mode quota.
var DefaultAWSQuota = AWSQuotaConfig{Capacity: 500, RetryCost: 5, TimeoutCost: 10, SuccessRefund: 1}

// Validate reports the first field of c out of range.
func (c AWSQuotaConfig) Validate() error {
	if c.Capacity < 1 {
		return fmt.Errorf("throttle: AWS quota capacity %d below 1", c.Capacity)
	}
	if c.RetryCost < 1 || c.RetryCost > c.Capacity {
		return fmt.Errorf("throttle: AWS quota retry cost %d must be in [1, capacity %d]", c.RetryCost, c.Capacity)
	}
	if c.TimeoutCost < 1 || c.TimeoutCost > c.Capacity {
		return fmt.Errorf("throttle: AWS quota timeout cost %d must be in [1, capacity %d]", c.TimeoutCost, c.Capacity)
	}
	if c.SuccessRefund < 0 || c.SuccessRefund > c.Capacity {
		return fmt.Errorf("throttle: AWS quota success refund %d must be in [0, capacity %d]", c.SuccessRefund, c.Capacity)
	}
	return nil
}

// NewAWSQuota returns a full quota, or c.Validate's error.
func NewAWSQuota(c AWSQuotaConfig) (*AWSQuota, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	q := &AWSQuota{capacity: c.Capacity, retryCost: c.RetryCost, timeoutCost: c.TimeoutCost, successRefund: c.SuccessRefund}
	q.mu.tokens = c.Capacity
	return q, nil
}

// Available is the tokens in the bucket.
func (q *AWSQuota) Available() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.mu.tokens
}

// Retry takes the retry's cost if the bucket holds it.
func (q *AWSQuota) Retry(_ time.Time, timeout bool) bool {
	cost := q.retryCost
	if timeout {
		cost = q.timeoutCost
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.mu.tokens < cost {
		return false
	}
	q.mu.tokens -= cost
	return true
}

// Success puts back RetryCost if the request was retried, SuccessRefund if
// not, up to Capacity.
func (q *AWSQuota) Success(_ time.Time, retried bool) {
	refund := q.successRefund
	if retried {
		refund = q.retryCost
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.mu.tokens = min(q.capacity, q.mu.tokens+refund)
}

var (
	_ RetryGate       = (*AWSQuota)(nil)
	_ SuccessObserver = (*AWSQuota)(nil)
)
