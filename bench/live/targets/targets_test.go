package targets

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func write(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHTTPFormat(t *testing.T) {
	body := write(t, "body.json", `{"droplet": {droplet}}`)
	p := write(t, "targets.txt", "# two endpoints\nPOST http://svc.example:8080/lease/{droplet}\nX-Droplet: d-{droplet}\nContent-Type: application/json\n@"+body+"\n\nGET http://other.example/check\n")
	for _, format := range []string{HTTP, ""} {
		s, err := Load(p, format)
		if err != nil {
			t.Fatal(err)
		}
		if s.Len() != 2 {
			t.Fatalf("%d targets, want 2", s.Len())
		}
		var tg vegeta.Target
		s.For(4, &tg) // 4 mod 2: the first
		if tg.Method != "POST" || tg.URL != "http://svc.example:8080/lease/4" || string(tg.Body) != `{"droplet": 4}` ||
			tg.Header.Get("X-Droplet") != "d-4" || tg.Header.Get("Content-Type") != "application/json" {
			t.Errorf("droplet 4: %+v (body %q)", tg, tg.Body)
		}
		s.For(7, &tg)
		if tg.Method != "GET" || tg.URL != "http://other.example/check" || len(tg.Body) != 0 {
			t.Errorf("droplet 7: %+v", tg)
		}
		if h := s.Hosts(); strings.Join(h, ",") != "svc.example:8080,other.example" {
			t.Errorf("hosts %v", h)
		}
		if o := s.Origins(); strings.Join(o, ",") != "http://svc.example:8080,http://other.example" {
			t.Errorf("origins %v", o)
		}
	}
	// the template is untouched by a substitution
	s, _ := Load(p, HTTP)
	var a, b vegeta.Target
	s.For(2, &a)
	s.For(10, &b)
	if a.URL != "http://svc.example:8080/lease/2" || b.Header.Get("X-Droplet") != "d-10" || a.Header.Get("X-Droplet") != "d-2" {
		t.Errorf("substitutions interfere: %v %v", a, b)
	}
}

func TestJSONFormat(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte("id={droplet}"))
	p := write(t, "targets.json", `{"method":"PUT","url":"https://api.example/v1/x?d={droplet}","body":"`+b64+`","header":{"Authorization":["Bearer t"]}}`+"\n\n"+`{"method":"GET","url":"http://127.0.0.1:9/"}`+"\n")
	for _, format := range []string{JSON, ""} {
		s, err := Load(p, format)
		if err != nil {
			t.Fatal(err)
		}
		var tg vegeta.Target
		s.For(12, &tg)
		if tg.Method != "PUT" || tg.URL != "https://api.example/v1/x?d=12" || string(tg.Body) != "id=12" || tg.Header.Get("Authorization") != "Bearer t" {
			t.Errorf("%+v", tg)
		}
		if o := s.Origins(); strings.Join(o, ",") != "https://api.example,http://127.0.0.1:9" {
			t.Errorf("origins %v", o)
		}
		req, err := tg.Request()
		if err != nil || req.URL.Query().Get("d") != "12" {
			t.Errorf("request %v, %v", req, err)
		}
	}
}

func TestLeaseAndTargeter(t *testing.T) {
	s, err := Lease("http://127.0.0.1:8080/")
	if err != nil {
		t.Fatal(err)
	}
	var tg vegeta.Target
	s.For(42, &tg)
	if tg.Method != "POST" || tg.URL != "http://127.0.0.1:8080/v1/lease?droplet=42" {
		t.Errorf("%+v", tg)
	}
	if _, err := Lease("127.0.0.1:8080"); err == nil || !strings.HasPrefix(err.Error(), "targets: ") {
		t.Errorf("Lease without a scheme: %v", err)
	}
	p := write(t, "t", "GET http://a.example/{droplet}\n\nGET http://b.example/\n")
	s, err = Load(p, "")
	if err != nil {
		t.Fatal(err)
	}
	tr := s.Targeter()
	var got []string
	for range 3 {
		if err := tr(&tg); err != nil {
			t.Fatal(err)
		}
		got = append(got, tg.URL)
	}
	if strings.Join(got, " ") != "http://a.example/0 http://b.example/ http://a.example/0" {
		t.Errorf("targeter cycles through %v", got)
	}
}

func TestForAllocatesNothingWithoutPlaceholder(t *testing.T) {
	p := write(t, "t", "POST http://a.example/lease\nX: y\n")
	s, err := Load(p, "")
	if err != nil {
		t.Fatal(err)
	}
	var tg vegeta.Target
	if n := testing.AllocsPerRun(100, func() { s.For(17, &tg) }); n != 0 {
		t.Errorf("%v allocations per For", n)
	}
	if tg.Header.Get("X") != "y" {
		t.Errorf("%+v", tg)
	}
}

func TestBadTargetsFiles(t *testing.T) {
	for _, c := range []struct {
		name, text, format, want string
	}{
		{"empty", "", "", "no targets"},
		{"only comments", "# nothing\n\n", HTTP, "no targets"},
		{"binary", "\x00\x01\xff binary [[[\n", "", "NUL byte"},
		{"bad method", "post http://a.example/\n", HTTP, "http target 1: bad method"},
		{"no URL", "GET\n", HTTP, "bad target"},
		{"relative URL", "GET /v1/lease\n", HTTP, "not http(s) with a host"},
		{"ftp URL", "GET ftp://a.example/x\n", HTTP, "not http(s)"},
		{"bad header", "GET http://a.example/\nno-colon\n", HTTP, "bad header"},
		{"missing body file", "GET http://a.example/\n@/nonexistent/body\n", HTTP, "bad body"},
		{"second target bad", "GET http://a.example/\n\nGET x\n", HTTP, "target 2"},
		{"long line", "GET http://a.example/" + strings.Repeat("a", 70000) + "\n", HTTP, "line longer than"},
		{"json without url", `{"method":"GET"}` + "\n", JSON, "json target 1: target: required url is missing"},
		{"json garbage", "{not json\n", JSON, "json target 1"},
		{"json body not base64", `{"method":"GET","url":"http://a.example/","body":"!!"}` + "\n", JSON, "json target 1"},
		{"http read as json", "GET http://a.example/\n", JSON, "json target 1"},
		{"unknown format", "GET http://a.example/\n", "yaml", `format "yaml"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, "targets", c.text)
			_, err := Load(p, c.format)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "targets: ") || strings.Contains(err.Error(), "\n") {
				t.Errorf("%v, want one line containing %q", err, c.want)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing"), ""); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Load(t.TempDir(), ""); err == nil {
		t.Error("a directory: no error")
	}
}
