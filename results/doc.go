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
