// Package results defines aftershock's result files and writes them.
//
// # Files
//
// CSV schemas, each documented on its row type:
//   - timeseries.csv (TimeSeriesRow): one row per sample interval;
//   - summary.csv (Summary): one row per run;
//   - sweep.csv (SweepHeader): summary.csv's columns with vary after policy,
//     one row per run of a sweep.
//
// A model may add columns of its own to both, after the standard ones
// (Summary.Columns and Values: the cascade's milestone clocks and stage
// measures; Header and SweepHeaderOf name them); every row of a file has
// the same, and the readers keep them, as text, by name.
//
// # Ranking
//
// Rank is what `loadgen compare` prints: runs of any number of files grouped
// by point (scenario, vary values, droplets) and policy, one RankedRow each,
// with recovery time's mean and 95% interval (Student t, exact quantile:
// T95) and median (never recovered counts as +Inf), and with a baseline
// policy the Change against it. Groups is the same rows in the order they
// first appear, for `loadgen sweep`'s table (WriteText, WriteMarkdown).
// WriteRanking writes a Ranking as text, Markdown, CSV (RankingHeader) or
// JSON. Package verdict (results/verdict) holds assertions over summary
// columns for CI and Go tests.
//
// One rule ranks both, by recovery, and decides every tie and every
// --baseline change (Versus, rule.go):
//   - order: the largest share of runs recovered first (an undetermined run
//     did not), then the least mean recovery_s of those that recovered; so
//     a policy with fewer runs recovered of the same seeds never ranks above
//     one with more, whatever a test says. The share, not the count the
//     issue asked for: a row missing from a file (4/4 against 5/5) demoted
//     the best policy below slower ones. Ratios are shown, not ranked by: for
//     a seed the ideal is the same for every policy, so recovery times
//     order the ratios too, and a run with no ideal (0: nothing to recover)
//     has no ratio but still ranks.
//   - "k=" (TiedWith): the test cannot tell this row from the row ranked k,
//     the best-ranked such; ties do not chain. Significance is 5%
//     two-sided.
//   - paired, when two rows ran two or more seeds in common: a seed fixes
//     every droplet's phase, lease and work for every policy (common random
//     numbers), so runs of one seed are compared with each other. Seeds
//     that recovered alike on both sides: the paired t interval on the
//     per-seed differences of recovery_s (PairedT; all-zero differences are
//     a tie, any other constant difference is significant). Some seed that
//     recovered on one side only: the exact sign test on which recovered
//     first (SignTest; never is last) — McNemar's exact test when only
//     recovered-or-not differs, extended to the seeds both recovered so that
//     the concordant seeds' times count. The issue asked for McNemar alone;
//     it let a policy that recovered on 6 seeds of 8, 10 times slower, tie
//     with the best (2 discordant seeds, p 0.5). Either needs 6 seeds to
//     tell never from always: 5 all one way give p 0.0625.
//   - unpaired otherwise (seeds differ, or share one): Welch's t on
//     recovery_s when every run recovered, else Fisher's exact test on runs
//     recovered (FisherExact).
//   - no test when fewer than two seeds are in common and a side has one
//     run: no mark, the order alone.
//
// Every measure is read as summary.csv writes it (recovery_s to the
// millisecond), so a sweep's table and `loadgen compare` on the file it
// wrote agree to the mark.
//
// # Formatting
//
// Numbers are formatted deterministically (fixed decimals, no exponent), so the
// same run gives the same bytes. A value that does not exist (lease columns of
// a model without leases, a recovery that never happened) is an empty field,
// never a zero. The one column that depends on the machine rather than the
// model is summary.csv's wall_s. Table writes rows as aligned text or
// Markdown: the module's one table writer (sweep's table, compare's, and
// loadgen's listings).
//
// # Writing and reading
//
// File is how they reach disk: rows go to NAME.partial, flushed as the run
// goes, and only a completed run renames it over NAME, so an interrupted or
// failed run never leaves a complete-looking file, leaves the previous
// complete NAME as it was, and keeps what it measured under .partial. A
// File keeps its first write error, so a full disk stops a run at once.
//
// ReadSummaries reads summary.csv and sweep.csv back, strictly (one row per
// run, no impossible value) and within limits (limit.go), so that a wrong
// file fails at once with one line instead of filling memory.
// ReadTimeSeries reads timeseries.csv back, as strictly and within the same
// limits (rows in increasing time); results/figure draws what they read.
//
// # Concurrency
//
// Writers belong to one goroutine.
package results
