package server

import (
	"net/http"
	"time"
)

// minSleep is the shortest sleep a worker takes: timers here do not sleep
// less than about a millisecond (see the package doc on short work).
const minSleep = time.Millisecond

// worker serves h's queue until Shutdown.
func (s *Server) worker(h *host) {
	defer s.wg.Done()
	until := time.Now() // the end of the work this worker owes (wall)
	t := time.NewTimer(time.Hour)
	t.Stop()
	defer t.Stop()
	for {
		h.mu.Lock()
		idle := false
		for h.q.Len() == 0 && !s.closing.Load() {
			h.cond.Wait()
			idle = true
		}
		if s.closing.Load() {
			h.mu.Unlock()
			return
		}
		start := s.now()
		j, ok := h.q.Pop(stamp(start))
		n := h.q.Len()
		h.length.Store(int64(n))
		if !ok {
			h.mu.Unlock()
			continue
		}
		s.queued.Add(-1)
		h.busy++
		d := h.draws.Service(j.droplet, h.busy, n)
		restart, epoch := h.restart, h.epoch
		h.mu.Unlock()

		// Busy since its last attempt, the worker carries on from where its
		// schedule ended, so that a timer's oversleep is paid back by the
		// next short attempts; after idling it starts from now.
		wall := time.Now()
		if idle {
			until = maxTime(until, wall)
		}
		until = until.Add(s.clock.Span(d))
		if w := until.Sub(wall); w >= minSleep {
			t.Reset(w)
			select {
			case <-t.C:
			case <-restart:
				t.Stop()
			case <-s.quit:
				j.answer(http.StatusServiceUnavailable)
				return
			}
		}
		good := s.set.UpThroughout(start, start+d)
		gone := j.gone.Load()
		h.mu.Lock()
		h.busy--
		if h.epoch != epoch { // a restart abandoned this work
			h.mu.Unlock()
			until = time.Now()
			s.dropped.Add(1)
			j.left.Done(false)
			j.answer(http.StatusServiceUnavailable)
			continue
		}
		j.left.Done(good && !gone)
		h.mu.Unlock()
		s.worked.Add(1)
		kind := "good"
		switch {
		case gone:
			s.wasted.Add(1)
			kind = "wasted"
		case !good:
			kind = "failed"
		}
		s.work.WithLabelValues(kind).Add(d.Seconds())
		if gone {
			continue
		}
		if !good {
			s.failed.Add(1)
			j.answer(http.StatusServiceUnavailable)
			continue
		}
		s.leased.Add(1)
		j.answer(http.StatusOK)
	}
}

// drop receives an attempt h's discipline dropped unworked (called with
// h.mu held).
func (s *Server) drop(h *host, j *job) {
	s.queued.Add(-1)
	s.dropped.Add(1)
	j.left.Done(false)
	j.answer(http.StatusServiceUnavailable)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
