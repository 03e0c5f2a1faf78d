package record

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

var (
	start    = time.Date(2025, 10, 20, 6, 48, 0, 0, time.UTC)
	incident = time.Date(2025, 10, 19, 23, 48, 0, 0, time.FixedZone("PDT", -7*3600))
)

const (
	scale     = 60.0
	interval  = time.Minute // model time per row
	intervals = 8
)

// synthetic is n finished attempts over intervals rows, in the order they
// finish, each tagged with the interval it finished in.
type attempt struct {
	r  vegeta.Result
	iv int // 1-based interval it finished in
}

func synthetic(n int) []attempt {
	rng := rand.New(rand.NewPCG(7, 11))
	wallIv := time.Duration(float64(interval) / scale)
	var out []attempt
	for i := range n {
		iv := 1 + i*intervals/n
		end := time.Duration(iv-1)*wallIv + time.Duration(rng.Int64N(int64(wallIv)))
		lat := time.Duration(math.Exp(rng.NormFloat64()*1.2) * float64(2*time.Millisecond))
		lat = min(lat, end)
		r := vegeta.Result{Attack: First, Seq: uint64(i), Code: 200, Timestamp: start.Add(end - lat), Latency: lat,
			Method: "POST", URL: "http://127.0.0.1:1/v1/lease?droplet=" + string(rune('a'+i%26)), BytesOut: 0, BytesIn: 2}
		switch k := rng.IntN(20); {
		case k < 5:
			r.Attack = Retry
		case k < 7:
			r.Code = 429
		case k < 8:
			r.Code = 503
		case k < 9:
			r.Code, r.Error = 0, TimeoutPrefix+"Post \"http://127.0.0.1:1/v1/lease\": context deadline exceeded"
		case k < 10:
			r.Code, r.Error = 0, "connection refused"
		}
		out = append(out, attempt{r, iv})
	}
	return out
}

func opts(dir string) Options {
	return Options{Dir: dir, Scenario: "small", Policy: "none", Seed: 3, Droplets: 100, Start: start,
		Incident: incident, TimeScale: scale, Interval: interval}
}

// tickAt is the whole attack's tick at the end of interval k, with shard s of
// n taking 1/n of every count (counts chosen divisible).
func tickAt(k, n int) Tick {
	return Tick{At: time.Duration(k) * interval, Scheduled: int64(300 * k / n), Sent: int64(290 * k / n),
		Leased: float64(10*k) / 100, InFlight: int64(4 / n), Queued: int64(50 * k)}
}

// write writes the attempts with keep(i) true into o.Dir and closes it.
func write(t *testing.T, o Options, as []attempt, n int, s Summary, keep func(i int) bool) {
	t.Helper()
	writeRows(t, o, as, n, s, keep, intervals)
}

// writeRows is write stopping after rows intervals.
func writeRows(t *testing.T, o Options, as []attempt, n int, s Summary, keep func(i int) bool, rows int) {
	t.Helper()
	w, err := Create(o)
	if err != nil {
		t.Fatal(err)
	}
	next, sent := 0, int64(0)
	for k := 1; k <= rows; k++ {
		for ; next < len(as) && as[next].iv == k; next++ {
			if keep(next) {
				if err := w.Add(&as[next].r); err != nil {
					t.Fatal(err)
				}
				sent++
			}
		}
		// Every attempt added was sent; 4/n more are due and not yet sent at
		// each tick but the last, which has sent them all.
		tk := tickAt(k, n)
		tk.Sent, tk.Scheduled = sent, sent+int64(4/n)
		if k == rows {
			tk.Scheduled = sent
		}
		if err := w.Tick(tk); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(s); err != nil {
		t.Fatal(err)
	}
}

func whole(rec float64) Summary {
	return Summary{Recovered: true, RecoveryS: rec, TriggerEndS: 180, KeptUp: true, Complete: true, WallS: 8}
}

func all(int) bool { return true }

func TestResultsDecodeWithVegetasDecoder(t *testing.T) {
	dir := t.TempDir()
	as := synthetic(500)
	write(t, opts(dir), as, 1, whole(120), all)
	f, err := os.Open(filepath.Join(dir, ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := vegeta.NewDecoder(f)
	for i := range as {
		var r vegeta.Result
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("result %d: %v", i, err)
		}
		if !r.Equal(as[i].r) {
			t.Fatalf("result %d decoded as %+v, wrote %+v", i, r, as[i].r)
		}
	}
	if err := dec.Decode(&vegeta.Result{}); err != io.EOF {
		t.Fatalf("after %d results: %v, want io.EOF", len(as), err)
	}
	// vegeta's format detection (what `vegeta report` uses) finds gob.
	f.Seek(0, io.SeekStart)
	if vegeta.DecoderFor(f) == nil {
		t.Fatal("vegeta.DecoderFor does not recognise results.bin")
	}
}

func TestLatencyLogReadsBack(t *testing.T) {
	dir := t.TempDir()
	as := synthetic(500)
	write(t, opts(dir), as, 1, whole(120), all)
	f, err := os.Open(filepath.Join(dir, LatencyFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := hdr.NewHistogramLogReader(f)
	want := make([]int64, intervals)
	for _, a := range as {
		want[a.iv-1]++
	}
	all := NewHistogram()
	for k := range intervals {
		h, err := r.NextIntervalHistogram()
		if err != nil || h == nil {
			t.Fatalf("interval %d: %v, %v", k+1, h, err)
		}
		if h.TotalCount() != want[k] {
			t.Errorf("interval %d: %d latencies, want %d", k+1, h.TotalCount(), want[k])
		}
		// wall-clock interval bounds, ms since the epoch
		wantStart := start.Add(time.Duration(float64(time.Duration(k)*interval) / scale)).UnixMilli()
		if h.StartTimeMs() != wantStart || h.EndTimeMs() != wantStart+1000 {
			t.Errorf("interval %d: %d..%d ms, want %d..%d", k+1, h.StartTimeMs(), h.EndTimeMs(), wantStart, wantStart+1000)
		}
		all.Merge(h)
	}
	h, err := r.NextIntervalHistogram()
	if h != nil || err != nil {
		t.Fatalf("after the last interval: %v, %v; want nil, nil", h, err)
	}
	// values in ns: the largest latency is within the histogram's precision
	var maxLat time.Duration
	for _, a := range as {
		maxLat = max(maxLat, a.r.Latency)
	}
	if !all.ValuesAreEquivalent(all.Max(), int64(maxLat)) {
		t.Errorf("max %d ns, want %d ns", all.Max(), int64(maxLat))
	}
	// As the README says, the file's times are seconds: StartTime whole
	// seconds since the epoch, an interval's start in seconds since the
	// epoch (millisecond precision) and its length in seconds.
	b, err := os.ReadFile(filepath.Join(dir, LatencyFile))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if want := fmt.Sprintf("#[StartTime: %d (seconds since epoch), ", start.Unix()); !strings.Contains(text, want) {
		t.Errorf("no %q line in\n%s", want, text)
	}
	if want := fmt.Sprintf("\n%d.%03d000,1.000000,", start.Unix(), start.Nanosecond()/1e6); !strings.Contains(text, want) {
		t.Errorf("no first interval line starting %q in\n%s", want[1:], text)
	}
}

func TestAbortLeavesOnlyPartial(t *testing.T) {
	dir := t.TempDir()
	// an earlier complete attack's summary stays as it was
	if err := os.WriteFile(filepath.Join(dir, SummaryFile), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Create(opts(dir))
	if err != nil {
		t.Fatal(err)
	}
	as := synthetic(50)
	for i := range as {
		if err := w.Add(&as[i].r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Tick(tickAt(1, 1)); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	names := list(t, dir)
	want := []string{LatencyFile + ".partial", ResultsFile + ".partial", SummaryFile, SummaryFile + ".partial", TimeSeriesFile + ".partial"}
	if !slices.Equal(names, want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, SummaryFile)); string(b) != "old\n" {
		t.Errorf("earlier summary.csv changed to %q", b)
	}
	// what was measured is kept under .partial, readable by vegeta
	f, _ := os.Open(filepath.Join(dir, ResultsFile+".partial"))
	defer f.Close()
	dec, n := vegeta.NewDecoder(f), 0
	for dec.Decode(&vegeta.Result{}) == nil {
		n++
	}
	if n != len(as) {
		t.Errorf("results.bin.partial holds %d results, want %d", n, len(as))
	}
	if err := w.Add(&as[0].r); err == nil {
		t.Error("Add after Abort: no error")
	}
	// report reads the .partial results, even cut inside the last one
	p := filepath.Join(dir, ResultsFile+".partial")
	b, _ := os.ReadFile(p)
	os.WriteFile(p, b[:len(b)-5], 0o644)
	if r, err := Open(p); err != nil || r.Summary.Counts.Completed != int64(len(as)-1) {
		t.Errorf("truncated .partial: %v, %+v", err, r)
	}
	os.Rename(p, filepath.Join(dir, "cut.bin"))
	if _, err := Open(filepath.Join(dir, "cut.bin")); !errors.Is(err, ErrFormat) {
		t.Errorf("a truncated complete file: %v, want ErrFormat", err)
	}
	if _, err := ReadDir(dir); err == nil {
		t.Error("ReadDir of an aborted attack over an old summary: no error")
	}
}

func list(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

type failing struct{}

func (failing) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

func TestFailingWriterStopsAtOnce(t *testing.T) {
	for _, name := range []string{ResultsFile, LatencyFile, TimeSeriesFile, SummaryFile} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			o := opts(dir)
			o.Wrap = func(n string, w io.Writer) io.Writer {
				if n == name {
					return failing{}
				}
				return w
			}
			w, err := Create(o)
			if err != nil {
				t.Fatal(err)
			}
			as := synthetic(20)
			for i := range as {
				if err := w.Add(&as[i].r); err != nil {
					t.Fatal(err) // buffered: not yet written
				}
			}
			// the first tick hands every buffer to the disk: the error comes
			// now; summary.csv is written only by Close
			err = w.Tick(tickAt(1, 1))
			if name == SummaryFile {
				if err != nil {
					t.Fatalf("Tick: %v", err)
				}
				err = w.Close(whole(60))
			}
			if err == nil || !strings.Contains(err.Error(), "no space left") || !strings.HasPrefix(err.Error(), "record: ") {
				t.Fatalf("Tick: %v, want the disk's error", err)
			}
			if err2 := w.Add(&as[0].r); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("Add after the failure: %v, want %v", err2, err)
			}
			if err2 := w.Close(whole(60)); err2 == nil {
				t.Error("Close after the failure: no error")
			}
			for _, n := range list(t, dir) {
				if !strings.HasSuffix(n, ".partial") {
					t.Errorf("complete-looking file %s after a failed write", n)
				}
			}
		})
	}
}

func TestContractViolationsAreErrors(t *testing.T) {
	as := synthetic(10)
	cases := []struct {
		name string
		do   func(w *Writer) error
		want string
	}{
		{"tick not after the previous", func(w *Writer) error {
			w.Tick(tickAt(2, 1))
			return w.Tick(tickAt(1, 1))
		}, "not after the previous"},
		{"sent decreasing", func(w *Writer) error {
			w.Tick(tickAt(2, 1))
			t := tickAt(3, 1)
			t.Sent = 1
			return w.Tick(t)
		}, "below the previous"},
		{"attack name", func(w *Writer) error {
			r := as[0].r
			r.Attack = ""
			return w.Add(&r)
		}, `attack name ""`},
		{"negative latency", func(w *Writer) error {
			r := as[0].r
			r.Latency = -time.Millisecond
			return w.Add(&r)
		}, "below 0"},
		{"attempts after the last tick", func(w *Writer) error {
			w.Add(&as[0].r)
			return w.Close(whole(60))
		}, "after the last tick"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			w, err := Create(opts(dir))
			if err != nil {
				t.Fatal(err)
			}
			err = c.do(w)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "record: ") {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			w.Abort()
			for _, n := range list(t, dir) {
				if !strings.HasSuffix(n, ".partial") {
					t.Errorf("complete-looking file %s", n)
				}
			}
		})
	}
}

func TestBadOptions(t *testing.T) {
	o := opts(t.TempDir())
	for _, c := range []struct {
		name string
		mod  func(*Options)
		want string
	}{
		{"no dir", func(o *Options) { o.Dir = "" }, "no output directory"},
		{"no start", func(o *Options) { o.Start = time.Time{} }, "no start time"},
		{"time scale", func(o *Options) { o.TimeScale = 0 }, "time scale 0"},
		{"interval", func(o *Options) { o.Interval = 0 }, "interval 0s"},
		{"shard", func(o *Options) { o.Shard = "2/2" }, "shard 2/2 out of range"},
		{"shard syntax", func(o *Options) { o.Shard = "1 of 2" }, `shard "1 of 2"`},
	} {
		oo := o
		c.mod(&oo)
		if _, err := Create(oo); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestReadDirRoundTrip(t *testing.T) {
	dir := t.TempDir()
	as := synthetic(400)
	write(t, opts(dir), as, 1, whole(120), all)
	run, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := run.Summary
	if s.Counts.Completed != 400 || s.Scheduled != 400 || s.Sent != 400 || s.Droplets != 100 || !s.Complete || s.Invariant() != nil {
		t.Errorf("summary %+v", s)
	}
	// recovered at the trigger's end (180 s) + 120 s after the incident clock
	if s.RecoveredClock != "2025-10-19T23:53:00-07:00" {
		t.Errorf("recovered_clock %q", s.RecoveredClock)
	}
	if s.PeakQueue != 50*intervals || len(run.Rows) != intervals {
		t.Errorf("peak_queue %d, %d rows", s.PeakQueue, len(run.Rows))
	}
	if r := run.Rows[2]; r.Leased != 30 || r.Expired != 70 || r.Clock != "2025-10-19T23:51:00-07:00" || r.Lag != 4 {
		t.Errorf("row 3 %+v", r)
	}
	if got, want := QuantilesOf(run.Latency), s.Latency; math.Abs(got.P99-want.P99) > 1e-3 {
		t.Errorf("p99 from the log %v, summary %v", got.P99, want.P99)
	}
	// no attempt in another interval's row
	for i, r := range run.Rows {
		if r.Counts.Completed != int64(len(as)/intervals) {
			t.Errorf("row %d completed %d, want %d", i+1, r.Counts.Completed, len(as)/intervals)
		}
	}
}

// Two shards' directories merge into the same totals, rows and percentiles
// as one directory with every result.
func TestMergeShardsEqualsWhole(t *testing.T) {
	as := synthetic(2000)
	root := t.TempDir()
	one, a, b := filepath.Join(root, "one"), filepath.Join(root, "a"), filepath.Join(root, "b")
	write(t, opts(one), as, 1, whole(180), all)
	oa, ob := opts(a), opts(b)
	oa.Shard, ob.Shard, oa.Droplets, ob.Droplets = "0/2", "1/2", 50, 50
	write(t, oa, as, 2, whole(120), func(i int) bool { return i%2 == 0 })
	write(t, ob, as, 2, whole(180), func(i int) bool { return i%2 == 1 })
	ro, err := ReadDir(one)
	if err != nil {
		t.Fatal(err)
	}
	ra, err := ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := ReadDir(b)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Merge(rb, ra)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Summary.Record(), ro.Summary.Record(); !slices.Equal(got, want) {
		t.Errorf("merged summary\n%v\nwant\n%v", got, want)
	}
	if len(m.Rows) != len(ro.Rows) {
		t.Fatalf("%d rows, want %d", len(m.Rows), len(ro.Rows))
	}
	for i := range m.Rows {
		if got, want := m.Rows[i].Record(), ro.Rows[i].Record(); !slices.Equal(got, want) {
			t.Errorf("row %d\n%v\nwant\n%v", i+1, got, want)
		}
	}
	if !m.Latency.Equals(ro.Latency) {
		t.Error("merged histogram differs from the whole's")
	}
	// the merged shards' p99 is not the mean of theirs (percentiles are not averaged)
	if mean := (ra.Summary.Latency.P99 + rb.Summary.Latency.P99) / 2; mean == m.Summary.Latency.P99 {
		t.Logf("mean of shard p99s happens to equal the merged p99 (%v)", mean)
	}
	// one shard alone says which shards it holds
	if m1, _ := Merge(ra); m1.Summary.Shard != "0/2" {
		t.Errorf("shard of one of two: %q", m1.Summary.Shard)
	}
}

func TestMergeRefusesMismatches(t *testing.T) {
	as := synthetic(40)
	root := t.TempDir()
	mk := func(name string, mod func(*Options)) *Run {
		o := opts(filepath.Join(root, name))
		mod(&o)
		writeRows(t, o, as, 1, whole(60), all, 3)
		r, err := ReadDir(o.Dir)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	base := mk("base", func(o *Options) { o.Shard = "0/2" })
	// rows at other model times (another interval, another start): a row
	// off the grid but the last, a first row elsewhere
	for _, k := range []int{1, 0} {
		shifted := *base
		shifted.Sources, shifted.Summary.Shard = []string{"shifted"}, "1/2"
		shifted.Rows = slices.Clone(base.Rows)
		shifted.Rows[k].T += 30
		if _, err := Merge(base, &shifted); err == nil || !strings.Contains(err.Error(), "must share start and interval") {
			t.Errorf("row %d at other times: %v", k+1, err)
		}
	}
	for _, c := range []struct {
		name string
		mod  func(*Options)
		want string
	}{
		{"scenario", func(o *Options) { o.Scenario, o.Shard = "other", "1/2" }, "different scenarios"},
		{"policy", func(o *Options) { o.Policy, o.Shard = "queue-size", "1/2" }, "different policies"},
		{"seed", func(o *Options) { o.Seed, o.Shard = 9, "1/2" }, "different seeds"},
		{"time scale", func(o *Options) { o.TimeScale, o.Shard = 30, "1/2" }, "time scale 30"},
		{"same shard", func(o *Options) { o.Shard = "0/2" }, "both shard 0/2"},
		{"other n", func(o *Options) { o.Shard = "1/3" }, "a shard of 2"},
		{"start", func(o *Options) { o.Start, o.Shard = start.Add(time.Second), "1/2" }, "must share the start time"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := mk(c.name, c.mod)
			if _, err := Merge(base, r); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%v, want %q", err, c.want)
			}
		})
	}
}

func TestReadResultsPlainVegetaFiles(t *testing.T) {
	as := synthetic(300)
	dir := t.TempDir()
	want := Counts{}
	h := NewHistogram()
	for _, enc := range []struct {
		name string
		mk   func(io.Writer) vegeta.Encoder
	}{{"r.gob", vegeta.NewEncoder}, {"r.json", vegeta.NewJSONEncoder}, {"r.csv", vegeta.NewCSVEncoder}} {
		f, err := os.Create(filepath.Join(dir, enc.name))
		if err != nil {
			t.Fatal(err)
		}
		e := enc.mk(f)
		for i := range as {
			if err := e.Encode(&as[i].r); err != nil {
				t.Fatal(err)
			}
		}
		f.Close()
	}
	for i := range as {
		want.Add(&as[i].r)
		record(h, as[i].r.Latency)
	}
	for _, name := range []string{"r.gob", "r.json", "r.csv"} {
		r, err := Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if r.Summary.Counts != want || !r.Latency.Equals(h) || r.Attacks != 0 {
			t.Errorf("%s: counts %+v, want %+v", name, r.Summary.Counts, want)
		}
	}
	if want.TimedOut == 0 || want.Failed == 0 || want.Rejected == 0 || want.Retries == 0 {
		t.Fatalf("synthetic results lack an outcome: %+v", want)
	}
	bad := filepath.Join(dir, "bad")
	os.WriteFile(bad, []byte("\x00\x01\xff binary [[[\n"), 0o644)
	if _, err := Open(bad); !errors.Is(err, ErrFormat) {
		t.Errorf("garbage: %v, want ErrFormat", err)
	}
	if _, err := Open(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing: %v", err)
	}
}

// bucketTop is the top of v's bucket.
func bucketTop(v int64) int64 {
	h := NewHistogram()
	h.RecordValue(v)
	return h.Max()
}

// TestPercentilesNearestRank: 160 latencies of 1..160 ms: p50 is the
// 80th, p90 the 144th, p99 the 159th, p99.9 the 160th (nearest rank:
// ⌈p·n⌉), each the top of its bucket; hdrhistogram-go's own reading
// rounds the rank (158th for p99). On 3,000 latencies every percentile is
// the top of the bucket of the latency at its nearest rank.
func TestPercentilesNearestRank(t *testing.T) {
	h := NewHistogram()
	for ms := 1; ms <= 160; ms++ {
		record(h, time.Duration(ms)*time.Millisecond)
	}
	p := percentiles(h)
	for i, rank := range []int64{80, 144, 159, 160} {
		want := float64(bucketTop(rank*1e6)) / 1e6
		if p[i] != want {
			t.Errorf("percentile %d of 1..160 ms: %v ms, want %v (rank %d)", i, p[i], want, rank)
		}
	}
	if Quantile(h, 0.99) != int64(p[2]*1e6) {
		t.Errorf("Quantile(0.99) %v, percentiles' p99 %v", Quantile(h, 0.99), p[2])
	}
	var lat []int64
	h.Reset()
	for _, a := range synthetic(3000) {
		record(h, a.r.Latency)
		lat = append(lat, max(int64(a.r.Latency), 1))
	}
	slices.Sort(lat)
	p = percentiles(h)
	for i, q := range []float64{50, 90, 99, 99.9} {
		k := int(math.Ceil(q / 100 * 3000 * (1 - 1e-12)))
		if want := float64(bucketTop(lat[k-1])) / 1e6; p[i] != want {
			t.Errorf("p%v of 3,000: %v, want %v (rank %d)", q, p[i], want, k)
		}
	}
}

// The same attempts and ticks give byte-identical files.
func TestSameInputSameBytes(t *testing.T) {
	as := synthetic(300)
	a, b := t.TempDir(), t.TempDir()
	write(t, opts(a), as, 1, whole(120), all)
	write(t, opts(b), as, 1, whole(120), all)
	for _, name := range []string{ResultsFile, LatencyFile, TimeSeriesFile, SummaryFile} {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, _ := os.ReadFile(filepath.Join(b, name))
		if len(x) == 0 || string(x) != string(y) {
			t.Errorf("%s differs between two identical attacks", name)
		}
	}
}
