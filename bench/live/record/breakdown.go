package record

import (
	"regexp"
	"slices"
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// MaxErrorKinds bounds the distinct errors a Breakdown keeps by text; the
// results with any further kind are counted in Other, so that a file of
// millions of distinct errors reads in bounded memory.
const MaxErrorKinds = 1000

// Breakdown counts results by HTTP status code and by error, the error text
// normalized so that attempts failing the same way count as one kind (not
// one per URL or per connection): vegeta report's status codes and error
// set, counted.
type Breakdown struct {
	Codes  map[uint16]int64 // by status code; 0: no answer (transport error, timeout, unsent)
	Errors map[string]int64 // by normalized error text (ErrorKind), at most MaxErrorKinds
	Other  int64            // results with an error of a kind beyond MaxErrorKinds
}

// ErrorCount is one kind of error and how many results had it.
type ErrorCount struct {
	Error string
	Count int64
}

// Add counts r.
func (b *Breakdown) Add(r *vegeta.Result) {
	if b.Codes == nil {
		b.Codes, b.Errors = map[uint16]int64{}, map[string]int64{}
	}
	b.Codes[r.Code]++
	if r.Error == "" {
		return
	}
	k := ErrorKind(r.Error)
	if _, ok := b.Errors[k]; !ok && len(b.Errors) >= MaxErrorKinds {
		b.Other++
		return
	}
	b.Errors[k]++
}

// Merge adds o's counts to b.
func (b *Breakdown) Merge(o Breakdown) {
	if b.Codes == nil {
		b.Codes, b.Errors = map[uint16]int64{}, map[string]int64{}
	}
	for c, n := range o.Codes {
		b.Codes[c] += n
	}
	for e, n := range o.Errors {
		if _, ok := b.Errors[e]; !ok && len(b.Errors) >= MaxErrorKinds {
			b.Other += n
			continue
		}
		b.Errors[e] += n
	}
	b.Other += o.Other
}

// Top is the n most frequent errors, most frequent first (ties by text).
func (b Breakdown) Top(n int) []ErrorCount {
	out := make([]ErrorCount, 0, len(b.Errors))
	for e, c := range b.Errors {
		out = append(out, ErrorCount{e, c})
	}
	slices.SortFunc(out, func(x, y ErrorCount) int {
		if x.Count != y.Count {
			if x.Count > y.Count {
				return -1
			}
			return 1
		}
		return strings.Compare(x.Error, y.Error)
	})
	return out[:min(n, len(out))]
}

// Total is the number of results counted.
func (b Breakdown) Total() int64 {
	var t int64
	for _, n := range b.Codes {
		t += n
	}
	return t
}

var (
	// urlPrefix is net/url's `Post "http://host/path?droplet=7": ` before
	// a client error (the URL quoted by %q: a quote inside is escaped):
	// one per URL.
	urlPrefix = regexp.MustCompile(`[A-Z][a-z]* "(?:[^"\\]|\\.)*": `)
	// lookup is a resolver error's host name ("lookup db.example on
	// 127.0.0.53:53"): one per host.
	lookup = regexp.MustCompile(`lookup [^ ]+`)
	// localAddr is a connection's local address in a net.OpError
	// ("read tcp 127.0.0.1:54321->127.0.0.1:8080"): one per connection.
	localAddr = regexp.MustCompile(`[0-9A-Za-z.:\[\]%]+:[0-9]+->`)
)

// withoutNames is err without the request's URL and any host name looked
// up: what says how the attempt failed, not where it went.
func withoutNames(err string) string {
	return lookup.ReplaceAllString(urlPrefix.ReplaceAllString(err, ""), "lookup")
}

// ErrorKind is err with what differs between attempts that fail the same
// way removed: the request's method and URL, a connection's local address.
// It is kept to one line of at most 200 bytes.
func ErrorKind(err string) string {
	k := urlPrefix.ReplaceAllString(err, "")
	k = localAddr.ReplaceAllString(k, "")
	if i := strings.IndexAny(k, "\r\n"); i >= 0 {
		k = k[:i]
	}
	if len(k) > 200 {
		k = k[:200]
	}
	return k
}
