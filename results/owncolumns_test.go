package results

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestOwnColumnsRoundTrip: a model's own columns are written after the
// standard ones (and after vary in sweep.csv's standard ones), read back by
// name in the file's order, and rows of one file must share them.
func TestOwnColumnsRoundTrip(t *testing.T) {
	a, b := sample(), sample()
	b.Seed = 4
	for i, s := range []*Summary{&a, &b} {
		s.Columns = []string{"event_end_clock", "conn_error_share"}
		s.Values = []string{"2025-10-20T10:31:00-07:00", []string{"0.1129", ""}[i]}
	}
	var buf bytes.Buffer
	if err := WriteSweep(&buf, a, b); err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(buf.String(), "\n")
	if !strings.HasSuffix(header, ",queue_drops,event_end_clock,conn_error_share") || !strings.HasPrefix(header, "scenario,policy,vary,seed,") {
		t.Fatalf("header %q", header)
	}
	out, err := ReadSummaries("sweep.csv", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || !slices.Equal(out[0].Columns, a.Columns) || !slices.Equal(out[1].Values, b.Values) || out[0].Values[1] != "0.1129" {
		t.Fatalf("read back %+v", out)
	}
	if got, want := out[1].SweepRecord(), b.SweepRecord(); !slices.Equal(got, want) {
		t.Errorf("record read back %v, written %v", got, want)
	}
	b.Columns = []string{"other"}
	b.Values = []string{"1"}
	if err := WriteSummaries(&buf, a, b); err == nil || !strings.HasPrefix(err.Error(), "results: ") {
		t.Errorf("rows of different columns in one file: %v", err)
	}
	b.Values = nil
	if err := WriteSummaries(&buf, b); err == nil {
		t.Error("a row with fewer values than columns was written")
	}
}
