package record

import (
	"errors"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Writer writes one attack's directory. It belongs to one goroutine.
type Writer struct {
	o   Options
	err error // first error; every later call returns it
}

// Create validates o, creates o.Dir and starts every file as NAME.partial.
func Create(o Options) (*Writer, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return &Writer{o: o}, errors.New("record: not implemented yet")
}

// Add records one finished attempt: r.Timestamp = the INTENDED send time,
// r.Latency = end − intended, r.Attack = First or Retry, a timeout as Code 0
// with Error containing "timeout". Not concurrent: one goroutine feeds it.
// Add keeps no reference to r.
func (w *Writer) Add(r *vegeta.Result) error { return w.err }

// Tick writes one timeseries row for the interval ending at t.At and one
// interval histogram; p50/p99/p999 are those of the attempts added since the
// previous Tick (finished in that interval).
func (w *Writer) Tick(t Tick) error { return w.err }

// Close writes summary.csv from s (see Summary for what it fills in), flushes
// every file and renames each NAME.partial to NAME. After an error nothing is
// renamed and the error is returned.
func (w *Writer) Close(s Summary) error { return w.err }

// Abort flushes and closes every file under its .partial name: never a
// complete-looking file.
func (w *Writer) Abort() error { return w.err }
