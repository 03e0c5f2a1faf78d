package main

import (
	"fmt"
	"strconv"

	"github.com/aftershock/aftershock/bench/live/record"
)

// attackFailures says, loudly, when most attempts the attack sent failed,
// naming the most common error (one line on stderr): a wrong URL, a
// certificate, a target that resets or stalls look like this, and so does a
// collapse (timeouts). When no attempt succeeded at all the attack measured
// nothing of the service but its failures: the files are written, and the
// error returned says so (exit 1, as a failed --assert 'good>0' would).
func attackFailures(a app, out string, s record.Summary, bd record.Breakdown) error {
	c := s.Counts
	sent := c.Completed - c.Unsent
	failed := sent - c.Good
	if sent == 0 || 2*failed <= sent {
		return nil
	}
	common := "no error recorded"
	for _, e := range bd.Top(2) { // the most common among those sent
		if e.Error != record.UnsentError {
			common = fmt.Sprintf("%d × %s", e.Count, e.Error)
			break
		}
	}
	what := ""
	if c.TimedOut*2 > sent {
		what = " (timeouts: the target did not answer within the attempt's timeout; a collapse looks like this)"
	}
	fmt.Fprintf(a.stderr, "attack: WARNING: %d of %d attempts sent failed (%.0f%%); the most common: %s%s; every kind: loadgen report %s\n",
		failed, sent, 100*float64(failed)/float64(sent), common, what, strconv.Quote(out))
	if c.Good > 0 {
		return nil
	}
	return fmt.Errorf("attack: no attempt succeeded: all %d sent failed, the most common %s", sent, common)
}
