package targets

import (
	"strings"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// FuzzRead: any bytes in either format give a set or a one-line error
// prefixed "targets: ", never a panic; a set of n targets hands out a
// target for any droplet.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"GET http://127.0.0.1:8080/check\n",
		"POST http://svc.example/lease/{droplet}\nX-Droplet: d-{droplet}\n\nGET http://other.example/\n",
		`{"method":"GET","url":"http://127.0.0.1/x","header":{"A":["b"]}}` + "\n",
		`{"method":"POST","url":"http://h/{droplet}","body":"e30="}`,
		"# comment only\n", "", "{", "GET\n",
	} {
		f.Add(s, "")
		f.Add(s, HTTP)
		f.Add(s, JSON)
	}
	f.Fuzz(func(t *testing.T, text, format string) {
		if format != "" && format != HTTP && format != JSON {
			format = ""
		}
		s, err := Read("fuzz", strings.NewReader(text), format)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "targets: ") || strings.Contains(msg, "\n") {
				t.Fatalf("Read(%q, %q): error %q is not one line prefixed targets:", text, format, msg)
			}
			return
		}
		if s.Len() < 1 {
			t.Fatalf("Read(%q, %q): a set of %d targets and no error", text, format, s.Len())
		}
		var tg vegeta.Target
		s.For(len(text), &tg)
		if tg.URL == "" {
			t.Fatalf("Read(%q, %q): droplet %d gets a target with no URL", text, format, len(text))
		}
	})
}
