package targets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Formats of a targets file, as vegeta's -format flag names them.
const (
	HTTP = vegeta.HTTPTargetFormat
	JSON = vegeta.JSONTargetFormat
)

// Placeholder in a target's URL, header values or body, replaced by the
// droplet number.
const Placeholder = "{droplet}"

// Limits on a targets file, so that a wrong file fails at once.
const (
	MaxBytes   = 64 << 20 // bytes in the file
	MaxTargets = 1 << 20

	maxHTTPLine = 64<<10 - 1 // bufio.Scanner's default token size, less the newline
)

// Set is the targets of one file, in file order.
type Set struct {
	targets []vegeta.Target
	subst   []bool // target i holds Placeholder
}

// Lease is the Set that sends POST base/v1/lease?droplet=d: loadgen serve's
// lease endpoint. base is a URL such as "http://127.0.0.1:8080".
func Lease(base string) (*Set, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("targets: %q is not an http(s) URL with a host", base)
	}
	return newSet([]vegeta.Target{{Method: "POST", URL: strings.TrimSuffix(base, "/") + "/v1/lease?droplet=" + Placeholder}}), nil
}

func newSet(ts []vegeta.Target) *Set {
	s := &Set{targets: ts, subst: make([]bool, len(ts))}
	for i, t := range ts {
		has := strings.Contains(t.URL, Placeholder) || bytes.Contains(t.Body, []byte(Placeholder))
		for _, vs := range t.Header {
			for _, v := range vs {
				has = has || strings.Contains(v, Placeholder)
			}
		}
		s.subst[i] = has
	}
	return s
}

// Load reads the targets file at path in format (HTTP, JSON, or "" to detect
// it: JSON when the first non-blank character is '{').
func Load(path, format string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("targets: %q: %w", path, err)
	}
	defer f.Close()
	return Read(path, f, format)
}

// maxLine bounds a line of a targets file of either format: a JSON target
// is one line, its body inline.
const maxLine = 4 << 20

// Read reads targets in format from r; name is used in errors. A file that
// holds a NUL byte (neither format has one: /dev/zero, a binary) or a line
// over 4 MiB is refused as soon as it is read, not after MaxBytes.
func Read(name string, r io.Reader, format string) (*Set, error) {
	text := &textReader{r: io.LimitReader(r, MaxBytes+1), name: name}
	b, err := io.ReadAll(text)
	if text.err != nil {
		return nil, text.err
	}
	if err != nil {
		return nil, fmt.Errorf("targets: %q: %w", name, err)
	}
	if len(b) > MaxBytes {
		return nil, fmt.Errorf("targets: %q: larger than %d bytes", name, MaxBytes)
	}
	if format == "" {
		format = HTTP
		if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '{' {
			format = JSON
		}
	}
	var tr vegeta.Targeter
	switch format {
	case HTTP:
		if i := bytes.IndexByte(b, 0); i >= 0 {
			return nil, fmt.Errorf("targets: %q: a NUL byte at offset %d: not a text targets file", name, i)
		}
		// vegeta's scanner would stop at a longer line as if the file ended there
		for n, line := range bytes.Split(b, []byte("\n")) {
			if len(line) > maxHTTPLine {
				return nil, fmt.Errorf("targets: %q:%d: line longer than %d bytes", name, n+1, maxHTTPLine)
			}
		}
		tr = vegeta.NewHTTPTargeter(bytes.NewReader(b), nil, nil)
	case JSON:
		tr = vegeta.NewJSONTargeter(bytes.NewReader(b), nil, nil)
	default:
		return nil, fmt.Errorf("targets: format %q, want %s or %s", format, HTTP, JSON)
	}
	var ts []vegeta.Target
	for {
		var t vegeta.Target
		err := tr(&t)
		if err == vegeta.ErrNoTargets {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("targets: %q: %s target %d: %s", name, format, len(ts)+1, oneLine(err))
		}
		if err := check(&t); err != nil {
			return nil, fmt.Errorf("targets: %q: %s target %d: %w", name, format, len(ts)+1, err)
		}
		if len(ts) == MaxTargets {
			return nil, fmt.Errorf("targets: %q: more than %d targets", name, MaxTargets)
		}
		ts = append(ts, t)
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("targets: %q: no targets (want %s format)", name, format)
	}
	return newSet(ts), nil
}

// textReader passes text through, failing at a NUL byte or a line longer
// than maxLine.
type textReader struct {
	r    io.Reader
	name string
	off  int64 // bytes read
	line int
	err  error
}

func (t *textReader) Read(b []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	n, err := t.r.Read(b)
	for i, c := range b[:n] {
		switch {
		case c == 0:
			t.err = fmt.Errorf("targets: %q: a NUL byte at offset %d: not a text targets file", t.name, t.off+int64(i))
		case c == '\n':
			t.line = 0
		default:
			if t.line++; t.line > maxLine {
				t.err = fmt.Errorf("targets: %q: a line longer than %d bytes at offset %d: not a targets file", t.name, maxLine, t.off+int64(i))
			}
		}
		if t.err != nil {
			return i, t.err
		}
	}
	t.off += int64(n)
	return n, err
}

// check refuses a target vegeta would only fail on when sending it.
func check(t *vegeta.Target) error {
	u, err := url.Parse(strings.ReplaceAll(t.URL, Placeholder, "0"))
	if err != nil {
		return fmt.Errorf("bad URL %q", t.URL)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("URL %q is not http(s) with a host", t.URL)
	}
	return nil
}

func oneLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// Len is the number of targets.
func (s *Set) Len() int { return len(s.targets) }

// For sets t to droplet d's target: target d mod Len, with Placeholder
// replaced by d. A target without the placeholder is copied as it is (its
// Body and Header shared, never to be modified) and For allocates nothing.
func (s *Set) For(d int, t *vegeta.Target) {
	i := d % len(s.targets)
	if i < 0 {
		i += len(s.targets)
	}
	*t = s.targets[i]
	if !s.subst[i] {
		return
	}
	id := strconv.Itoa(d)
	t.URL = strings.ReplaceAll(t.URL, Placeholder, id)
	t.Body = bytes.ReplaceAll(t.Body, []byte(Placeholder), []byte(id))
	if t.Header != nil {
		h := make(map[string][]string, len(t.Header))
		for k, vs := range t.Header {
			out := make([]string, len(vs))
			for j, v := range vs {
				out[j] = strings.ReplaceAll(v, Placeholder, id)
			}
			h[k] = out
		}
		t.Header = h
	}
}

// Targeter is a vegeta.Targeter that cycles through the targets in file
// order (vegeta's own behaviour), the placeholder replaced by the target's
// index.
func (s *Set) Targeter() vegeta.Targeter {
	ts := make([]vegeta.Target, len(s.targets))
	for i := range ts {
		s.For(i, &ts[i])
	}
	return vegeta.NewStaticTargeter(ts...)
}

// Origins are the distinct scheme://host origins the targets send to, in
// first-use order: what an attacker checks (loopback? reachable?) before it
// starts.
func (s *Set) Origins() []string {
	var out []string
	for _, t := range s.targets {
		u, err := url.Parse(strings.ReplaceAll(t.URL, Placeholder, "0"))
		if err == nil && !slices.Contains(out, u.Scheme+"://"+u.Host) {
			out = append(out, u.Scheme+"://"+u.Host)
		}
	}
	return out
}

// Hosts are the distinct hosts (host:port as in the URLs) the targets send
// to, in first-use order.
func (s *Set) Hosts() []string {
	var hs []string
	for _, t := range s.targets {
		u, err := url.Parse(strings.ReplaceAll(t.URL, Placeholder, "0"))
		if err == nil && !slices.Contains(hs, u.Host) {
			hs = append(hs, u.Host)
		}
	}
	return hs
}
