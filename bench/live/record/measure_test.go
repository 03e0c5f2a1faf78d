package record

import (
	"errors"
	"math"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/bench/model"
)

// TestOutcomeOfEdges: the 2xx range is closed at 200 and open at 300, and
// a 2xx with an error (its body cut off) is a failure; any other status is a
// rejection; with no status, the unsent marker is exact, and in a plain
// vegeta file a timeout is an error that says so, in any case.
func TestOutcomeOfEdges(t *testing.T) {
	for _, c := range []struct {
		code  uint16
		err   string
		want  Outcome
		about string
	}{
		{200, "", Good, "the first 2xx"},
		{299, "", Good, "the last 2xx"},
		{199, "", Rejected, "just below 2xx"},
		{300, "", Rejected, "just above 2xx"},
		{429, "", Rejected, "admission"},
		{503, "", Rejected, "outage"},
		{0, UnsentError, Unsent, "never sent"},
		{0, "unsent: late", Failed, "not exactly the marker"},
		{0, "Get: net/http: request canceled (Client.Timeout exceeded)", TimedOut, "a timeout, capitalised"},
		{0, "dial tcp: i/o timeout", TimedOut, "a timeout"},
		{0, "dial tcp: connection refused", Failed, "no answer"},
		{200, "read tcp: connection reset by peer", Failed, "a 2xx whose body was cut off is no answer"},
		{200, "", Good, "a 2xx with its body"},
	} {
		if got := OutcomeOf(&vegeta.Result{Code: c.code, Error: c.err}); got != c.want {
			t.Errorf("%s (code %d, error %q): outcome %d, want %d", c.about, c.code, c.err, got, c.want)
		}
	}
}

// TestCountsAddByKindAndOutcome: a trace of results counted by hand. The
// attack name Retry, and only it, makes a retry.
func TestCountsAddByKindAndOutcome(t *testing.T) {
	var c Counts
	for _, r := range []vegeta.Result{
		{Attack: First, Code: 200},
		{Attack: First, Code: 503},
		{Attack: Retry, Code: 200},
		{Attack: Retry, Code: 0, Error: TimeoutPrefix + "i/o timeout"},
		{Attack: "", Code: 0, Error: "connection reset"}, // a plain vegeta file: a first attempt
		{Attack: Retry, Code: 0, Error: UnsentError},
		{Attack: Retry, Code: 429},
	} {
		c.Add(&r)
	}
	want := Counts{Completed: 7, First: 3, Retries: 4, Good: 2, Rejected: 2, Failed: 1, TimedOut: 1, Unsent: 1}
	if c != want {
		t.Fatalf("counts %+v, want %+v", c, want)
	}
	if !c.valid() {
		t.Errorf("counts %+v do not add up", c)
	}
	var m Counts
	m.Merge(c)
	m.Merge(c)
	if d := (Counts{Completed: 14, First: 6, Retries: 8, Good: 4, Rejected: 4, Failed: 2, TimedOut: 2, Unsent: 2}); m != d {
		t.Errorf("merged twice: %+v, want %+v", m, d)
	}
}

// TestAmplification: completed attempts per first attempt, NaN without one.
func TestAmplification(t *testing.T) {
	s := Summary{Counts: Counts{Completed: 5, First: 4, Retries: 1}}
	if a := s.Amplification(); a != 1.25 {
		t.Errorf("5 attempts for 4 first ones: amplification %v, want 1.25", a)
	}
	if a := (Summary{Counts: Counts{Completed: 3, Retries: 3}}).Amplification(); !math.IsNaN(a) {
		t.Errorf("no first attempt: amplification %v, want NaN", a)
	}
}

// TestInvariantOnlyForAnAttack: a summary is exempt only when both
// scheduled and sent are unknown (a plain vegeta file); one known and one
// not, or both zero with results recorded, breaks an invariant.
func TestInvariantOnlyForAnAttack(t *testing.T) {
	for _, c := range []struct {
		s    Summary
		want string
	}{
		{Summary{Scheduled: 0, Sent: 0, Counts: Counts{Completed: 1, First: 1, Good: 1}}, "one result per scheduled attempt"},
		{Summary{Scheduled: -1, Sent: 0}, "counts >= 0 and add up"},
		{Summary{Scheduled: 0, Sent: -1}, "counts >= 0 and add up"},
	} {
		var v *model.Violation
		if err := c.s.Invariant(); !errors.As(err, &v) || v.Invariant != c.want {
			t.Errorf("scheduled %d, sent %d, %d results: %v, want %q broken", c.s.Scheduled, c.s.Sent, c.s.Counts.Completed, err, c.want)
		}
	}
	if err := (Summary{}).Invariant(); err != nil {
		t.Errorf("an attack that scheduled nothing: %v", err)
	}
}
