package httpmw_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aftershock/aftershock/throttle/httpmw"
)

// TestStatusWriter: the first final status is the code (a 1xx is not
// final, a later status does not replace it); a body without a status, or
// nothing written, is 200, as net/http answers.
func TestStatusWriter(t *testing.T) {
	for _, c := range []struct {
		name  string
		serve func(w http.ResponseWriter)
		want  int
	}{
		{"nothing", func(http.ResponseWriter) {}, 200},
		{"body", func(w http.ResponseWriter) { w.Write([]byte("x")) }, 200},
		{"429", func(w http.ResponseWriter) { w.WriteHeader(429) }, 429},
		{"103 then 503", func(w http.ResponseWriter) { w.WriteHeader(103); w.WriteHeader(503) }, 503},
		{"503 then body", func(w http.ResponseWriter) { w.WriteHeader(503); w.Write([]byte("x")) }, 503},
	} {
		rec := httptest.NewRecorder()
		s := &httpmw.StatusWriter{ResponseWriter: rec}
		c.serve(s)
		if s.Code() != c.want || s.Unwrap() != rec {
			t.Errorf("%s: code %d, want %d", c.name, s.Code(), c.want)
		}
	}
}
