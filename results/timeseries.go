package results

import (
	"encoding/csv"
	"io"
	"math"
	"time"
)

// TimeSeriesRow is one row of timeseries.csv: the state at the end of a sample
// interval and the counts over it. Columns, in order:
//
//	t_s            seconds since the scenario's start (end of the interval)
//	clock          the incident's local time, RFC 3339 (empty without a start clock)
//	leased         droplets holding a lease (empty without leases)
//	expired        droplets without a lease (empty without leases)
//	queue          attempts waiting, over all stations
//	attempts       attempts sent in the interval (first tries and retries)
//	rejected       of which refused by admission control or failed fast
//	completed      attempts whose service finished in the interval
//	good           of which answered before their client gave up (goodput; over a network,
//	               counted when the answer arrives)
//	timed_out      attempts their client gave up on in the interval
//	wasted         attempts finished for a client that had given up (or did before the answer arrived)
//	dropped        attempts dropped unworked (restarts)
//	goodput_per_s  good ÷ interval length
//	arrivals       new requests in the interval, retries not included (empty for DWFM)
//	in_service     attempts in service at the end of the interval (empty for DWFM)
//	abandoned      retries abandoned in the interval because the orbit was full (orbit_cap)
//
// A model with measures of its own (the Network Manager's propagation latency,
// the NLB's capacity fraction) appends its columns after these, named in the
// header (NewTimeSeriesWriterExtra) and documented in its package.
type TimeSeriesRow struct {
	T                                                              float64
	Clock                                                          time.Time
	Leased, Expired                                                int // -1: none
	Queue                                                          int
	Attempts, Rejected, Completed, Good, TimedOut, Wasted, Dropped uint64
	GoodputPerS                                                    float64
	Arrivals                                                       int64 // -1: none
	InService                                                      int   // -1: none
	Abandoned                                                      uint64
	Extra                                                          []float64 // the model's extra columns, in header order
}

// TimeSeriesHeader is timeseries.csv's header row.
var TimeSeriesHeader = []string{"t_s", "clock", "leased", "expired", "queue", "attempts", "rejected",
	"completed", "good", "timed_out", "wasted", "dropped", "goodput_per_s", "arrivals", "in_service", "abandoned"}

// TimeSeriesWriter writes timeseries.csv rows.
type TimeSeriesWriter struct {
	w     *csv.Writer
	rec   []string
	extra int // extra columns
}

// NewTimeSeriesWriter writes the header to w and returns the writer.
func NewTimeSeriesWriter(w io.Writer) (*TimeSeriesWriter, error) {
	return NewTimeSeriesWriterExtra(w, nil)
}

// NewTimeSeriesWriterExtra writes the header with a model's extra columns
// after the standard ones; each row's Extra holds as many values.
func NewTimeSeriesWriterExtra(w io.Writer, extra []string) (*TimeSeriesWriter, error) {
	h := append(append([]string(nil), TimeSeriesHeader...), extra...)
	t := &TimeSeriesWriter{w: csv.NewWriter(w), rec: make([]string, len(h)), extra: len(extra)}
	return t, t.w.Write(h)
}

// Write writes one row.
func (t *TimeSeriesWriter) Write(r TimeSeriesRow) error {
	t.rec = append(t.rec[:0], FormatFloat(r.T, 3), FormatClock(r.Clock), fmtInt(r.Leased), fmtInt(r.Expired),
		fmtInt(r.Queue), fmtUint(r.Attempts), fmtUint(r.Rejected), fmtUint(r.Completed), fmtUint(r.Good),
		fmtUint(r.TimedOut), fmtUint(r.Wasted), fmtUint(r.Dropped), FormatFloat(r.GoodputPerS, 3),
		FormatInt64(r.Arrivals), fmtInt(r.InService), fmtUint(r.Abandoned))
	for i := range t.extra {
		v := math.NaN()
		if i < len(r.Extra) {
			v = r.Extra[i]
		}
		t.rec = append(t.rec, FormatFloat(v, 6))
	}
	return t.w.Write(t.rec)
}

// Flush flushes buffered rows and reports any write error.
func (t *TimeSeriesWriter) Flush() error {
	t.w.Flush()
	return t.w.Error()
}
