// Package results defines aftershock's result files and writes them.
//
// Two CSV schemas, each documented on its row type:
//   - timeseries.csv (TimeSeriesRow): one row per sample interval;
//   - summary.csv (Summary): one row per run.
//
// Numbers are formatted deterministically (fixed decimals, no exponent), so the
// same run gives the same bytes. A value that does not exist (lease columns of
// a model without leases, a recovery that never happened) is an empty field,
// never a zero. The one column that depends on the machine rather than the
// model is summary.csv's wall_s.
//
// File is how they reach disk: rows go to NAME.partial and only a completed
// run renames it to NAME, so an interrupted or failed run never leaves a
// complete-looking file, and keeps what it measured under .partial.
//
// Writers belong to one goroutine.
package results
