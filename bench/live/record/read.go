package record

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Limits on what the readers read, so that a wrong file (/dev/zero, a log
// picked by mistake) fails at once instead of filling memory.
const (
	MaxLineBytes   = 4 << 20 // bytes between two newlines in a text file (CSV, JSON results, the interval log)
	MaxResultBytes = 4 << 20 // bytes of one gob-encoded result (or type definition) in a results file
	MaxRows        = 1 << 17 // timeseries rows, interval histograms (each about 1.6 ms to decode)
)

// ErrFormat marks every error caused by the contents of a file.
var ErrFormat = errors.New("record: bad file")

// Run is what one source holds, or several merged: an attack directory (with
// its summary, rows and interval histograms) or a plain vegeta results file
// (only counts and latencies).
type Run struct {
	Sources   []string
	Attacks   int            // attack directories among Sources
	Summary   Summary        // of the attack directories (zero without one); Counts and Latency cover every source
	Latency   *hdr.Histogram // every attempt's latency, ns
	Rows      []Row          // the attack directories' timeseries
	Intervals []Sparse       // one per row: latencies of the attempts finished in it
	Breakdown Breakdown      // every result by status code and error
}

// Open reads an attack directory (ReadDir) or a vegeta results file
// (ReadResults).
func Open(path string) (*Run, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("record: %q: %w", path, pathErr(err))
	}
	switch {
	case st.IsDir():
		return ReadDir(path)
	case st.Mode().IsRegular(), st.Mode()&fs.ModeCharDevice != 0, st.Mode()&fs.ModeNamedPipe != 0:
		return ReadResults(path)
	}
	return nil, fmt.Errorf("record: %q: neither a directory nor a file", path)
}

func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadResults reads a vegeta results file in any of vegeta's encodings (gob,
// JSON, CSV): counts by attack name and outcome (OutcomeOf), status codes
// and errors (Breakdown) and latencies. A file named *.partial (an
// interrupted attack's) may end inside its last result, which is left out.
// Memory stays bounded whatever the file holds: a text line is at most
// MaxLineBytes, a gob message at most MaxResultBytes.
func ReadResults(path string) (*Run, error) {
	run := &Run{Sources: []string{path}, Latency: NewHistogram()}
	run.Summary = Summary{Droplets: -1, PeakQueue: -1, RecoveryS: math.NaN(), TriggerEndS: math.NaN(), Undefined: true, KeptUpUnknown: true}
	if err := scanResults(path, strings.HasSuffix(path, ".partial"), func(r *vegeta.Result) {
		run.Summary.Counts.Add(r)
		run.Breakdown.Add(r)
		record(run.Latency, r.Latency)
	}); err != nil {
		return nil, err
	}
	run.Summary.Latency = QuantilesOf(run.Latency)
	run.Summary.Scheduled, run.Summary.Sent, run.Summary.Requests = -1, -1, -1
	return run, nil
}

// scanResults decodes every result of a vegeta results file and hands it to
// fn (the same Result, reset, each time). With truncatedOK, a file that ends
// inside its last result is read up to it.
func scanResults(path string, truncatedOK bool, fn func(*vegeta.Result)) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("record: %q: %w", path, pathErr(err))
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var lim limited
	if b, _ := br.Peek(1); len(b) == 1 && (b[0] == '{' || b[0] >= '0' && b[0] <= '9') {
		lim = &lineLimit{r: br, name: path} // JSON or CSV: one result a line
	} else {
		lim = &gobLimit{r: br, name: path}
	}
	dec := vegeta.DecoderFor(lim)
	if lim.failed() != nil {
		return lim.failed()
	}
	if dec == nil {
		return fmt.Errorf("%w: %q: not a vegeta results file (gob, JSON or CSV) or empty", ErrFormat, path)
	}
	var r vegeta.Result
	for n := int64(1); ; n++ {
		r = vegeta.Result{}
		err := dec.Decode(&r)
		if err == io.EOF || err == io.ErrUnexpectedEOF && truncatedOK {
			return nil // a .partial file may end inside its last result: the whole ones count
		}
		if lim.failed() != nil {
			return lim.failed()
		}
		if err != nil {
			return fmt.Errorf("%w: %q: result %d: %v", ErrFormat, path, n, oneLine(err))
		}
		if r.Latency < 0 {
			return fmt.Errorf("%w: %q: result %d: latency %v below 0", ErrFormat, path, n, r.Latency)
		}
		fn(&r)
	}
}

// limited is a reader that fails once its input breaks a limit.
type limited interface {
	io.Reader
	failed() error
}

// lineLimit fails once a line is longer than MaxLineBytes.
type lineLimit struct {
	r    io.Reader
	name string
	line int
	err  error
}

func (l *lineLimit) failed() error { return l.err }

func (l *lineLimit) Read(b []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(b)
	for i, c := range b[:n] {
		if c == '\n' {
			l.line = 0
		} else if l.line++; l.line > MaxLineBytes {
			l.err = fmt.Errorf("%w: %q: more than %d bytes without a newline (is this a results file?)", ErrFormat, l.name, MaxLineBytes)
			return i, l.err
		}
	}
	return n, err
}

// gobLimit passes a gob stream through, failing at a message longer than
// MaxResultBytes: encoding/gob allocates a message's whole length, as its
// header states it, before reading it. A stream of empty messages (zeros)
// fails too, after maxEmptyGob of them.
type gobLimit struct {
	r     io.Reader
	name  string
	left  int64 // bytes of the current message still to pass
	hdr   []byte
	empty int64 // bytes of consecutive empty messages
	err   error
}

func (g *gobLimit) failed() error { return g.err }

func (g *gobLimit) Read(b []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(b)
	for i := 0; i < n; i++ {
		if g.left > 0 {
			k := min(g.left, int64(n-i))
			g.left -= k
			i += int(k) - 1
			continue
		}
		g.hdr = append(g.hdr, b[i])
		size, ok := gobUint(g.hdr)
		if !ok {
			continue
		}
		g.hdr = g.hdr[:0]
		switch {
		case size > MaxResultBytes:
			g.err = fmt.Errorf("%w: %q: a gob message of %d bytes, more than %d (is this a results file?)", ErrFormat, g.name, size, MaxResultBytes)
			return i, g.err
		case size == 0:
			if g.empty++; g.empty > maxEmptyGob {
				g.err = fmt.Errorf("%w: %q: %d empty gob messages in a row (is this a results file?)", ErrFormat, g.name, g.empty)
				return i, g.err
			}
		default:
			g.empty, g.left = 0, int64(size)
		}
	}
	return n, err
}

// maxEmptyGob is how many empty gob messages in a row a results file may
// hold: encoding/gob writes none.
const maxEmptyGob = 1 << 10

// gobUint decodes encoding/gob's unsigned integer at the start of b: one
// byte below 128, else a byte holding the negated count of big-endian bytes
// that follow. ok is false while b is too short.
func gobUint(b []byte) (uint64, bool) {
	if b[0] < 0x80 {
		return uint64(b[0]), true
	}
	n := int(-int8(b[0]))
	if n > 8 || n <= 0 {
		return math.MaxUint64, true // malformed: gob refuses it too
	}
	if len(b) < 1+n {
		return 0, false
	}
	var v uint64
	for _, c := range b[1 : 1+n] {
		v = v<<8 | uint64(c)
	}
	return v, true
}

func oneLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// ReadDir reads an attack directory written by a Writer: summary.csv,
// timeseries.csv, latency.hlog and results.bin, checked against each other
// (as many interval histograms as rows, the same attempts in rows,
// histograms, summary and results.bin, which is read through: a truncated
// or altered one is an error). A directory with only .partial files is an
// interrupted attack and an error.
func ReadDir(dir string) (*Run, error) {
	sum := filepath.Join(dir, SummaryFile)
	if _, err := os.Stat(sum); err != nil {
		if _, perr := os.Stat(sum + ".partial"); perr == nil {
			return nil, fmt.Errorf("%w: %q: an interrupted or failed attack (only .partial files; report %q for what it measured)", ErrFormat, dir, filepath.Join(dir, ResultsFile+".partial"))
		}
		return nil, fmt.Errorf("%w: %q: not an attack directory (no %s)", ErrFormat, dir, SummaryFile)
	}
	for _, name := range []string{LatencyFile, ResultsFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return nil, fmt.Errorf("%w: %q: not an attack directory (no %s; a sim run's?)", ErrFormat, dir, name)
		}
	}
	s, err := ReadSummary(sum)
	if err != nil {
		return nil, err
	}
	rows, err := readTimeSeries(filepath.Join(dir, TimeSeriesFile))
	if err != nil {
		return nil, err
	}
	ivs, err := readLatency(filepath.Join(dir, LatencyFile))
	if err != nil {
		return nil, err
	}
	if len(ivs) != len(rows) {
		return nil, fmt.Errorf("%w: %q: %d interval histograms in %s, %d rows in %s", ErrFormat, dir, len(ivs), LatencyFile, len(rows), TimeSeriesFile)
	}
	run := &Run{Sources: []string{dir}, Attacks: 1, Summary: s, Latency: NewHistogram(), Rows: rows, Intervals: ivs}
	var c Counts
	for i, h := range ivs {
		if n := h.Total(); n != rows[i].Counts.Completed {
			return nil, fmt.Errorf("%w: %q: interval %d holds %d latencies, its row %d completed", ErrFormat, dir, i+1, n, rows[i].Counts.Completed)
		}
		h.AddTo(run.Latency)
		c.Merge(rows[i].Counts)
	}
	if c != s.Counts {
		return nil, fmt.Errorf("%w: %q: %s counts %+v, its rows add up to %+v", ErrFormat, dir, SummaryFile, s.Counts, c)
	}
	var rc Counts
	if err := scanResults(filepath.Join(dir, ResultsFile), false, func(r *vegeta.Result) {
		rc.Add(r)
		run.Breakdown.Add(r)
	}); err != nil {
		return nil, err
	}
	if rc != s.Counts {
		return nil, fmt.Errorf("%w: %q: %s holds %d results (%+v), %s counts %d (%+v): truncated or from another attack", ErrFormat, dir,
			ResultsFile, rc.Completed, rc, SummaryFile, s.Counts.Completed, s.Counts)
	}
	return run, nil
}

// readCSV reads a whole CSV file whose header must be header, less any of
// the optional columns (a file written before they existed); it returns the
// file's header and its records.
func readCSV(path string, header []string, optional map[string]bool) ([]string, [][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("record: %q: %w", path, pathErr(err))
	}
	defer f.Close()
	lr := &lineLimit{r: f, name: path}
	c := csv.NewReader(lr)
	h, err := c.Read()
	if lr.err != nil {
		return nil, nil, lr.err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %q: no header row: %v", ErrFormat, path, oneLine(err))
	}
	if len(h) > 0 {
		h[0] = strings.TrimPrefix(h[0], "\ufeff") // a byte-order mark, as an editor may add
	}
	if !sameColumns(h, header, optional) {
		return nil, nil, fmt.Errorf("%w: %q: header is not %s's", ErrFormat, path, filepath.Base(path))
	}
	var recs [][]string
	for {
		rec, err := c.Read()
		if err == io.EOF {
			return h, recs, nil
		}
		if lr.err != nil {
			return nil, nil, lr.err
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %q: %v", ErrFormat, path, oneLine(err))
		}
		if len(recs) == MaxRows {
			return nil, nil, fmt.Errorf("%w: %q: more than %d rows", ErrFormat, path, MaxRows)
		}
		recs = append(recs, rec)
	}
}

// sameColumns reports whether h is header in order, less some of the
// optional columns.
func sameColumns(h, header []string, optional map[string]bool) bool {
	j := 0
	for _, col := range header {
		switch {
		case j < len(h) && h[j] == col:
			j++
		case !optional[col]:
			return false
		}
	}
	return j == len(h)
}

// fields parses one record, keeping the first error with its column.
type fields struct {
	path   string
	line   int
	header []string
	rec    []string
	err    error
}

// at is the column's field; "" for an optional column the file lacks.
func (p *fields) at(col string) string {
	i := slices.Index(p.header, col)
	if i < 0 {
		return ""
	}
	return p.rec[i]
}

// has reports whether the file has the column.
func (p *fields) has(col string) bool { return slices.Contains(p.header, col) }

// unsent reads the optional unsent column: 0 when the file lacks it.
func (p *fields) unsent() int64 {
	if !p.has("unsent") {
		return 0
	}
	return p.count("unsent")
}

// requests is the requests column, -1 when absent or empty (not
// recorded).
func (p *fields) requests() int64 {
	if !p.has("requests") || p.at("requests") == "" {
		return -1
	}
	return p.count("requests")
}

func (p *fields) bad(col, why string) {
	if p.err == nil {
		p.err = fmt.Errorf("%w: %q:%d: %s %q: %s", ErrFormat, p.path, p.line, col, p.at(col), why)
	}
}

// float reads a number, "" as NaN; negative numbers are refused.
func (p *fields) float(col string) float64 {
	s := p.at(col)
	if s == "" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		p.bad(col, "want a number >= 0")
	}
	return v
}

// int reads a count, "" as -1.
func (p *fields) int(col string) int64 {
	s := p.at(col)
	if s == "" {
		return -1
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		p.bad(col, "want a whole number >= 0")
	}
	return v
}

// count reads a count that must be present.
func (p *fields) count(col string) int64 {
	v := p.int(col)
	if v < 0 {
		p.bad(col, "want a whole number >= 0")
	}
	return v
}

func (p *fields) bool(col string) bool {
	v, err := strconv.ParseBool(p.at(col))
	if err != nil {
		p.bad(col, "want true or false")
	}
	return v
}

// ReadSummary reads an attack's summary.csv (or a merged one, as loadgen
// report --format csv writes it): one row under SummaryHeader. A file from
// before the unsent and kept_up columns reads unsent 0 and kept_up not
// recorded (KeptUpUnknown).
func ReadSummary(path string) (Summary, error) {
	h, recs, err := readCSV(path, SummaryHeader, optionalSummary)
	if err != nil {
		return Summary{}, err
	}
	if len(recs) != 1 {
		return Summary{}, fmt.Errorf("%w: %q: %d rows, want 1", ErrFormat, path, len(recs))
	}
	p := &fields{path: path, line: 2, header: h, rec: recs[0]}
	s := Summary{Scenario: p.at("scenario"), Policy: p.at("policy"), Droplets: p.int("droplets"),
		Shard: p.at("shard"), TimeScale: p.float("time_scale"), Start: p.at("start"),
		Undefined: p.at("recovered") == "", RecoveryS: p.float("recovery_s"), TriggerEndS: p.float("trigger_end_s"),
		RecoveredClock: p.at("recovered_clock"), PeakQueue: p.int("peak_queue"),
		Scheduled: p.count("scheduled"), Sent: p.count("sent"), Requests: p.requests(),
		Counts: Counts{Completed: p.count("completed"), First: p.count("first"), Retries: p.count("retries"),
			Good: p.count("good"), Rejected: p.count("rejected"), Failed: p.count("errors"), TimedOut: p.count("timed_out"),
			Unsent: p.unsent()},
		Latency: Quantiles{p.float("mean_ms"), p.float("p50_ms"), p.float("p90_ms"), p.float("p99_ms"), p.float("p999_ms"), p.float("max_ms")},
		SimS:    p.float("sim_s"), Complete: p.bool("complete"), WallS: p.float("wall_s")}
	if seed, err := strconv.ParseUint(p.at("seed"), 10, 64); err != nil {
		p.bad("seed", "want a whole number >= 0")
	} else {
		s.Seed = seed
	}
	if s.KeptUpUnknown = p.at("kept_up") == ""; !s.KeptUpUnknown {
		s.KeptUp = p.bool("kept_up")
	}
	if !s.Undefined {
		s.Recovered = p.bool("recovered")
		if s.Recovered == math.IsNaN(s.RecoveryS) {
			p.bad("recovery_s", "want a time exactly when recovered")
		}
	}
	if s.Shard != "" {
		if _, _, err := ParseShard(s.Shard); err != nil {
			p.bad("shard", "want i/n")
		}
	}
	if _, err := time.Parse(time.RFC3339Nano, s.Start); err != nil {
		p.bad("start", "want an RFC 3339 time")
	}
	if !(s.TimeScale > 0) {
		p.bad("time_scale", "want a number above 0")
	}
	if p.err == nil && !s.Counts.valid() {
		p.err = fmt.Errorf("%w: %q:2: counts do not add up: %+v", ErrFormat, path, s.Counts)
	}
	return s, p.err
}

// optionalTimeSeries are the columns of TimeSeriesHeader a timeseries.csv
// may lack (written before they existed); unsent reads as 0.
var optionalTimeSeries = map[string]bool{"unsent": true}

func readTimeSeries(path string) ([]Row, error) {
	h, recs, err := readCSV(path, TimeSeriesHeader, optionalTimeSeries)
	if err != nil {
		return nil, err
	}
	rows := make([]Row, len(recs))
	for i, rec := range recs {
		p := &fields{path: path, line: i + 2, header: h, rec: rec}
		r := Row{T: p.float("t_s"), Clock: p.at("clock"), Leased: p.int("leased"), Expired: p.int("expired"),
			Queue: p.int("queue"), Scheduled: p.count("scheduled"), Attempts: p.count("attempts"),
			Lag: p.count("lag"), InFlight: p.count("in_flight"),
			Counts: Counts{Completed: p.count("completed"), Retries: p.count("retries"), Good: p.count("good"),
				Rejected: p.count("rejected"), Failed: p.count("errors"), TimedOut: p.count("timed_out"), Unsent: p.unsent()},
			GoodputPerS: p.float("goodput_per_s"),
			P50Ms:       p.float("p50_ms"), P99Ms: p.float("p99_ms"), P999Ms: p.float("p999_ms")}
		r.Counts.First = r.Counts.Completed - r.Counts.Retries
		if math.IsNaN(r.T) {
			p.bad("t_s", "want a number >= 0")
		}
		if p.err == nil && (!r.Counts.valid() || i > 0 && r.T <= rows[i-1].T) {
			p.err = fmt.Errorf("%w: %q:%d: counts do not add up or t_s does not increase", ErrFormat, path, i+2)
		}
		if p.err != nil {
			return nil, p.err
		}
		rows[i] = r
	}
	return rows, nil
}

// logVersion starts every interval log this package writes.
const logVersion = "#[Histogram log format version "

// readLatency reads an interval log: each interval's histogram, kept sparse
// (a log of many intervals reads in memory that grows with its latencies,
// not with its intervals). Histograms of another geometry are refused.
func readLatency(path string) ([]Sparse, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("record: %q: %w", path, pathErr(err))
	}
	defer f.Close()
	lr := &lineLimit{r: f, name: path}
	br := bufio.NewReader(lr)
	first, _ := br.Peek(len(logVersion))
	if string(first) != logVersion {
		if lr.err != nil {
			return nil, lr.err
		}
		return nil, fmt.Errorf("%w: %q: not an HdrHistogram interval log", ErrFormat, path)
	}
	hr := hdr.NewHistogramLogReader(br)
	var out []Sparse
	geometry := NewHistogram()
	for {
		h, err := hr.NextIntervalHistogram()
		if lr.err != nil {
			return nil, lr.err
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %q: interval %d: %v", ErrFormat, path, len(out)+1, oneLine(err))
		}
		if h == nil {
			return out, nil
		}
		if len(out) == MaxRows {
			return nil, fmt.Errorf("%w: %q: more than %d intervals", ErrFormat, path, MaxRows)
		}
		if h.LowestTrackableValue() != geometry.LowestTrackableValue() || h.HighestTrackableValue() != geometry.HighestTrackableValue() ||
			h.SignificantFigures() != geometry.SignificantFigures() {
			return nil, fmt.Errorf("%w: %q: interval %d: a histogram of %d..%d ns, %d digits, not this suite's %d..%d, %d", ErrFormat, path, len(out)+1,
				h.LowestTrackableValue(), h.HighestTrackableValue(), h.SignificantFigures(),
				geometry.LowestTrackableValue(), geometry.HighestTrackableValue(), geometry.SignificantFigures())
		}
		out = append(out, SparseOf(h))
	}
}
