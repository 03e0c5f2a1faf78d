package record

import "github.com/aftershock/aftershock/results"

// Row is one row of timeseries.csv: the attacker's state at the end of an
// interval of model time and the attempts finished in it. An attack writes
// a row at every multiple of its interval while it sends and while its last
// attempts finish, then its last row at its end (to the millisecond), whose
// span is what is left of an interval. Columns, in order (sim's names where
// the meaning is the same, see package results):
//
//	t_s            model seconds since the start (end of the interval; the last row's: the attack's end)
//	clock          the incident's local time, RFC 3339 (empty without an incident clock)
//	leased         this attacker's droplets holding a lease (empty without droplets or when unknown)
//	expired        its droplets without one
//	queue          the server's queue as its last answer reported it (empty: unknown)
//	scheduled      attempts due in the interval (first attempts and retries; with
//	               a client-side control, those it let through)
//	attempts       attempts sent in the interval
//	lag            attempts due by the end but not yet sent: above 0 the generator is behind
//	in_flight      attempts sent and not yet finished at the end
//	completed      results recorded in the interval (added since the previous row): attempts
//	               finished, and in the last row the attempts never sent
//	good           of which answered 2xx
//	rejected       of which answered with another status (429 admission, 503 outage, …)
//	errors         of which failed without an answer (not a timeout)
//	timed_out      of which timed out
//	unsent         of which were never sent (recorded at the attack's end)
//	retries        of which were retries
//	goodput_per_s  good ÷ the row's model seconds (since the previous row: the last row's span is partial)
//	p50_ms, p99_ms, p999_ms   wall-clock latency of the completed attempts (empty: none)
type Row struct {
	T                        float64
	Clock                    string
	Leased, Expired, Queue   int64 // -1: none
	Scheduled, Attempts, Lag int64
	InFlight                 int64
	Counts                   Counts
	GoodputPerS              float64
	P50Ms, P99Ms, P999Ms     float64 // NaN: none
}

// TimeSeriesHeader is timeseries.csv's header row.
var TimeSeriesHeader = []string{"t_s", "clock", "leased", "expired", "queue", "scheduled", "attempts",
	"lag", "in_flight", "completed", "good", "rejected", "errors", "timed_out", "unsent", "retries",
	"goodput_per_s", "p50_ms", "p99_ms", "p999_ms"}

// Record is r as CSV fields, in TimeSeriesHeader's order.
func (r Row) Record() []string {
	c := r.Counts
	return []string{results.FormatFloat(r.T, 3), r.Clock, results.FormatInt64(r.Leased), results.FormatInt64(r.Expired), results.FormatInt64(r.Queue),
		results.FormatInt64(r.Scheduled), results.FormatInt64(r.Attempts), results.FormatInt64(r.Lag), results.FormatInt64(r.InFlight),
		results.FormatInt64(c.Completed), results.FormatInt64(c.Good), results.FormatInt64(c.Rejected), results.FormatInt64(c.Failed), results.FormatInt64(c.TimedOut),
		results.FormatInt64(c.Unsent), results.FormatInt64(c.Retries), results.FormatFloat(r.GoodputPerS, 3), results.FormatFloat(r.P50Ms, 3), results.FormatFloat(r.P99Ms, 3),
		results.FormatFloat(r.P999Ms, 3)}
}
