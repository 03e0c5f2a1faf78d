// Package record writes what a live attack measured and reads it back.
//
// An attack (cmd/loadgen attack) sends real HTTP requests on a schedule of
// model time compressed by a time scale. Each attempt it schedules becomes
// one vegeta Result (github.com/tsenart/vegeta) with Timestamp the INTENDED
// send time and Latency the end minus that intended time, so a generator
// that falls behind shows up as latency instead of silently sending less (no
// coordinated omission); an attempt it never sent is recorded at the
// attack's end as an error (UnsentError) with its latency up to then, so it
// is in the counts and the percentiles too. A Writer turns that stream into
// four files in one directory:
//
//   - results.bin: every attempt, gob-encoded by vegeta's own encoder, so
//     `vegeta report`, `vegeta plot` and vegeta's decoder read it; attack
//     names First and Retry tell first attempts from retries;
//   - latency.hlog: an HdrHistogram interval log (format 1.3,
//     https://github.com/HdrHistogram/HdrHistogram), one histogram of
//     latencies in nanoseconds per timeseries row;
//   - timeseries.csv: one row per interval of model time (TimeSeriesHeader),
//     the last ending at the attack's end (Row);
//   - summary.csv: one row per attack (SummaryHeader).
//
// Column names are those of the simulator's results (package results) where
// the meaning is the same; latencies are wall-clock milliseconds (p50_ms,
// p99_ms, p999_ms), the real service's, not model time.
//
// Vocabulary: an attempt is one HTTP request; it ends good (a 2xx answer
// received whole), rejected (any other status: 429 admission, 503 outage, a
// 3xx not followed), failed (no answer, or one cut off; the errors column),
// timed out (Code 0 with the attacker's TimeoutPrefix; in another tool's
// file, an error that says "timeout" once its URL is taken out) or, never
// sent, unsent (Code 0, Error UnsentError): OutcomeOf. Scheduled
// attempts are those due by a time, sent those actually sent: a generator
// that cannot keep up has sent fewer than scheduled, and at the end of an
// attack every scheduled attempt was sent or is unsent (Summary.Invariant).
// A shard is one of n attackers sharing a start time.
//
// Files are written as NAME.partial and renamed only by Close, so an
// aborted or failed attack never leaves a complete-looking file; the first
// write error is returned at once and by every later call.
//
// Open (ReadDir, ReadResults) and Merge bring attack directories and plain
// vegeta result files back for `loadgen report`: latency histograms are
// merged (exactly, bucket by bucket), never percentiles averaged. Readers
// check what they read (headers, counts that add up, as many histograms as
// rows) and stop a wrong file at MaxLineBytes or MaxRows; files written
// before the unsent and kept_up columns still read (unsent 0, kept_up not
// recorded).
//
// Non-goals: sending requests, pacing, retry policy (the attacker's), and
// judging recovery (the caller states it in Summary).
//
// Concurrency: a Writer belongs to one goroutine; the attacker funnels
// finished attempts to it.
package record
