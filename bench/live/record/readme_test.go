package record

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEColumnsMatchTheFiles: the column lists in the README's live-mode
// outputs section are the headers the Writer writes, in order.
func TestREADMEColumnsMatchTheFiles(t *testing.T) {
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "\n### Live mode: outputs and report\n")
	if start < 0 {
		t.Fatal(`README has no "### Live mode: outputs and report" section`)
	}
	section := text[start+1:]
	if end := strings.Index(section[1:], "\n#"); end >= 0 {
		section = section[:end+1]
	}
	for _, c := range []struct {
		file   string
		header []string
	}{{"DIR/timeseries.csv", TimeSeriesHeader}, {"DIR/summary.csv", SummaryHeader}} {
		i := strings.Index(section, "`"+c.file+"`")
		if i < 0 {
			t.Errorf("the section does not name `%s`", c.file)
			continue
		}
		m := regexp.MustCompile("`([a-z0-9_]+(?:,[a-z0-9_]+)+)`").FindStringSubmatch(section[i:])
		if m == nil || m[1] != strings.Join(c.header, ",") {
			t.Errorf("README lists %s's columns as %v, the writer writes\n%s", c.file, m, strings.Join(c.header, ","))
		}
	}
}
