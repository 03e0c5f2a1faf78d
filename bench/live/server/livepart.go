package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/throttle/httpmw"
)

// reachedKey is the request context's key for the flag the host's own
// handler sets when a live-only part's middleware lets a request through.
type reachedKey struct{}

// withLivePart puts a live-only part's middleware (a library's) in front of
// next, host i's admission and queue, and counts what the part answers by
// itself, without letting the request through: its refusals are answers
// like any other (aftershock_lease_responses_total by code) and, apart,
// aftershock_live_policy_answers_total by code, so /metrics holds every
// answer the server sends.
func (s *Server) withLivePart(wrap func(policy.LiveHost) func(http.Handler) http.Handler, i int, next http.Handler) http.Handler {
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if reached, ok := r.Context().Value(reachedKey{}).(*bool); ok {
			*reached = true
		}
		next.ServeHTTP(w, r)
	})
	lib := wrap(policy.LiveHost{Index: i, Scale: s.clock.Scale})(inner)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached := false
		sw := &httpmw.StatusWriter{ResponseWriter: w}
		lib.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), reachedKey{}, &reached)))
		if reached {
			return // the host answered, and counted its answer
		}
		c := strconv.Itoa(sw.Code())
		s.codes.WithLabelValues(c).Inc()
		s.partAnswers.WithLabelValues(c).Inc()
		s.partRefused.Add(1)
	})
}
