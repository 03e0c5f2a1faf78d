package record

import (
	"math"
	"strconv"

	"github.com/aftershock/aftershock/results"
)

// Summary is the one row of summary.csv. The caller states what only it
// knows (recovery, completeness, wall time); Close fills in the rest from the
// Options, the ticks and the attempts added. Columns, in order (sim's names
// where the meaning is the same, see package results):
//
//	scenario, policy, seed   what ran
//	droplets                 this attacker's droplets (empty without leases)
//	shard                    "i/n"; empty for a single attacker or a merge of all shards
//	time_scale               model seconds per wall second
//	start                    wall clock of model time 0, RFC 3339 with nanoseconds (shards share it)
//	recovered                whether the recovery condition held by the end (empty: not defined)
//	recovery_s               model seconds from the trigger's end until it held for good (empty if never)
//	trigger_end_s            model seconds from the start to the trigger's end (empty: no trigger)
//	recovered_clock          the incident's local time at recovery, RFC 3339 (empty: none)
//	peak_queue               largest server queue reported at a tick (empty: never reported)
//	amplification            completed ÷ first: attempts per first attempt
//	scheduled                attempts due by the time sending stopped (the last tick's)
//	sent                     of which sent (the last tick's)
//	unsent                   of which never sent: each recorded at the attack's end with
//	                         Error UnsentError (scheduled = sent + unsent; Invariant)
//	completed                results recorded, one per scheduled attempt: first + retries,
//	                         good + rejected + errors + timed_out + unsent
//	first, retries           of which first attempts / retries
//	good, rejected, errors, timed_out   of which 2xx / other status / no answer / timed out
//	mean_ms … max_ms         wall-clock latency from the intended send time, every result,
//	                         unsent ones to the attack's end (mean_ms, p50_ms, p90_ms,
//	                         p99_ms, p999_ms, max_ms)
//	sim_s                    model seconds covered (the last tick's time)
//	kept_up                  whether the attacker kept to its schedule (the caller's rule:
//	                         package attack's Outcome.KeptUp); empty: not recorded (a file
//	                         written before the column)
//	complete                 false if the attack was interrupted before its end, or its
//	                         summary broke an invariant (Invariant)
//	wall_s                   wall-clock seconds the attack took
type Summary struct {
	// Stated by the caller.
	Recovered     bool
	Undefined     bool    // recovery not defined: recovered is written empty
	RecoveryS     float64 // NaN: never
	TriggerEndS   float64 // NaN: no trigger
	KeptUp        bool
	KeptUpUnknown bool // kept_up not recorded (read from an older file): written empty
	Complete      bool
	WallS         float64

	// Filled by Close.
	Scenario, Policy string
	Seed             uint64
	Droplets         int64 // -1: none
	Shard            string
	TimeScale        float64
	Start            string // RFC 3339 with nanoseconds
	RecoveredClock   string // RFC 3339, "" if none
	PeakQueue        int64  // -1: never reported
	Scheduled, Sent  int64
	// Requests is the requests on the wire: one per attempt sent, more when
	// a client library's retry policy (a live part's transport) sent its
	// own; -1 when not recorded (vegeta's files, older summaries). A
	// request whose connection was refused counts (it began to connect, as
	// a sent attempt did): the target's own count is lower by those.
	Requests int64
	Counts   Counts
	Latency  Quantiles
	SimS     float64
}

// Amplification is completed ÷ first attempts, NaN without a first attempt.
func (s Summary) Amplification() float64 {
	if s.Counts.First == 0 {
		return math.NaN()
	}
	return float64(s.Counts.Completed) / float64(s.Counts.First)
}

// SummaryHeader is summary.csv's header row.
var SummaryHeader = []string{"scenario", "policy", "seed", "droplets", "shard", "time_scale", "start",
	"recovered", "recovery_s", "trigger_end_s", "recovered_clock", "peak_queue", "amplification",
	"scheduled", "sent", "unsent", "requests", "completed", "first", "retries", "good", "rejected", "errors", "timed_out",
	"mean_ms", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms", "sim_s", "kept_up", "complete", "wall_s"}

// optionalSummary are the columns of SummaryHeader a summary.csv may lack
// (written before they existed): unsent reads as 0 (such an attack recorded
// no unsent attempt), kept_up as not recorded.
var optionalSummary = map[string]bool{"unsent": true, "requests": true, "kept_up": true}

// IsSummaryHeader reports whether h is the header of an attack's
// summary.csv, this one or an older one (without optional columns), so that
// a reader can tell one from another kind of file.
func IsSummaryHeader(h []string) bool { return sameColumns(h, SummaryHeader, optionalSummary) }

// Record is s as CSV fields, in SummaryHeader's order.
func (s Summary) Record() []string {
	recovered := strconv.FormatBool(s.Recovered)
	if s.Undefined {
		recovered = ""
	}
	keptUp := strconv.FormatBool(s.KeptUp)
	if s.KeptUpUnknown {
		keptUp = ""
	}
	c, l := s.Counts, s.Latency
	return []string{s.Scenario, s.Policy, strconv.FormatUint(s.Seed, 10), results.FormatInt64(s.Droplets), s.Shard,
		results.FormatFloat(s.TimeScale, 3), s.Start, recovered, results.FormatFloat(s.RecoveryS, 3), results.FormatFloat(s.TriggerEndS, 3),
		s.RecoveredClock, results.FormatInt64(s.PeakQueue), results.FormatFloat(s.Amplification(), 4),
		results.FormatInt64(s.Scheduled), results.FormatInt64(s.Sent), results.FormatInt64(c.Unsent), results.FormatInt64(s.Requests), results.FormatInt64(c.Completed), results.FormatInt64(c.First), results.FormatInt64(c.Retries),
		results.FormatInt64(c.Good), results.FormatInt64(c.Rejected), results.FormatInt64(c.Failed), results.FormatInt64(c.TimedOut),
		results.FormatFloat(l.Mean, 3), results.FormatFloat(l.P50, 3), results.FormatFloat(l.P90, 3), results.FormatFloat(l.P99, 3), results.FormatFloat(l.P999, 3),
		results.FormatFloat(l.Max, 3), results.FormatFloat(s.SimS, 3), keptUp, strconv.FormatBool(s.Complete), results.FormatFloat(s.WallS, 3)}
}
