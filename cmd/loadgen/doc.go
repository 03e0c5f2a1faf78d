// Command loadgen runs aftershock's scenarios and reports how fast each policy
// brings a collapsed service back.
//
//	loadgen sim [flags]               simulate a scenario under a policy, write CSVs
//	loadgen sweep [flags]             compare many policies (and seeds), write sweep.csv
//	loadgen compare BASE.csv NEW.csv  compare two result files run by run
//	loadgen scenarios [show NAME]     list the presets, or print one as an editable file
//	loadgen policies                  list the policies and their parameters
//
// Run `loadgen help` or `loadgen sim -h` for flags and examples.
//
// Exit status: 0 on success; 2 for bad input (unknown scenario or policy, a
// malformed scenario file, a bad flag, an unwritable --out), with one line on
// stderr naming the problem; 1 when a run fails; 130 when interrupted, after
// writing what was measured to *.partial files.
//
// The command is a thin shell: flags, wiring and output. Everything it runs
// lives in packages with tests.
package main
