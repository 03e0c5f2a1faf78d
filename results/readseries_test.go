package results

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// TestTimeSeriesRoundTrip: rows written by TimeSeriesWriter, with a model's
// extra columns, read back equal, empty fields as "none".
func TestTimeSeriesRoundTrip(t *testing.T) {
	clock := time.Date(2025, 10, 19, 23, 49, 0, 0, time.FixedZone("", -7*3600))
	in := []TimeSeriesRow{
		{T: 60, Clock: clock, Leased: 900, Expired: 100, Queue: 7, Attempts: 12, Rejected: 1, Completed: 10, Good: 9,
			TimedOut: 2, Wasted: 1, Dropped: 0, GoodputPerS: 0.15, Arrivals: -1, InService: -1, Extra: []float64{1.5, math.NaN()}},
		{T: 120, Clock: clock.Add(time.Minute), Leased: -1, Expired: -1, Queue: 0, Arrivals: 40, InService: 3, Abandoned: 2,
			GoodputPerS: 2.5, Extra: []float64{0, 4}},
	}
	var b bytes.Buffer
	w, err := NewTimeSeriesWriterExtra(&b, []string{"prop_backlog", "conn_error_rate"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range in {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out, extra, err := ReadTimeSeries("ts.csv", &b)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(extra, ",") != "prop_backlog,conn_error_rate" {
		t.Fatalf("extra columns %q", extra)
	}
	if len(out) != len(in) {
		t.Fatalf("read %d rows, wrote %d", len(out), len(in))
	}
	for i := range in {
		a, b := in[i], out[i]
		if a.T != b.T || !a.Clock.Equal(b.Clock) || a.Leased != b.Leased || a.Expired != b.Expired || a.Queue != b.Queue ||
			a.Attempts != b.Attempts || a.Rejected != b.Rejected || a.Completed != b.Completed || a.Good != b.Good ||
			a.TimedOut != b.TimedOut || a.Wasted != b.Wasted || a.Dropped != b.Dropped || a.GoodputPerS != b.GoodputPerS ||
			a.Arrivals != b.Arrivals || a.InService != b.InService || a.Abandoned != b.Abandoned {
			t.Errorf("row %d: wrote %+v, read %+v", i, a, b)
		}
		for j := range a.Extra {
			if x, y := a.Extra[j], b.Extra[j]; x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
				t.Errorf("row %d extra %d: wrote %v, read %v", i, j, x, y)
			}
		}
	}
}

// TestReadTimeSeriesRefuses: files the writer never writes fail with one
// line naming the file (and the line and column where there is one).
func TestReadTimeSeriesRefuses(t *testing.T) {
	var b bytes.Buffer
	w, _ := NewTimeSeriesWriter(&b)
	w.Write(TimeSeriesRow{T: 60, Queue: 1, Leased: -1, Expired: -1, Arrivals: -1, InService: -1})
	w.Write(TimeSeriesRow{T: 120, Queue: 2, Leased: -1, Expired: -1, Arrivals: -1, InService: -1})
	w.Flush()
	lines := strings.SplitAfter(b.String(), "\n")
	header, row1, row2 := lines[0], lines[1], lines[2]
	for _, c := range []struct{ name, file, want string }{
		{"empty", "", "no header row"},
		{"summary instead", strings.Join(SummaryHeader, ",") + "\n", `lacks column "t_s"`},
		{"duplicate column", strings.TrimSuffix(header, "\n") + ",queue\n", `column "queue" twice`},
		{"time goes back", header + row2 + row1, `"ts.csv":3: t_s`},
		{"same time twice", header + row1 + row1, "after the previous row"},
		{"negative time", header + strings.Replace(row1, "60.000", "-60.000", 1), ">= 0"},
		{"negative queue", header + strings.Replace(row1, ",1,", ",-1,", 1), "queue"},
		{"negative goodput", header + strings.Replace(row1, ",0.000,", ",-1.000,", 1), "goodput_per_s"},
		{"not a number", header + strings.Replace(row1, "60.000", "soon", 1), `t_s = "soon"`},
		{"empty queue", header + strings.Replace(row1, ",1,", ",,", 1), "queue"},
		{"ragged", header + "1,2\n", "wrong number of fields"},
		{"long line", header + strings.Repeat("9", MaxLineBytes+1) + "\n", "longer than"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ReadTimeSeries("ts.csv", strings.NewReader(c.file))
			if err == nil {
				t.Fatal("read without error")
			}
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "ts.csv") || !strings.Contains(err.Error(), c.want) ||
				strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one ErrFormat line naming ts.csv containing %q", err, c.want)
			}
		})
	}
}

// TestReadTimeSeriesOldFile: a file written before arrivals, in_service and
// abandoned existed still reads, with them as "none".
func TestReadTimeSeriesOldFile(t *testing.T) {
	h := strings.Join(TimeSeriesHeader[:13], ",")
	rows, _, err := ReadTimeSeries("old.csv", strings.NewReader(h+"\n60,,5,5,3,1,0,1,1,0,0,0,0.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r := rows[0]; r.Arrivals != -1 || r.InService != -1 || r.Abandoned != 0 || r.Leased != 5 || r.Queue != 3 || r.GoodputPerS != 0.5 {
		t.Fatalf("read %+v", r)
	}
}

// FuzzReadTimeSeries: any input either fails with ErrFormat or reads rows in
// increasing time with no negative time or goodput.
func FuzzReadTimeSeries(f *testing.F) {
	var b bytes.Buffer
	w, _ := NewTimeSeriesWriterExtra(&b, []string{"prop_backlog"})
	w.Write(TimeSeriesRow{T: 60, Queue: 1, Leased: 5, Expired: 5, Arrivals: -1, InService: -1, GoodputPerS: 0.5, Extra: []float64{2}})
	w.Write(TimeSeriesRow{T: 120, Queue: 0, Leased: -1, Expired: -1, Arrivals: 3, InService: 1})
	w.Flush()
	f.Add(b.String())
	f.Add(strings.Join(TimeSeriesHeader, ",") + "\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, _, err := ReadTimeSeries("f.csv", strings.NewReader(in))
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v is not ErrFormat", err)
			}
			return
		}
		for i, r := range rows {
			if r.T < 0 || r.GoodputPerS < 0 || (i > 0 && !(r.T > rows[i-1].T)) {
				t.Fatalf("row %d read as %+v", i, r)
			}
		}
	})
}
