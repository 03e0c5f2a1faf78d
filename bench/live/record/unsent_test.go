package record

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/bench/model"
)

// unsentAttack writes an attack of sent finished attempts and unsent ones
// recorded at its end (latency to the end), its last tick counting both.
func unsentAttack(t *testing.T, o Options, sent, unsent int, s Summary) (end time.Duration) {
	t.Helper()
	w, err := Create(o)
	if err != nil {
		t.Fatal(err)
	}
	wallIv := time.Duration(float64(interval) / scale)
	for i := range sent {
		r := vegeta.Result{Attack: First, Seq: uint64(i), Code: 200, Timestamp: start.Add(time.Duration(i) * time.Millisecond),
			Latency: 3 * time.Millisecond}
		if err := w.Add(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Tick(Tick{At: interval, Scheduled: int64(sent + unsent), Sent: int64(sent), Queued: -1}); err != nil {
		t.Fatal(err)
	}
	endWall := 2 * wallIv
	for i := range unsent {
		at := time.Duration(i) * time.Millisecond
		r := vegeta.Result{Attack: Retry, Seq: uint64(sent + i), Timestamp: start.Add(at), Latency: endWall - at, Error: UnsentError}
		if err := w.Add(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Tick(Tick{At: 2 * interval, Scheduled: int64(sent + unsent), Sent: int64(sent), Queued: -1}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(s); err != nil {
		t.Fatal(err)
	}
	return endWall
}

// TestUnsentIsAResult: attempts never sent are results like the others:
// vegeta's decoder reads them (an error "unsent", Code 0), they are counted
// apart from errors and timeouts in the summary and the rows, and their
// latencies to the attack's end are in the percentiles.
func TestUnsentIsAResult(t *testing.T) {
	dir := t.TempDir()
	end := unsentAttack(t, opts(dir), 10, 990, whole(60))
	f, err := os.Open(filepath.Join(dir, ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := vegeta.DecoderFor(f)
	var m vegeta.Metrics
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err != nil {
			break
		}
		m.Add(&r)
	}
	m.Close()
	if m.Requests != 1000 || m.StatusCodes["0"] != 990 || !slices.Contains(m.Errors, UnsentError) || m.Success != 0.01 {
		t.Errorf("vegeta's metrics: %d requests, codes %v, errors %v, success %v; want 1000, 990 code 0, unsent, 1%%",
			m.Requests, m.StatusCodes, m.Errors, m.Success)
	}
	run, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := run.Summary
	if s.Counts.Unsent != 990 || s.Counts.Failed != 0 || s.Counts.TimedOut != 0 || s.Counts.Completed != 1000 ||
		s.Scheduled != 1000 || s.Sent != 10 || s.Invariant() != nil || !s.Complete {
		t.Errorf("summary %+v", s)
	}
	if r := run.Rows[1]; r.Counts.Unsent != 990 || r.Lag != 990 {
		t.Errorf("last row %+v, want the 990 unsent in it", r)
	}
	if n := run.Latency.TotalCount(); n != 1000 {
		t.Errorf("%d latencies, want every scheduled attempt's", n)
	}
	// 99% of the attempts waited until the end: p50 is about the middle
	// unsent one's wait, not the 3 ms of those sent.
	if want := float64(end-495*time.Millisecond) / 1e6; s.Latency.P50 < want*0.99 || s.Latency.P50 > want*1.01 {
		t.Errorf("p50 %.3f ms, want about %.3f", s.Latency.P50, want)
	}
	if got := OutcomeOf(&vegeta.Result{Code: 0, Error: UnsentError}); got != Unsent {
		t.Errorf("OutcomeOf(unsent) = %v", got)
	}
}

// TestInvariant: each broken invariant is named with its numbers, and a
// Writer whose summary breaks one writes it all the same, complete=false.
func TestInvariant(t *testing.T) {
	ok := Summary{Scheduled: 10, Sent: 7, Counts: Counts{Completed: 10, First: 10, Good: 7, Unsent: 3}}
	if err := ok.Invariant(); err != nil {
		t.Errorf("consistent summary: %v", err)
	}
	if err := (Summary{Scheduled: -1, Sent: -1}).Invariant(); err != nil {
		t.Errorf("a vegeta file's: %v", err)
	}
	for _, c := range []struct {
		mod  func(*Summary)
		want string
	}{
		{func(s *Summary) { s.Sent = 4 }, `record: invariant "scheduled = sent + unsent" broken: scheduled 10, sent 4, unsent 3`},
		{func(s *Summary) { s.Scheduled, s.Sent = 12, 9 }, `record: invariant "one result per scheduled attempt" broken: scheduled 12, results 10`},
		{func(s *Summary) { s.Counts.Good = -1 }, `record: invariant "counts >= 0 and add up"`},
		{func(s *Summary) { s.Sent = -1 }, `record: invariant "counts >= 0 and add up"`},
	} {
		s := ok
		c.mod(&s)
		var ie *model.Violation
		if err := s.Invariant(); err == nil || !strings.HasPrefix(err.Error(), c.want) || !errors.As(err, &ie) {
			t.Errorf("%+v: %v, want %s", s, err, c.want)
		}
	}
	// The Writer: its last tick says 1,000 scheduled, 10 sent, but only 500
	// unsent results came.
	dir := t.TempDir()
	w, err := Create(opts(dir))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 510 {
		r := vegeta.Result{Attack: First, Seq: uint64(i), Timestamp: start, Latency: time.Millisecond, Code: 200}
		if i >= 10 {
			r.Code, r.Error = 0, UnsentError
		}
		w.Add(&r)
	}
	w.Tick(Tick{At: interval, Scheduled: 1000, Sent: 10, Queued: -1})
	if err := w.Close(whole(60)); err != nil {
		t.Fatalf("Close: %v, want the files written", err)
	}
	if err := w.Summary().Invariant(); err == nil || !strings.Contains(err.Error(), "scheduled 1000, sent 10, unsent 500") {
		t.Errorf("Invariant of the written summary: %v", err)
	}
	if !w.Kept() {
		t.Error("a summary that breaks an invariant was renamed over summary.csv, want it kept as .partial")
	}
	s, err := ReadSummary(filepath.Join(dir, SummaryFile+".partial"))
	if err != nil || s.Complete {
		t.Errorf("summary.csv.partial: complete %v, %v; want false", s.Complete, err)
	}
	if _, err := os.Stat(filepath.Join(dir, SummaryFile)); err == nil {
		t.Error("summary.csv written for an attack that broke an invariant")
	}
}

// TestOlderFilesRead: an attack directory written before the unsent and
// kept_up columns reads (unsent 0, kept_up not recorded) and merges with a
// new one: kept_up is false if either did not keep up, else not recorded.
func TestOlderFilesRead(t *testing.T) {
	root := t.TempDir()
	as := synthetic(200)
	oldDir, newDir := filepath.Join(root, "old"), filepath.Join(root, "new")
	oa, ob := opts(oldDir), opts(newDir)
	oa.Shard, ob.Shard = "0/2", "1/2"
	write(t, oa, as, 2, whole(60), func(i int) bool { return i%2 == 0 })
	write(t, ob, as, 2, whole(90), func(i int) bool { return i%2 == 1 })
	for _, c := range []struct {
		file string
		cols []string
	}{{SummaryFile, []string{"unsent", "kept_up"}}, {TimeSeriesFile, []string{"unsent"}}} {
		p := filepath.Join(oldDir, c.file)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		head := strings.Split(lines[0], ",")
		for i, l := range lines {
			f := strings.Split(l, ",")
			for k := len(c.cols) - 1; k >= 0; k-- { // the later column first
				j := slices.Index(head, c.cols[k])
				f = slices.Delete(f, j, j+1)
			}
			lines[i] = strings.Join(f, ",")
		}
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old, err := ReadDir(oldDir)
	if err != nil {
		t.Fatalf("an older directory: %v", err)
	}
	if !old.Summary.KeptUpUnknown || old.Summary.Counts.Unsent != 0 || old.Summary.Record()[slices.Index(SummaryHeader, "kept_up")] != "" {
		t.Errorf("older summary %+v", old.Summary)
	}
	nw, err := ReadDir(newDir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Merge(old, nw)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Summary.KeptUpUnknown {
		t.Errorf("merged with an older shard: kept_up %v, want not recorded", m.Summary.KeptUp)
	}
	nw.Summary.KeptUp = false
	if m, _ := Merge(old, nw); m.Summary.KeptUpUnknown || m.Summary.KeptUp {
		t.Errorf("a shard that did not keep up: merged kept_up %v (unknown %v), want false", m.Summary.KeptUp, m.Summary.KeptUpUnknown)
	}
	// A header that is neither is still refused.
	p := filepath.Join(oldDir, SummaryFile)
	b, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(b), "sent,", "sent,bogus,", 1)), 0o644)
	if _, err := ReadDir(oldDir); !errors.Is(err, ErrFormat) {
		t.Errorf("a wrong header: %v", err)
	}
}

// TestMergeKeptUpAndUnsent: shards' unsent attempts add up and the merge
// kept up only when every shard did.
func TestMergeKeptUpAndUnsent(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	oa, ob := opts(a), opts(b)
	oa.Shard, ob.Shard = "0/2", "1/2"
	sb := whole(60)
	sb.KeptUp = false
	unsentAttack(t, oa, 100, 0, whole(60))
	unsentAttack(t, ob, 50, 30, sb)
	ra, err := ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := ReadDir(b)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Merge(ra, rb)
	if err != nil {
		t.Fatal(err)
	}
	s := m.Summary
	if s.Counts.Unsent != 30 || s.Scheduled != 180 || s.Sent != 150 || s.KeptUp || s.KeptUpUnknown || s.Invariant() != nil || m.Latency.TotalCount() != 180 {
		t.Errorf("merged %+v", s)
	}
	if m1, _ := Merge(ra); !m1.Summary.KeptUp {
		t.Error("one shard that kept up: merged kept_up false")
	}
}

// TestMergeRequestsOnlyWhenEveryShardRecordedThem: the shards' requests
// add up; a directory written before the requests column (not recorded)
// makes the merge's requests not recorded, alone or with others: it used to
// read 0 alone (under its 100 attempts sent) and, with a shard that recorded
// 80, 80, a sum over some shards given as the total.
func TestMergeRequestsOnlyWhenEveryShardRecordedThem(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	oa, ob := opts(a), opts(b)
	oa.Shard, ob.Shard = "0/2", "1/2"
	sa, sb := whole(60), whole(60)
	sa.Requests, sb.Requests = 250, 80
	unsentAttack(t, oa, 100, 0, sa)
	unsentAttack(t, ob, 50, 0, sb)
	read := func(dir string) *Run {
		t.Helper()
		r, err := ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if m, err := Merge(read(a), read(b)); err != nil || m.Summary.Requests != 330 {
		t.Fatalf("both recorded (250, 80): merged requests %d, %v; want 330", m.Summary.Requests, err)
	}
	p := filepath.Join(a, SummaryFile) // a as written before the column
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	j := slices.Index(strings.Split(lines[0], ","), "requests")
	for i, l := range lines {
		f := strings.Split(l, ",")
		lines[i] = strings.Join(slices.Delete(f, j, j+1), ",")
	}
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	col := slices.Index(SummaryHeader, "requests")
	for _, runs := range [][]*Run{{read(a)}, {read(a), read(b)}, {read(b), read(a)}} {
		m, err := Merge(runs...)
		if err != nil {
			t.Fatal(err)
		}
		if m.Summary.Requests != -1 || m.Summary.Record()[col] != "" {
			t.Errorf("%d directories, one without requests: merged requests %d (%q), want not recorded", len(runs), m.Summary.Requests, m.Summary.Record()[col])
		}
	}
}
