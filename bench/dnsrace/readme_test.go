package dnsrace_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench/dnsrace"
)

// TestREADMERaceTable recomputes the README's table of how often the race
// empties the record (BenchmarkRace's figures) and checks every cell: the
// racy ones here; the fixed column's zeros are TestFixedNeverEmpties's
// property over the same seeds and delays.
func TestREADMERaceTable(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	label := map[string]string{"1s": "1 s", "2s": "2 s (default)", "5s": "5 s", "10s": "10 s", "20s": "20 s", "1m": "1 min"}
	text := string(b)
	if !strings.Contains(text, "go test ./bench/dnsrace -run '^$' -bench Race -benchtime 1x") {
		t.Error("the README does not name the command that produces its table")
	}
	for _, mean := range raceMeans {
		p, stale := raceShare(t, mean, dnsrace.Racy)
		row := fmt.Sprintf("| %s | %.3f | %.1f | 0 |", label[mean], p, stale)
		if !strings.Contains(text, row+"\n") {
			t.Errorf("README lacks the row %q", row)
		}
	}
}
