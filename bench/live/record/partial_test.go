package record

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// sums is the SHA-256 of every file in dir.
func sums(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = sha256.Sum256(b)
	}
	return out
}

// TestIncompleteCloseKeepsEarlierResults: an attack that did not complete
// (interrupted) is written whole, under .partial names only: the complete
// attack already in the directory keeps every byte, and reads as before.
func TestIncompleteCloseKeepsEarlierResults(t *testing.T) {
	dir := t.TempDir()
	as := synthetic(200)
	write(t, opts(dir), as, 1, whole(60), all)
	before := sums(t, dir)
	s := whole(90)
	s.Complete = false
	w, err := Create(opts(dir))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		w.Add(&as[i].r)
	}
	w.Tick(Tick{At: interval, Scheduled: 50, Sent: 50, Queued: -1})
	if err := w.Close(s); err != nil {
		t.Fatal(err)
	}
	if !w.Kept() {
		t.Fatal("an incomplete attack's files were renamed over the complete ones")
	}
	after := sums(t, dir)
	for name, sum := range before {
		if after[name] != sum {
			t.Errorf("%s changed", name)
		}
	}
	for _, n := range files {
		if _, ok := after[n+".partial"]; !ok {
			t.Errorf("%s.partial missing", n)
		}
	}
	p, err := ReadSummary(filepath.Join(dir, SummaryFile+".partial"))
	if err != nil || p.Complete || p.Counts.Completed != 50 {
		t.Errorf("summary.csv.partial: %+v, %v; want the 50 attempts, complete=false", p.Counts, err)
	}
	r, err := ReadDir(dir)
	if err != nil || r.Summary.Counts.Completed != 200 {
		t.Errorf("the earlier attack no longer reads: %v", err)
	}
}

// TestReadDirReadsResults: a results.bin truncated, missing or swapped for
// another attack's is noticed; the breakdown counts its codes and errors.
func TestReadDirReadsResults(t *testing.T) {
	root := t.TempDir()
	dir, other := filepath.Join(root, "a"), filepath.Join(root, "b")
	as := synthetic(300)
	write(t, opts(dir), as, 1, whole(60), all)
	write(t, opts(other), as, 1, whole(60), func(i int) bool { return i%2 == 0 })
	r, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.Breakdown.Total() != 300 {
		t.Fatalf("breakdown of %d results, want 300", r.Breakdown.Total())
	}
	res := filepath.Join(dir, ResultsFile)
	b, _ := os.ReadFile(res)
	for name, mod := range map[string]func(){
		"truncated": func() { os.WriteFile(res, b[:len(b)*2/3], 0o644) },
		"missing":   func() { os.Remove(res) },
		"another":   func() { c, _ := os.ReadFile(filepath.Join(other, ResultsFile)); os.WriteFile(res, c, 0o644) },
		"empty":     func() { os.WriteFile(res, nil, 0o644) },
	} {
		mod()
		if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), "results.bin") {
			t.Errorf("%s results.bin: %v, want an error naming it", name, err)
		}
		os.WriteFile(res, b, 0o644)
	}
}

// allocated is the bytes allocated on the heap so far (cumulative).
func allocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestReadersBoundedOnEndlessInput: /dev/zero as a results file, and as
// every file of an attack directory, is refused having allocated at most
// 64 MiB in all (so at most that much memory at any time).
func TestReadersBoundedOnEndlessInput(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	for _, n := range files {
		if err := os.Symlink("/dev/zero", filepath.Join(dir, n)); err != nil {
			t.Skip(err)
		}
	}
	for _, c := range []struct {
		name string
		read func() error
	}{
		{"results", func() error { _, err := ReadResults("/dev/zero"); return err }},
		{"dir", func() error { _, err := ReadDir(dir); return err }},
		{"latency", func() error { _, err := readLatency("/dev/zero"); return err }},
		{"timeseries", func() error { _, err := readTimeSeries("/dev/zero"); return err }},
		{"results.bin", func() error { return scanResults(filepath.Join(dir, ResultsFile), false, func(*vegeta.Result) {}) }},
	} {
		before := allocated()
		err := c.read()
		got := allocated() - before
		if err == nil {
			t.Errorf("%s: /dev/zero read without error", c.name)
		}
		t.Logf("%s: %.1f MiB allocated: %v", c.name, float64(got)/(1<<20), err)
		if got > 64<<20 {
			t.Errorf("%s: %.1f MiB allocated reading /dev/zero, want at most 64", c.name, float64(got)/(1<<20))
		}
	}
}

// TestGobLimitRefusesAHugeMessage: a gob stream whose first message claims
// a gigabyte is refused before encoding/gob allocates it.
func TestGobLimitRefusesAHugeMessage(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.bin")
	os.WriteFile(p, []byte{0xfc, 0x3f, 0xff, 0xff, 0xf0, 1, 2, 3}, 0o644) // 4 bytes: 0x3ffffff0
	before := allocated()
	_, err := ReadResults(p)
	if err == nil || !strings.Contains(err.Error(), "gob message of") {
		t.Fatalf("err %v", err)
	}
	if got := allocated() - before; got > 16<<20 {
		t.Errorf("%.1f MiB allocated", float64(got)/(1<<20))
	}
}

// TestMergeShardsEndingApart: an attacker's last row is its end rounded up
// to the interval grid, so a shard whose last attempts were still in flight
// ends a row or two after another, and may skip a grid time the other has
// (it used to be refused: "row 25 at t_s 560, another source's at 520").
// The rows merge by model time, every count in.
func TestMergeShardsEndingApart(t *testing.T) {
	root := t.TempDir()
	as := synthetic(100)
	write := func(dir, shard string, keep func(int) bool, last int) {
		o := opts(dir)
		o.Shard = shard
		w, err := Create(o)
		if err != nil {
			t.Fatal(err)
		}
		var sent int64
		for k := 1; k <= 3; k++ {
			for i := range as {
				if as[i].iv == k && keep(i) {
					w.Add(&as[i].r)
					sent++
				}
			}
			at := k
			if k == 3 {
				at = last
			}
			if err := w.Tick(Tick{At: time.Duration(at) * interval, Scheduled: sent, Sent: sent, Queued: -1}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(whole(60)); err != nil {
			t.Fatal(err)
		}
	}
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	write(a, "0/2", func(i int) bool { return i%2 == 0 && as[i].iv <= 3 }, 3)
	write(b, "1/2", func(i int) bool { return i%2 == 1 && as[i].iv <= 3 }, 5) // ends two rows later, skipping 4
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
	var ts []float64
	var n int64
	for _, r := range m.Rows {
		ts = append(ts, r.T)
		n += r.Counts.Completed
	}
	if want := []float64{60, 120, 180, 300}; !slices.Equal(ts, want) || n != ra.Summary.Counts.Completed+rb.Summary.Counts.Completed {
		t.Errorf("merged rows at %v with %d results; want %v and every result", ts, n, want)
	}
}

// TestManyIntervalsReadInLittleMemory: an interval log of 500 intervals,
// as a long attack (or a crafted file) has, reads into memory that grows
// with its latencies, not its intervals: each interval's 270 KB histogram
// used to be kept (135 MB here; a million short intervals, a 50 MB file,
// would have taken 270 GB).
func TestManyIntervalsReadInLittleMemory(t *testing.T) {
	var one bytes.Buffer
	lw := hdr.NewHistogramLogWriter(&one)
	h := NewHistogram()
	record(h, 3*time.Millisecond)
	lw.OutputIntervalHistogram(h)
	var b bytes.Buffer
	lw = hdr.NewHistogramLogWriter(&b)
	lw.OutputLogFormatVersion()
	lw.OutputStartTime(0)
	lw.OutputLegend()
	for range 500 {
		b.Write(one.Bytes())
	}
	p := filepath.Join(t.TempDir(), LatencyFile)
	os.WriteFile(p, b.Bytes(), 0o644)
	runtime.GC()
	before := heapLive()
	ivs, err := readLatency(p)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	held := int64(heapLive()) - int64(before)
	if len(ivs) != 500 || ivs[499].Total() != 1 {
		t.Fatalf("%d intervals", len(ivs))
	}
	t.Logf("500 intervals held in %.2f MiB", float64(held)/(1<<20))
	if held > 16<<20 {
		t.Errorf("500 intervals hold %.1f MiB, want at most 16", float64(held)/(1<<20))
	}
	runtime.KeepAlive(ivs)
}

// heapLive is the bytes of live heap objects (after a GC, what is held).
func heapLive() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
