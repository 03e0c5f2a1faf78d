package throttle

import (
	"fmt"
	"time"

	"golang.org/x/time/rate"
)

// QueueProportional is the mitigation AWS announced for EC2 after the October
// 2025 event: rate-limit incoming work based on the size of the waiting queue.
// The admitted rate falls linearly from Rate with an empty queue to zero when
// Limit units are waiting:
//
//	rate(queued) = Rate · max(0, 1 − queued/Limit)
//
// Each Admit re-aims an x/time/rate token bucket at that rate and takes one
// token. Between calls the bucket refills at the rate set by the previous call,
// so the control reacts to the queue as fast as work arrives.
//
// Why linear: it is the simplest law that (a) admits freely when the service is
// idle, (b) keeps the queue where admitted rate meets service rate, that is at
// Limit·(1 − capacity/Rate), and (c) admits nothing once the queue holds Limit,
// so waiting time is bounded by Limit divided by the service rate. Choose Limit
// so that this bound is below the clients' timeout and the queue can never hold
// only doomed work.
//
// It is safe for concurrent use (rate.Limiter's mutex); concurrent callers see
// each other's queue readings only through the limit they last set.
type QueueProportional struct {
	perSecond float64
	limit     float64
	lim       *rate.Limiter
}

// NewQueueProportional returns the control; burst bounds how many units may be
// admitted at once after an idle spell.
func NewQueueProportional(perSecond float64, limit, burst int) (*QueueProportional, error) {
	if !(perSecond > 0) {
		return nil, fmt.Errorf("throttle: queue-size rate %v must be above 0", perSecond)
	}
	if limit < 1 {
		return nil, fmt.Errorf("throttle: queue-size limit %d below 1", limit)
	}
	if burst < 1 {
		return nil, fmt.Errorf("throttle: queue-size burst %d below 1", burst)
	}
	return &QueueProportional{
		perSecond: perSecond,
		limit:     float64(limit),
		lim:       rate.NewLimiter(rate.Limit(perSecond), burst),
	}, nil
}

// Admit sets the bucket's rate from queued and takes one token at now.
func (q *QueueProportional) Admit(now time.Time, queued int) bool {
	f := 1 - float64(queued)/q.limit
	if f <= 0 {
		q.lim.SetLimitAt(now, 0)
		return false
	}
	q.lim.SetLimitAt(now, rate.Limit(q.perSecond*f))
	return q.lim.AllowN(now, 1)
}

var _ Admitter = (*QueueProportional)(nil)
