package record

// Summary is the one row of summary.csv. The caller states what only it
// knows (recovery, completeness, wall time); Close fills in the rest from the
// Options, the last Tick and the attempts added. Columns, in order (sim's
// names where the meaning is the same, see package results):
//
//	scenario, policy, seed   what ran
//	droplets                 this attacker's droplets (empty without leases)
//	shard                    "i/n", empty for a single attacker
//	time_scale               model seconds per wall second
//	recovered                whether the recovery condition held by the end (empty: not defined)
//	recovery_s               model seconds from the trigger's end until it held for good (empty if never)
//	trigger_end_s            model seconds from the start to the trigger's end (empty: none)
//	recovered_clock          the incident's local time at recovery, RFC 3339
//	peak_queue               largest server queue reported at a tick (empty: never reported)
//	amplification            attempts ÷ first attempts
//	scheduled, sent          attempts due by the end / actually sent (the last tick's)
//	attempts                 attempts finished and recorded (first + retries)
//	first, retries           of which first attempts / retries
//	ok, refused, failed, timed_out   of which 2xx / 429 / other status or error / timed out
//	mean_ms … max_ms         wall-clock latency from the intended send time, all attempts
//	sim_s                    model seconds covered (the last tick's time)
//	complete                 false if the attack was interrupted before its end
//	wall_s                   wall-clock seconds the attack took
type Summary struct {
	// Stated by the caller.
	Recovered   bool
	Undefined   bool    // recovery not defined: recovered is written empty
	RecoveryS   float64 // NaN: never
	TriggerEndS float64 // NaN: no trigger
	Complete    bool
	WallS       float64

	// Filled by Close.
	Scenario, Policy                    string
	Seed                                uint64
	Droplets                            int // -1: none
	Shard                               string
	TimeScale                           float64
	RecoveredClockS                     string // RFC 3339, "" if none
	PeakQueue                           int64  // -1: never reported
	Scheduled, Sent                     int64
	Attempts, First, Retries            int64
	OK, Refused, Failed, TimedOut       int64
	MeanMs, P50Ms, P99Ms, P999Ms, MaxMs float64 // NaN: no attempt
	SimS                                float64
}

// SummaryHeader is summary.csv's header row.
var SummaryHeader = []string{"scenario", "policy", "seed", "droplets", "shard", "time_scale",
	"recovered", "recovery_s", "trigger_end_s", "recovered_clock", "peak_queue", "amplification",
	"scheduled", "sent", "attempts", "first", "retries", "ok", "refused", "failed", "timed_out",
	"mean_ms", "p50_ms", "p99_ms", "p999_ms", "max_ms", "sim_s", "complete", "wall_s"}
