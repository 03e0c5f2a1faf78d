// Package verdict checks result rows against assertions, so that a run can
// pass or fail a CI job: `loadgen sim --assert recovery_s<7200` on the
// command line, or Check and Require from a Go test.
//
// Vocabulary. An Assertion is one expression over a column of summary.csv
// (results.SummaryHeader; sweep.csv's vary too):
//
//	recovered                 a bool column, bare: it must be true
//	!recovered                negated: it must be false
//	recovery_s<7200           a number column, an operator and a value
//	recovery_s<2h             a *_s column also takes a Go duration (2h, 90s)
//	recovery_ratio<=1.2       operators < <= > >= == !=
//	policy!=none              a text column takes == and != only
//	recovered_clock<2025-10-20T06:00:00-07:00
//	                          a *_clock column holds an RFC 3339 instant:
//	                          every operator, by when it is (not by text)
//
// Each is judged on the value as summary.csv writes it (the same rounding),
// so a row read back from a file and the row a run produced give the same
// verdict. An empty value (a recovery that never happened, a model without
// droplets, a recovery not defined) fails every assertion over its column:
// "recovery_s<7200" fails for a run that never recovered, and so does
// "recovered" for a run without a trigger.
//
// Over several rows (a sweep) an assertion fails when any row fails it; its
// error names how many rows failed and the first one.
//
// Other rows: a Table names another row's columns and what each holds (a
// live attack's summary.csv: p99_ms<100, unsent==0, kept_up); Table.Parse
// reads an expression over them and HoldsRecord judges a row's CSV fields.
// A *_ms column takes a duration too (p99_ms<250ms). Table.With adds a
// model's own summary columns to a table (the cascade's: conn_error_share,
// event_end_clock, ...): Holds judges a row with them by its SweepRecord,
// so an assertion is parsed over the table of the rows it judges.
//
// Non-goals: no boolean combinations (give several assertions: all must
// hold), no arithmetic between columns, no statistics over rows (see
// results.Rank for those).
//
// Concurrency: an Assertion is immutable once parsed and may be used from
// any goroutine.
package verdict
