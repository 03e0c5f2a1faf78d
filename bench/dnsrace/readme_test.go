package dnsrace_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench/dnsrace"
	"github.com/aftershock/aftershock/internal/docstest"
)

// TestREADMERaceTable recomputes the docs' table of how often the race
// empties the record (BenchmarkRace's figures) and checks every cell: the
// racy ones here; the fixed column's zeros are TestFixedNeverEmpties's
// property over the same seeds and delays.
func TestREADMERaceTable(t *testing.T) {
	f, text := docstest.Section(t, "## The trigger as a model")
	label := map[string]string{"1s": "1 s", "2s": "2 s (default)", "5s": "5 s", "10s": "10 s", "20s": "20 s", "1m": "1 min"}
	if !strings.Contains(text, "go test ./bench/dnsrace -run '^$' -bench Race -benchtime 1x") {
		t.Errorf("%s does not name the command that produces its table", f.Path)
	}
	for _, mean := range raceMeans {
		p, stale := raceShare(t, mean, dnsrace.Racy)
		row := fmt.Sprintf("| %s | %.3f | %.1f | 0 |", label[mean], p, stale)
		if !strings.Contains(text, row+"\n") {
			t.Errorf("%s lacks the row %q", f.Path, row)
		}
	}
}
