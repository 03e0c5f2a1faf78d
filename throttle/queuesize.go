package throttle

import (
	"fmt"
	"sync"
	"time"
)

// QueueSize is the mitigation AWS announced for EC2 after the October 2025
// event: rate-limit incoming work based on the size of the waiting queue. The
// admitted rate falls linearly from Rate with an empty queue to zero when
// Limit units are waiting:
//
//	rate(queued) = Rate · max(0, 1 − queued/Limit)
//
// It is a token bucket (capacity Burst, starting full) whose refill since the
// previous decision is credited at the rate the queue warrants now.
//
// Why not x/time/rate with SetLimitAt before each AllowN: a limiter refills
// between calls at the rate set by the previous call. The queue is read only
// when work arrives, so after a burst that filled the queue (rate 0) and a
// quiet spell in which it drained, the first arrival would find the bucket
// still empty and be refused by a service that is idle
// (TestQueueSizeRefillsAtTheCurrentReading). Crediting the elapsed
// time at the current reading reacts to the queue as soon as work arrives.
//
// Why linear: it is the simplest law that (a) admits freely when the service is
// idle, (b) settles the queue where admitted rate meets service rate, at
// Limit·(1 − capacity/Rate), and (c) refills nothing once Limit units wait:
// what is left in the bucket is still spent, so a surge can queue up to
// Limit + Burst units (Burst more than Limit alone: a queue at Limit with a
// full bucket takes Burst more), and queueing time is bounded by Limit +
// Burst over the service rate. Choose the two so that bound is well under the
// clients' timeout, and small where service time grows with the backlog.
//
// Instants out of order: time is credited only forward (a call earlier than
// the latest one seen gets no refill and does not move the clock back), so
// callers whose instants interleave never make it over-admit.
//
// The zero value is not usable; use NewQueueSize. A QueueSize is safe for
// concurrent use: one mutex guards the tokens and the clock.
type QueueSize struct {
	perSecond float64
	limit     float64
	burst     float64

	mu struct {
		sync.Mutex
		tokens float64
		last   time.Time
	}
}

// QueueSizeConfig parameterises a QueueSize; see DefaultQueueSize.
type QueueSizeConfig struct {
	Rate  float64 // admitted units per second with an empty queue; above 0 and finite
	Limit int     // queued units at which the refill stops (the bucket's tokens are still spent); ≥ 1
	Burst int     // tokens in a full bucket, and at start; ≥ 1
}

// DefaultQueueSize admits 100 units per second with an empty queue, refills
// nothing once 20 wait, with a burst of 20 (so at most 40 wait). AWS published the law, not its numbers; these
// are an example, to be sized as the type's doc explains.
var DefaultQueueSize = QueueSizeConfig{Rate: 100, Limit: 20, Burst: 20}

// Validate reports the first field of c out of range.
func (c QueueSizeConfig) Validate() error {
	if err := checkRate("queue size", c.Rate); err != nil {
		return err
	}
	if c.Limit < 1 {
		return fmt.Errorf("throttle: queue size limit %d below 1", c.Limit)
	}
	if c.Burst < 1 {
		return fmt.Errorf("throttle: queue size burst %d below 1", c.Burst)
	}
	return nil
}

// NewQueueSize returns the control with a full bucket, or c.Validate's error.
func NewQueueSize(c QueueSizeConfig) (*QueueSize, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	q := &QueueSize{perSecond: c.Rate, limit: float64(c.Limit), burst: float64(c.Burst)}
	q.mu.tokens = q.burst
	return q, nil
}

// Rate is the admitted rate, per second, with queued units waiting.
func (q *QueueSize) Rate(queued int) float64 {
	return q.perSecond * max(0, 1-float64(queued)/q.limit)
}

// Admit credits the time since the previous decision at Rate(queued) and takes
// one token at now if there is one.
func (q *QueueSize) Admit(now time.Time, queued int) bool {
	r := q.Rate(queued)
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.mu.last.IsZero() {
		if dt := now.Sub(q.mu.last); dt > 0 {
			q.mu.tokens = min(q.burst, q.mu.tokens+dt.Seconds()*r)
		}
	}
	if now.After(q.mu.last) {
		q.mu.last = now
	}
	if q.mu.tokens >= 1-tokenEpsilon {
		q.mu.tokens = max(0, q.mu.tokens-1)
		return true
	}
	return false
}

// tokenEpsilon absorbs float rounding: ten credits of 0.1 token sum to
// 0.9999999999999999, which must still buy a unit.
const tokenEpsilon = 1e-9

var _ Admitter = (*QueueSize)(nil)
