package record

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/aftershock/aftershock/results"
)

// Attack names of vegeta Results: first attempts and retries.
const First, Retry = "first", "retry"

// Names of the files in an attack's directory.
const (
	ResultsFile    = "results.bin"
	TimeSeriesFile = "timeseries.csv"
	SummaryFile    = "summary.csv"
	LatencyFile    = "latency.hlog"
)

// Options describe one attack's output directory.
type Options struct {
	Dir              string // output directory (created); files are written as *.partial and renamed on Close
	Scenario, Policy string
	Seed             uint64
	Droplets         int           // this attacker's droplets (its shard's), -1 when there are none
	Start            time.Time     // wall clock of model time 0 (the attack's start; shards share it)
	Incident         time.Time     // the scenario's incident clock at model time 0, for clock columns; zero: none
	TimeScale        float64       // model seconds per wall second (e.g. 60)
	Interval         time.Duration // model time per timeseries row
	Shard            string        // "i/n" or ""

	// Wrap, when not nil, passes every write to the file named name
	// through the writer it returns: how a test emulates a full disk.
	Wrap func(name string, w io.Writer) io.Writer
}

// Validate reports the first option that cannot describe an attack.
func (o Options) Validate() error {
	switch {
	case o.Dir == "":
		return fmt.Errorf("record: no output directory")
	case o.Start.IsZero():
		return fmt.Errorf("record: no start time")
	case !(o.TimeScale > 0) || math.IsInf(o.TimeScale, 0):
		return fmt.Errorf("record: time scale %v not positive", o.TimeScale)
	case o.Interval <= 0:
		return fmt.Errorf("record: interval %v not positive", o.Interval)
	case o.Droplets < -1:
		return fmt.Errorf("record: droplets %d below -1", o.Droplets)
	}
	if o.Shard != "" {
		if _, _, err := ParseShard(o.Shard); err != nil {
			return err
		}
	}
	return nil
}

// ParseShard reads "i/n" (0 ≤ i < n) as results.Shard writes it: the
// numbers as results.ParseShard reads them, the text in that one form.
func ParseShard(s string) (i, n int, err error) {
	sh, err := results.ParseShard(s)
	var bad *results.ShardError
	switch {
	case errors.As(err, &bad) && bad.Whole && fmt.Sprintf("%d/%d", bad.I, bad.N) == s:
		return 0, 0, fmt.Errorf("record: shard %d/%d out of range 0..%d", bad.I, bad.N, bad.N-1)
	case err != nil || s == "" || sh.String() != s:
		return 0, 0, fmt.Errorf("record: shard %q is not i/n", s)
	}
	return sh.I, sh.N, nil
}

// Tick is the attacker's view at the end of one interval (model time).
type Tick struct {
	At              time.Duration // model time since Start
	Scheduled, Sent int64         // cumulative attempts due by At / actually sent by At
	Leased          float64       // fraction of this attacker's droplets holding a lease at At; NaN: unknown
	InFlight        int64
	Queued          int64 // server queue from its last response header, -1 unknown
}
