// Package cli is loadgen's command-line glue, kept out of package main so it
// can be tested: exit statuses and one-line errors, flag sets that print
// nothing themselves, integer flags that accept 1e6, the --shard flag (its
// index also from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID), the version string,
// signal handling (a second Ctrl-C exits at once) and a progress line for
// terminals.
//
// Vocabulary: a usage error is bad input (exit 2); help is a request for a
// command's help text (exit 0, on stdout); an interrupt is a signal that
// stopped a run (exit 130).
//
// Non-goals: running anything. Commands live in package main and the packages
// it calls.
//
// Concurrency: a Progress belongs to one goroutine at a time (callers that
// update it from several goroutines hold a lock); everything else is safe for
// concurrent use.
package cli
