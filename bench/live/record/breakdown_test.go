package record

import (
	"fmt"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TestErrorKindCountsOneWayOfFailingOnce: errors that differ only by URL or
// by a connection's local port are one kind; a kind keeps its meaning.
func TestErrorKindCountsOneWayOfFailingOnce(t *testing.T) {
	for in, want := range map[string]string{
		`Post "http://127.0.0.1:8080/v1/lease?droplet=7": dial tcp 127.0.0.1:8080: connect: connection refused`: "dial tcp 127.0.0.1:8080: connect: connection refused",
		`timeout: Post "http://127.0.0.1:8080/v1/lease?droplet=9": context deadline exceeded`:                   "timeout: context deadline exceeded",
		`Post "http://x/": read tcp 127.0.0.1:54321->127.0.0.1:8080: read: connection reset by peer`:            "read tcp 127.0.0.1:8080: read: connection reset by peer",
		`Get "https://[::1]:443/": read tcp [::1]:40000->[::1]:443: read: connection reset by peer`:             "read tcp [::1]:443: read: connection reset by peer",
		"404 Not Found": "404 Not Found",
		"unsent":        "unsent",
		"a\nb":          "a",
	} {
		if got := ErrorKind(in); got != want {
			t.Errorf("ErrorKind(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBreakdownBounded: a million distinct errors keep at most
// MaxErrorKinds kinds; the rest are counted, not lost.
func TestBreakdownBounded(t *testing.T) {
	var b Breakdown
	for i := range 3 * MaxErrorKinds {
		b.Add(&vegeta.Result{Error: fmt.Sprintf("error %d", i)})
	}
	b.Add(&vegeta.Result{Code: 200})
	b.Add(&vegeta.Result{Code: 404, Error: "404 Not Found"})
	if len(b.Errors) != MaxErrorKinds || b.Other != 2*MaxErrorKinds+1 || b.Total() != 3*MaxErrorKinds+2 {
		t.Fatalf("%d kinds, other %d, total %d", len(b.Errors), b.Other, b.Total())
	}
	var m Breakdown
	m.Merge(b)
	m.Merge(b)
	if m.Codes[0] != 2*3*MaxErrorKinds || m.Codes[404] != 2 || len(m.Errors) != MaxErrorKinds {
		t.Fatalf("merged %v, %d kinds", m.Codes, len(m.Errors))
	}
	top := m.Top(2)
	if len(top) != 2 || top[0].Count != 2 {
		t.Fatalf("top %v", top)
	}
}
