package record

import (
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Outcome is how one attempt ended.
type Outcome int

// Outcomes of an attempt.
const (
	Good     Outcome = iota // a 2xx answer
	Rejected                // any other HTTP status (429 admission, 503 outage, …)
	Failed                  // no answer: a transport error other than a timeout
	TimedOut                // Code 0 with an error containing "timeout"
)

// OutcomeOf classifies r as the attacker reports it: a timeout is Code 0
// with an Error containing "timeout" (vegeta keeps only the error's text).
func OutcomeOf(r *vegeta.Result) Outcome {
	switch {
	case r.Code >= 200 && r.Code < 300:
		return Good
	case r.Code != 0:
		return Rejected
	case strings.Contains(strings.ToLower(r.Error), "timeout"):
		return TimedOut
	default:
		return Failed
	}
}

// Counts are the attempts finished over some span, by kind and outcome.
type Counts struct {
	Completed        int64 // attempts finished (First + Retries)
	First, Retries   int64 // by attack name: Retry counts as a retry, any other name as a first attempt
	Good, Rejected   int64
	Failed, TimedOut int64
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
}

// valid reports whether the counts add up.
func (c Counts) valid() bool {
	return c.Completed >= 0 && c.First >= 0 && c.Retries >= 0 && c.Good >= 0 && c.Rejected >= 0 &&
		c.Failed >= 0 && c.TimedOut >= 0 && c.First+c.Retries == c.Completed &&
		c.Good+c.Rejected+c.Failed+c.TimedOut == c.Completed
}
