package record_test

import (
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/bench/live/record"
)

// TestOutcomeOf: a timeout is told by the attacker's marker, or, in
// another tool's file, by the error with its URL and host names taken out;
// a 2xx with an error (an answer cut off) is no lease.
func TestOutcomeOf(t *testing.T) {
	for _, c := range []struct {
		r    vegeta.Result
		want record.Outcome
	}{
		{vegeta.Result{Attack: record.First, Code: 200}, record.Good},
		{vegeta.Result{Attack: record.First, Code: 200, Error: `Post "http://127.0.0.1:1/v1/lease?droplet=3": read tcp 127.0.0.1:2->127.0.0.1:1: read: connection reset by peer`}, record.Failed},
		{vegeta.Result{Attack: record.Retry, Code: 307}, record.Rejected},
		{vegeta.Result{Attack: record.First, Code: 429, Error: "429 Too Many Requests"}, record.Rejected},
		{vegeta.Result{Attack: record.First, Error: record.UnsentError}, record.Unsent},
		{vegeta.Result{Attack: record.First, Error: record.TimeoutPrefix + `Post "http://127.0.0.1:1/v1/lease": context deadline exceeded`}, record.TimedOut},
		// The attacker's own errors: only its marker says timeout.
		{vegeta.Result{Attack: record.First, Error: `Post "http://127.0.0.1:1/timeout/v1/lease?droplet=3": EOF`}, record.Failed},
		{vegeta.Result{Attack: record.Retry, Error: `Post "http://timeout.localhost:1/": dial tcp: lookup timeout.localhost: no such host`}, record.Failed},
		// Another tool's file: the error without its URL and host names.
		{vegeta.Result{Error: `Post "http://127.0.0.1:1/timeout": read: connection reset by peer`}, record.Failed},
		{vegeta.Result{Error: `Post "http://h/\"timeout\"": EOF`}, record.Failed},
		{vegeta.Result{Error: `Get "http://a/": dial tcp: lookup timeout.example on 127.0.0.53:53: no such host`}, record.Failed},
		{vegeta.Result{Error: `Get "http://127.0.0.1:1/timeout": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`}, record.TimedOut},
		{vegeta.Result{Error: `Get "http://127.0.0.1:1/": dial tcp 127.0.0.1:1: i/o timeout`}, record.TimedOut},
	} {
		if got := record.OutcomeOf(&c.r); got != c.want {
			t.Errorf("code %d, attack %q, error %q: outcome %d, want %d", c.r.Code, c.r.Attack, c.r.Error, got, c.want)
		}
	}
}
