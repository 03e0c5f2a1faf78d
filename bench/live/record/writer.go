package record

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/results"
)

// files are the names of an attack's files in the order Close renames them:
// summary.csv last, so that its presence means the others are complete.
var files = [...]string{ResultsFile, LatencyFile, TimeSeriesFile, SummaryFile}

const (
	fResults = iota
	fLatency
	fTimeSeries
	fSummary
)

// Writer writes one attack's directory. It belongs to one goroutine.
//
// The first error (a failed write, an attempt or tick the contract forbids)
// is kept: every later call returns it at once, and Close then renames
// nothing.
type Writer struct {
	o      Options
	f      [len(files)]*results.File
	enc    vegeta.Encoder
	ts     *csv.Writer
	hlog   *hdr.HistogramLogWriter
	iv     *hdr.Histogram // latencies of the attempts added since the last tick
	total  *hdr.Histogram // all latencies
	ivc    Counts         // counts since the last tick
	totalc Counts
	last   Tick // the last tick (zero before the first)
	peak   int64
	bd     Breakdown
	err    error
	done   bool    // closed or aborted
	sum    Summary // as Close wrote it
	kept   bool    // Close kept the files as .partial: the attack did not complete
}

// Create validates o, creates o.Dir and starts every file as NAME.partial
// (an earlier complete NAME is left as it is until Close).
func Create(o Options) (*Writer, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	w := &Writer{o: o, iv: NewHistogram(), total: NewHistogram(), peak: -1}
	for i, name := range files {
		var wrap func(io.Writer) io.Writer
		if o.Wrap != nil {
			wrap = func(x io.Writer) io.Writer { return o.Wrap(name, x) }
		}
		f, err := results.CreateWrapped(o.Dir, name, wrap)
		if err != nil {
			for _, g := range w.f[:i] { // keep what was created as .partial
				g.Abandon()
			}
			return nil, fmt.Errorf("record: %w", err)
		}
		w.f[i] = f
	}
	w.enc = vegeta.NewEncoder(w.f[fResults])
	w.ts = csv.NewWriter(w.f[fTimeSeries])
	w.fail(w.ts.Write(TimeSeriesHeader))
	w.hlog = hdr.NewHistogramLogWriter(w.f[fLatency])
	w.fail(w.hlog.OutputLogFormatVersion())
	w.fail(w.hlog.OutputComment(fmt.Sprintf("[aftershock attack scenario=%s policy=%s seed=%d shard=%s time_scale=%g interval=%s; latency in ns from the intended send time]",
		oneWord(o.Scenario), oneWord(o.Policy), o.Seed, oneWord(o.Shard), o.TimeScale, o.Interval)))
	w.fail(w.hlog.OutputStartTime(o.Start.UnixMilli()))
	w.fail(w.hlog.OutputLegend())
	return w, nil
}

// Err is the first error, nil if none.
func (w *Writer) Err() error { return w.err }

func (w *Writer) fail(err error) {
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("record: %w", err)
	}
}

func (w *Writer) failf(format string, a ...any) error {
	if w.err == nil {
		w.err = fmt.Errorf("record: "+format, a...)
	}
	return w.err
}

// Add records one finished attempt: r.Timestamp = the INTENDED send time,
// r.Latency = end − intended, r.Attack = First or Retry, a timeout as Code 0
// with Error starting TimeoutPrefix; or one never sent: Code 0, Error
// UnsentError, Latency from the intended time to the attack's end. Not
// concurrent: one goroutine feeds it. Add keeps no reference to r.
func (w *Writer) Add(r *vegeta.Result) error {
	switch {
	case w.err != nil:
		return w.err
	case w.done:
		return w.failf("attempt %d added after Close or Abort", r.Seq)
	case r.Attack != First && r.Attack != Retry:
		return w.failf("attempt %d: attack name %q, want %q or %q", r.Seq, r.Attack, First, Retry)
	case r.Latency < 0:
		return w.failf("attempt %d: latency %v below 0", r.Seq, r.Latency)
	}
	if err := w.enc.Encode(r); err != nil {
		w.fail(err)
		return w.err
	}
	record(w.iv, r.Latency)
	record(w.total, r.Latency)
	w.ivc.Add(r)
	w.totalc.Add(r)
	w.bd.Add(r)
	return nil
}

// wall is the wall-clock time of model time at.
func (w *Writer) wall(at time.Duration) time.Time {
	return w.o.Start.Add(time.Duration(float64(at) / w.o.TimeScale))
}

// Tick writes one timeseries row for the interval ending at t.At and its
// interval histogram, and hands every file's buffer to the operating system;
// p50/p99/p999 are those of the attempts added since the previous Tick
// (finished in that interval). Ticks come in increasing t.At with
// cumulative counts that never decrease. Call Tick once more after the last
// Add (at the model time the attack ended), so that every attempt is in a row.
func (w *Writer) Tick(t Tick) error {
	switch {
	case w.err != nil:
		return w.err
	case w.done:
		return w.failf("tick at %v after Close or Abort", t.At)
	case t.At <= w.last.At:
		return w.failf("tick at %v not after the previous one at %v", t.At, w.last.At)
	case t.Scheduled < w.last.Scheduled || t.Sent < w.last.Sent:
		return w.failf("tick at %v: scheduled %d, sent %d below the previous tick's %d, %d",
			t.At, t.Scheduled, t.Sent, w.last.Scheduled, w.last.Sent)
	}
	row := Row{T: seconds(t.At), Leased: -1, Expired: -1, Queue: t.Queued,
		Scheduled: t.Scheduled - w.last.Scheduled, Attempts: t.Sent - w.last.Sent,
		Lag: max(t.Scheduled-t.Sent, 0), InFlight: max(t.InFlight, 0), Counts: w.ivc,
		GoodputPerS: float64(w.ivc.Good) / seconds(t.At-w.last.At)}
	if !w.o.Incident.IsZero() {
		row.Clock = results.FormatClock(w.o.Incident.Add(t.At))
	}
	if d := int64(w.o.Droplets); d >= 0 && !math.IsNaN(t.Leased) {
		row.Leased = min(max(int64(math.Round(t.Leased*float64(d))), 0), d)
		row.Expired = d - row.Leased
	}
	if t.Queued < 0 {
		row.Queue = -1
	} else {
		w.peak = max(w.peak, t.Queued)
	}
	p := percentiles(w.iv)
	row.P50Ms, row.P99Ms, row.P999Ms = p[0], p[2], p[3]
	w.fail(w.ts.Write(row.Record()))
	w.ts.Flush()
	w.fail(w.ts.Error())
	w.iv.SetStartTimeMs(w.wall(w.last.At).UnixMilli())
	w.iv.SetEndTimeMs(w.wall(t.At).UnixMilli())
	w.fail(w.hlog.OutputIntervalHistogram(w.iv))
	w.iv.Reset()
	w.ivc = Counts{}
	w.last = t
	for _, f := range w.f {
		w.fail(f.Flush())
	}
	return w.err
}

// Close writes summary.csv from s (see Summary for what it fills in),
// flushes every file and renames each NAME.partial to NAME, summary.csv last.
// After an error (this call's or an earlier one) the files stay .partial and
// the error is returned. Attempts added after the last Tick are an error.
//
// An attack that did not complete (s.Complete false: an interrupt), or whose
// summary breaks an invariant (Summary.Invariant: a bug in the attacker,
// then written with complete=false), is written whole all the same, and Close
// returns nil, but every file stays NAME.partial (Kept): an earlier complete
// attack in the directory is left as it was, and nothing complete-looking is
// written. Summary().Invariant() says what is wrong.
func (w *Writer) Close(s Summary) error { return w.close(s, false) }

// Keep writes every file whole as Close does, summary.csv from s, but
// keeps each as NAME.partial (Kept), whatever s says: for an attack that
// ran to its end but must not replace an earlier complete one in the
// directory (no attempt of it succeeded: it measured nothing of the
// service). It returns the first error, as Close.
func (w *Writer) Keep(s Summary) error { return w.close(s, true) }

func (w *Writer) close(s Summary, keep bool) error {
	if w.done {
		return w.failf("Close after Close or Abort")
	}
	if w.err == nil && w.ivc.Completed > 0 {
		w.failf("%d attempts added after the last tick at %v; call Tick before Close", w.ivc.Completed, w.last.At)
	}
	if w.err != nil {
		w.Abort()
		return w.err
	}
	s = w.fill(s)
	if s.Invariant() != nil {
		s.Complete = false
	}
	w.sum = s
	c := csv.NewWriter(w.f[fSummary])
	w.fail(c.Write(SummaryHeader))
	w.fail(c.Write(s.Record()))
	c.Flush()
	w.fail(c.Error())
	for _, f := range w.f { // every write reaches the disk before any rename
		w.fail(f.Flush())
	}
	if w.err != nil {
		w.Abort()
		return w.err
	}
	if !s.Complete || keep {
		w.kept = true
		return w.Abort()
	}
	w.done = true
	for i, f := range w.f {
		if err := f.Commit(); err != nil {
			w.fail(err)
			for _, g := range w.f[i+1:] {
				g.Abandon()
			}
			return w.err
		}
	}
	return nil
}

// Latency is the q quantile (0..1) of the latencies of the attempts added
// so far; 0 before any.
func (w *Writer) Latency(q float64) time.Duration {
	if w.total.TotalCount() == 0 {
		return 0
	}
	return time.Duration(Quantile(w.total, q))
}

// Kept reports whether Close kept the files under their .partial names (an
// attack that did not complete), not renamed over NAME.
func (w *Writer) Kept() bool { return w.kept }

// Counts are the results added so far, by kind and outcome.
func (w *Writer) Counts() Counts { return w.totalc }

// Breakdown is every result added so far by status code and error.
func (w *Writer) Breakdown() Breakdown { return w.bd }

// Summary is the summary Close wrote (the zero Summary before, or after a
// Close that failed).
func (w *Writer) Summary() Summary { return w.sum }

// fill completes s from the options, the ticks and the attempts.
func (w *Writer) fill(s Summary) Summary {
	o := w.o
	s.Scenario, s.Policy, s.Seed, s.Droplets, s.Shard, s.TimeScale = o.Scenario, o.Policy, o.Seed, int64(o.Droplets), o.Shard, o.TimeScale
	s.Start = o.Start.Format(time.RFC3339Nano)
	if s.Droplets < 0 {
		s.Droplets = -1
	}
	s.RecoveredClock = ""
	if s.Recovered && !s.Undefined && !o.Incident.IsZero() && !math.IsNaN(s.RecoveryS) && !math.IsNaN(s.TriggerEndS) {
		s.RecoveredClock = results.FormatClock(o.Incident.Add(time.Duration((s.TriggerEndS + s.RecoveryS) * float64(time.Second))))
	}
	if !s.Recovered || s.Undefined {
		s.RecoveryS = math.NaN()
	}
	s.PeakQueue = w.peak
	s.Scheduled, s.Sent = w.last.Scheduled, w.last.Sent
	s.Counts = w.totalc
	s.Latency = QuantilesOf(w.total)
	s.SimS = seconds(w.last.At)
	return s
}

// Abort flushes and closes every file under its .partial name: never a
// complete-looking file. It returns the first error, if any; after Close it
// does nothing.
func (w *Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	for _, f := range w.f {
		if _, err := f.Abandon(); err != nil {
			w.fail(err)
		}
	}
	return w.err
}

// oneWord keeps s to one token for the log's comment line.
func oneWord(s string) string {
	if s == "" {
		return "-"
	}
	out := []rune(s)
	for i, r := range out {
		if r == ' ' || r == '\n' || r == '\r' || r == ']' {
			out[i] = '_'
		}
	}
	return string(out)
}
