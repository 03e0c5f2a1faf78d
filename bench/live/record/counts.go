package record

import (
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Outcome is how one attempt ended.
type Outcome int

// Outcomes of an attempt.
const (
	Good     Outcome = iota // a 2xx answer, received whole
	Rejected                // any other HTTP status (429 admission, 503 outage, a 3xx not followed, …)
	Failed                  // no answer: a transport error other than a timeout, or an answer cut off
	TimedOut                // Code 0 with a timeout error (IsTimeout)
	Unsent                  // never sent: Code 0 with Error exactly UnsentError
)

// UnsentError is the Error of the result of an attempt that was scheduled
// and never sent (the attacker fell behind, or stopped first). vegeta
// counts it as an error like any other.
const UnsentError = "unsent"

// TimeoutPrefix starts the Error of every attempt this suite's attacker
// gave up on at its timeout (Code 0): the attacker classifies the error
// before it becomes text, and marks it so.
const TimeoutPrefix = "timeout: "

// OutcomeOf classifies r as the attacker reports it: an attempt never sent
// is Code 0 with Error UnsentError, a timeout Code 0 with a timeout error
// (IsTimeout). A result with a 2xx code and an error is Failed, not Good:
// its answer was cut off (vegeta records such an attempt as Code 0; an
// attacker before this rule recorded the status line's code).
func OutcomeOf(r *vegeta.Result) Outcome {
	switch {
	case r.Code >= 200 && r.Code < 300 && r.Error == "":
		return Good
	case r.Code >= 200 && r.Code < 300:
		return Failed
	case r.Code != 0:
		return Rejected
	case r.Error == UnsentError:
		return Unsent
	case IsTimeout(r):
		return TimedOut
	default:
		return Failed
	}
}

// IsTimeout reports whether r's error is a timeout. This suite's attacker
// (attack names First and Retry) marks each with TimeoutPrefix, and no
// other error of its starts so. Another tool's result (a plain vegeta
// file, which keeps only the error's text) is a timeout when its error,
// with the request's URL and any host name looked up taken out, says
// "timeout" ("Client.Timeout exceeded", "i/o timeout"): a URL or a host
// that contains the word is not a timeout.
func IsTimeout(r *vegeta.Result) bool {
	if strings.HasPrefix(r.Error, TimeoutPrefix) {
		return true
	}
	if r.Attack == First || r.Attack == Retry {
		return false
	}
	return strings.Contains(strings.ToLower(withoutNames(r.Error)), "timeout")
}

// Counts are the results recorded over some span, by kind and outcome: the
// attempts that finished, and those never sent.
type Counts struct {
	Completed        int64 // results recorded (First + Retries; Good + Rejected + Failed + TimedOut + Unsent)
	First, Retries   int64 // by attack name: Retry counts as a retry, any other name as a first attempt
	Good, Rejected   int64
	Failed, TimedOut int64
	Unsent           int64
}

// Add counts r.
func (c *Counts) Add(r *vegeta.Result) {
	c.Completed++
	if r.Attack == Retry {
		c.Retries++
	} else {
		c.First++
	}
	switch OutcomeOf(r) {
	case Good:
		c.Good++
	case Rejected:
		c.Rejected++
	case Failed:
		c.Failed++
	case Unsent:
		c.Unsent++
	default:
		c.TimedOut++
	}
}

// Merge adds o's counts to c.
func (c *Counts) Merge(o Counts) {
	c.Completed += o.Completed
	c.First += o.First
	c.Retries += o.Retries
	c.Good += o.Good
	c.Rejected += o.Rejected
	c.Failed += o.Failed
	c.TimedOut += o.TimedOut
	c.Unsent += o.Unsent
}

// valid reports whether the counts add up.
func (c Counts) valid() bool {
	return c.Completed >= 0 && c.First >= 0 && c.Retries >= 0 && c.Good >= 0 && c.Rejected >= 0 &&
		c.Failed >= 0 && c.TimedOut >= 0 && c.Unsent >= 0 && c.First+c.Retries == c.Completed &&
		c.Good+c.Rejected+c.Failed+c.TimedOut+c.Unsent == c.Completed
}
