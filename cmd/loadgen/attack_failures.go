package main

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/aftershock/aftershock/bench/live/record"
)

// attackFailures judges an attack's results before its files are closed:
// when most attempts it sent failed, warn is the loud line that says so,
// naming the most common failure (a wrong URL, a certificate, a target that
// resets, stalls or redirects look like this, and so does a collapse:
// timeouts); when no attempt succeeded at all, failed is the error that
// says so (exit 1, as a failed --assert 'good>0' would): the attack
// measured nothing of the service but its failures, and its files are kept
// as .partial, so that an earlier complete attack in --out stays.
//
// noConn is how many attempts sent never got a connection: timeouts in the
// attacker's own pool, not the target's doing, and said so.
func attackFailures(out string, c record.Counts, bd record.Breakdown, noConn int64) (warn string, failed error) {
	sent := c.Completed - c.Unsent
	bad := sent - c.Good
	if sent == 0 || 2*bad <= sent {
		return "", nil
	}
	common := mostCommonFailure(bd)
	what := ""
	switch {
	case c.TimedOut*2 > sent && noConn*2 > c.TimedOut:
		what = fmt.Sprintf(" (timeouts, %d of them before they got a connection: the attacker's own pool, not the target; see kept up)", noConn)
	case c.TimedOut*2 > sent:
		what = " (timeouts: the target did not answer within the attempt's timeout; a collapse looks like this)"
	}
	warn = fmt.Sprintf("attack: WARNING: %d of %d attempts sent failed (%.0f%%); the most common: %s%s; every kind: loadgen report %s",
		bad, sent, 100*float64(bad)/float64(sent), common, what, strconv.Quote(out))
	if c.Good > 0 {
		return warn, nil
	}
	return warn, fmt.Errorf("attack: no attempt succeeded: all %d sent failed, the most common %s", sent, common)
}

// mostCommonFailure names the most common way the attempts sent failed,
// counted: an error's kind ("404 Not Found", "connection reset by peer",
// a timeout), or a status that comes without an error, as a redirect not
// followed does (vegeta records none for a 3xx, and counts it a success;
// for a droplet it is no lease): "2511 × 307 Temporary Redirect (a 3xx is
// not a lease: ...)".
func mostCommonFailure(bd record.Breakdown) string {
	best, n := "no error recorded", int64(0)
	for _, e := range bd.Top(2) { // the most common among those sent
		if e.Error != record.UnsentError {
			best, n = fmt.Sprintf("%d × %s", e.Count, e.Error), e.Count
			break
		}
	}
	for code := 300; code < 400; code++ {
		if k := bd.Codes[uint16(code)]; k > n {
			best, n = fmt.Sprintf("%d × %d %s (a 3xx is not a lease: the attack follows --redirects, and -1 follows none; vegeta counts a 3xx a success)",
				k, code, http.StatusText(code)), k
		}
	}
	return best
}
