package record

import (
	"os"
	"path/filepath"
	"testing"
)

// seedFiles are a real attack's files, for the fuzzers' corpora.
func seedFiles(f *testing.F) map[string][]byte {
	f.Helper()
	dir := f.TempDir()
	o := opts(dir)
	w, err := Create(o)
	if err != nil {
		f.Fatal(err)
	}
	as := synthetic(30)
	for i := range as {
		w.Add(&as[i].r)
	}
	w.Tick(tickAt(1, 1))
	if err := w.Close(whole(60)); err != nil {
		f.Fatal(err)
	}
	out := map[string][]byte{}
	suffix := "" // a summary that breaks an invariant keeps the files .partial
	if w.Kept() {
		suffix = ".partial"
	}
	for _, n := range []string{ResultsFile, LatencyFile, TimeSeriesFile, SummaryFile} {
		b, err := os.ReadFile(filepath.Join(dir, n+suffix))
		if err != nil {
			f.Fatal(err)
		}
		out[n] = b
	}
	return out
}

// fuzzFile runs read on b written to a file: it must return, never panic.
func fuzzFile(f *testing.F, seed []byte, read func(path string) error) {
	f.Add(seed)
	f.Add([]byte{})
	f.Add([]byte("\x00\x01\xff binary [[[\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		read(p)
	})
}

func FuzzReadResults(f *testing.F) {
	fuzzFile(f, seedFiles(f)[ResultsFile], func(p string) error { _, err := ReadResults(p); return err })
}

func FuzzReadLatency(f *testing.F) {
	fuzzFile(f, seedFiles(f)[LatencyFile], func(p string) error { _, err := readLatency(p); return err })
}

func FuzzReadSummary(f *testing.F) {
	fuzzFile(f, seedFiles(f)[SummaryFile], func(p string) error { _, err := ReadSummary(p); return err })
}

func FuzzReadTimeSeries(f *testing.F) {
	fuzzFile(f, seedFiles(f)[TimeSeriesFile], func(p string) error { _, err := readTimeSeries(p); return err })
}
