package httpmw

import "net/http"

// StatusWriter notes the status a handler answered: the first final
// status it wrote (1xx are not final), or 200 once it wrote a body without
// one. Middleware outside this
// package's (a library's, a server's counters) wraps a writer in it.
type StatusWriter struct {
	http.ResponseWriter
	code int
}

// Code is the status answered: 200 if the handler wrote a body without a
// status or returned without writing at all (net/http's own default); call
// it after the handler returned.
func (s *StatusWriter) Code() int {
	if s.code == 0 {
		return http.StatusOK
	}
	return s.code
}

// WriteHeader notes the first final status and passes it on.
func (s *StatusWriter) WriteHeader(code int) {
	if s.code == 0 && code >= 200 {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Write notes 200 if no status came first, and passes the body on.
func (s *StatusWriter) Write(b []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap is the writer below (http.ResponseController, Later).
func (s *StatusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
