package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strings"
	"testing"
)

// heapAllocated is the bytes allocated on the heap so far, cumulative: a
// command that allocates at most n in all never holds more than n.
func heapAllocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestReadersBoundedOnDevZero: merge, report, compare and plot given
// /dev/zero (as a file, and as every file of an attack directory) refuse
// it (exit 2, one line) having allocated at most 64 MiB in all. merge read
// 256 MiB into memory first (603 MB of heap) before refusing.
func TestReadersBoundedOnDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	for _, n := range []string{"summary.csv", "timeseries.csv", "latency.hlog", "results.bin"} {
		if err := os.Symlink("/dev/zero", filepath.Join(dir, n)); err != nil {
			t.Skip(err)
		}
	}
	for _, args := range [][]string{
		{"merge", "/dev/zero"},
		{"merge", "/dev/zero", "--out", filepath.Join(t.TempDir(), "m.csv")},
		{"report", "/dev/zero"},
		{"report", dir},
		{"compare", "/dev/zero"},
		{"plot", "/dev/zero", "--out", filepath.Join(t.TempDir(), "x.png")},
		{"attack", "--targets", "/dev/zero"},
	} {
		before := heapAllocated()
		code, _, errs := runCLI(t, context.Background(), args...)
		got := float64(heapAllocated()-before) / (1 << 20)
		t.Logf("%s: %.1f MiB allocated; %s", strings.Join(args, " "), got, strings.TrimSpace(errs))
		if code != 2 || strings.Count(errs, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want 2 and one line", args, code, errs)
		}
		if got > 64 {
			t.Errorf("%q: %.1f MiB allocated, want at most 64", args, got)
		}
	}
}
