package server

import (
	"sync/atomic"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/throttle/httpmw"
)

// job is one queued attempt.
type job struct {
	droplet int
	queued  time.Duration  // model time it was queued
	done    chan int       // its answer, a status code; buffered so that no one blocks on it
	gone    atomic.Bool    // its client gave up
	left    *httpmw.Report // tells the admission control how the work ended (nil: it learns nothing)
}

// QueuedAt is the model-time stamp disciplines compare.
func (j *job) QueuedAt() time.Time { return stamp(j.queued) }

// stamp is model time t on the clock the queues use: t after the Unix
// epoch (disciplines compare only differences).
func stamp(t time.Duration) time.Time { return time.Unix(0, int64(t)) }

// answer hands j its status code; it never blocks (one answer per job).
func (j *job) answer(code int) {
	select {
	case j.done <- code:
	default:
	}
}

var _ backlog.Timed = (*job)(nil)
