package results

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSummaryWritesMissingValuesAsEmpty(t *testing.T) {
	s := Summary{Scenario: "mm1", Policy: "none", Seed: 3, Droplets: -1, RecoveryS: math.NaN(), IdealS: math.NaN(),
		Sojourn: [4]float64{0.005, 0.004, 0.02, 0.03}, Complete: true}
	var b bytes.Buffer
	if err := WriteSummaries(&b, s); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || len(rows[0]) != len(rows[1]) {
		t.Fatalf("rows %q", rows)
	}
	col := map[string]string{}
	for i, h := range rows[0] {
		col[h] = rows[1][i]
	}
	for _, k := range []string{"droplets", "recovery_s", "ideal_s", "recovery_ratio", "recovered_clock"} {
		if col[k] != "" {
			t.Errorf("%s = %q, want empty", k, col[k])
		}
	}
	if col["mean_sojourn_s"] != "0.005000" || col["recovered"] != "false" || col["seed"] != "3" {
		t.Errorf("values %v", col)
	}
}

func TestTimeSeriesColumns(t *testing.T) {
	var b bytes.Buffer
	w, _ := NewTimeSeriesWriter(&b)
	w.Write(TimeSeriesRow{T: 60, Clock: time.Date(2025, 10, 20, 2, 25, 0, 0, time.FixedZone("", -7*3600)), Leased: 10, Expired: 0, Queue: 3, Good: 6, GoodputPerS: 0.1, Arrivals: 7, InService: 2, Abandoned: 1})
	w.Write(TimeSeriesRow{T: 120, Leased: -1, Expired: -1, Arrivals: -1, InService: -1})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "t_s,clock,leased,expired,queue,attempts,rejected,completed,good,timed_out,wasted,dropped,goodput_per_s,arrivals,in_service,abandoned\n" +
		"60.000,2025-10-20T02:25:00-07:00,10,0,3,0,0,0,6,0,0,0,0.100,7,2,1\n" +
		"120.000,,,,0,0,0,0,0,0,0,0,0.000,,,0\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestFileCommitAndAbandon(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(dir, "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("x\n")
	if _, err := os.Stat(filepath.Join(dir, "a.csv")); !os.IsNotExist(err) {
		t.Fatal("a.csv visible before Commit")
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.csv")); string(b) != "x\n" {
		t.Fatalf("committed %q", b)
	}
	// A second run into the same directory leaves the complete file as it
	// was until it commits; abandoning keeps its rows under .partial.
	g, _ := Create(dir, "a.csv")
	g.WriteString("y\n")
	name, err := g.Abandon()
	if err != nil || !strings.HasSuffix(name, ".partial") {
		t.Fatalf("Abandon: %q, %v", name, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.csv")); string(b) != "x\n" {
		t.Fatalf("an abandoned run changed the complete file: %q", b)
	}
	if b, _ := os.ReadFile(name); string(b) != "y\n" {
		t.Fatalf("partial %q", b)
	}
}

// failAfter accepts n bytes, then fails every write: a full disk.
type failAfter struct {
	w io.Writer
	n int
}

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, errors.New("no space left on device")
	}
	f.n -= len(p)
	return f.w.Write(p)
}

func TestFileWriteErrorIsKeptAndCommitRefused(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("good\n"), 0o644)
	f, err := CreateWrapped(dir, "a.csv", func(w io.Writer) io.Writer { return &failAfter{w: w, n: 10} })
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(strings.Repeat("row\n", 100))
	if err := f.Flush(); err == nil || !strings.Contains(err.Error(), "no space left") || !strings.Contains(err.Error(), "a.csv.partial") {
		t.Fatalf("Flush after a failing write: %v", err)
	}
	if _, err := f.WriteString("more\n"); err == nil || f.Err() == nil {
		t.Fatal("a write after the error succeeded")
	}
	if err := f.Commit(); err == nil {
		t.Fatal("Commit succeeded after a write error")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.csv")); string(b) != "good\n" {
		t.Fatalf("the complete file changed: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.csv.partial")); string(b) != "row\nrow\nro" {
		t.Fatalf("partial %q, want the 10 bytes the disk took", b)
	}
}

func TestFileRefusesADirectoryInTheWay(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "a.csv"), 0o755)
	if _, err := Create(dir, "a.csv"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("Create over a directory: %v", err)
	}
}

// A model's extra columns follow the standard ones, in the header and in
// every row; a value the row lacks is written empty.
func TestTimeSeriesExtraColumns(t *testing.T) {
	var b strings.Builder
	w, err := NewTimeSeriesWriterExtra(&b, []string{"prop_backlog", "prop_latency_s"})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(TimeSeriesRow{T: 60, Leased: -1, Expired: -1, Arrivals: -1, InService: -1, Extra: []float64{12, 1.5}})
	w.Write(TimeSeriesRow{T: 120, Leased: -1, Expired: -1, Arrivals: -1, InService: -1, Extra: []float64{3}})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if want := strings.Join(TimeSeriesHeader, ",") + ",prop_backlog,prop_latency_s"; lines[0] != want {
		t.Fatalf("header %q, want %q", lines[0], want)
	}
	if !strings.HasSuffix(lines[1], ",12.000000,1.500000") || !strings.HasSuffix(lines[2], ",3.000000,") {
		t.Fatalf("rows %q", lines[1:])
	}
}
