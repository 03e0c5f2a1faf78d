package main

import (
	"flag"
)

// wallFlag is sim's and sweep's --wall. wall_s is the one column of
// summary.csv and sweep.csv that measures the machine rather than the model;
// --wall=false leaves it empty, so the same inputs write byte-identical files
// and a sharded sweep merges byte for byte into the single machine's file.
func wallFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("wall", true, "write each run's wall-clock seconds in wall_s; --wall=false leaves it empty, so the same inputs give byte-identical files")
}
