// Command loadgen runs aftershock's scenarios and reports how fast each policy
// brings a collapsed service back.
//
// # Commands
//
//	loadgen sim [flags]               simulate a scenario under a policy, write CSVs
//	loadgen sweep [flags]             compare many policies (and seeds), write sweep.csv
//	loadgen compare FILE...           rank policies over result files, against --baseline;
//	                                  two files of the same runs: run by run
//	loadgen plot INPUT... --out FILE  draw runs or a sweep as a PNG or SVG
//	loadgen report DIR|FILE...        merge live attacks' outputs and vegeta result files; print a report
//	loadgen merge FILE... [--out F]   merge a sharded sweep's files (sweep --shard I/N) into one
//	loadgen boundary [flags]          bisect a scenario key for where runs stop recovering
//	loadgen predict [flags]           predict recovery with the fluid model (no simulation)
//	loadgen serve [flags]             serve a DWFM scenario over HTTP on loopback, in compressed wall time
//	loadgen attack [flags]            replay the surge against serve (in-process by default) or --target
//	loadgen rank-live [flags]         rank policies live on loopback, one run at a time, into a file compare ranks
//	loadgen scenarios [show NAME]     list the presets, or print one as an editable file
//	loadgen policies                  list the policies and their parameters
//	loadgen help [COMMAND]            the overview, or a command's flags and examples
//	loadgen version                   the version (also --version)
//
// Run `loadgen help` or `loadgen help sim` for flags and examples, `loadgen
// --version` for the version.
//
// # Exit status
//
// Decided in one place (app.run): 0 on success; 1 when a run fails (a
// write error stops it at once), compare finds a regression, an attack has
// no attempt succeed, or an --assert fails (one line each); 2 for bad input
// (a bad flag or argument, an unknown scenario or policy, a malformed
// scenario or result file, an unwritable --out), with one line on stderr
// naming the problem; 130 when interrupted by SIGINT or SIGTERM, after
// keeping what was measured in *.partial files (a second signal exits at
// once). Result files are atomic: an earlier complete file is replaced only
// when a run completes. Status lines go to stderr, data to stdout or files.
//
// # Layout
//
// The command is a thin shell: flags, wiring and output. Each command X
// parses its flags in parseX (every error about them bad input, before any
// work) and runs in runX; everything it runs lives in packages with tests.
// internal/cli holds the command-line glue.
package main
