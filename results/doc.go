// Package results defines aftershock's result files and writes them.
//
// CSV schemas, each documented on its row type:
//   - timeseries.csv (TimeSeriesRow): one row per sample interval;
//   - summary.csv (Summary): one row per run;
//   - sweep.csv (SweepHeader): summary.csv's columns with vary after policy,
//     one row per run of a sweep.
//
// Groups summarises a sweep's runs per policy (and vary values) over seeds:
// runs recovered k/n, the mean ratio to ideal with a 95% confidence interval
// (Student t, MeanCI), a rank, and ties (intervals overlapping the best
// one's); WriteText and WriteMarkdown print them.
//
// Rank is what `loadgen compare` prints: runs of any number of files grouped
// by point (scenario, vary values, droplets) and policy, ranked (most runs
// recovered, then least mean recovery time), with recovery time's mean and
// 95% interval and median (never recovered counts as +Inf), and the change
// against a baseline policy: Welch's t interval on the difference of mean
// recovery times when every run recovered (Welch), Fisher's exact test on
// runs recovered otherwise (FisherExact); a difference that is not
// significant at 95% is a tie. WriteRanking writes it as text, Markdown, CSV
// (RankingHeader) or JSON. Package verdict (results/verdict) holds
// assertions over summary columns for CI and Go tests.
//
// Numbers are formatted deterministically (fixed decimals, no exponent), so the
// same run gives the same bytes. A value that does not exist (lease columns of
// a model without leases, a recovery that never happened) is an empty field,
// never a zero. The one column that depends on the machine rather than the
// model is summary.csv's wall_s.
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
// Writers belong to one goroutine.
package results
