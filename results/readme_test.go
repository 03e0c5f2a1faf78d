package results

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEColumnsMatchTheFiles: the column lists in the README's Output
// section are the headers the writers write, in order.
func TestREADMEColumnsMatchTheFiles(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "\n## Output\n")
	if start < 0 {
		t.Fatal("README has no \"## Output\" section")
	}
	section := text[start+1:]
	if end := strings.Index(section[1:], "\n## "); end >= 0 {
		section = section[:end+1]
	}
	// A list is the first code span after the bullet naming its file.
	for _, c := range []struct {
		file   string
		header []string
	}{{"DIR/timeseries.csv", TimeSeriesHeader}, {"DIR/summary.csv", SummaryHeader}} {
		i := strings.Index(section, "`"+c.file+"`")
		if i < 0 {
			t.Errorf("README's Output section does not name `%s`", c.file)
			continue
		}
		m := regexp.MustCompile("`([a-z0-9_]+(?:,[a-z0-9_]+)+)`").FindStringSubmatch(section[i:])
		if m == nil {
			t.Errorf("README: no column list after `%s`", c.file)
			continue
		}
		if got, want := m[1], strings.Join(c.header, ","); got != want {
			t.Errorf("README lists %s's columns as\n%s\nthe writer writes\n%s", c.file, got, want)
		}
	}
}
