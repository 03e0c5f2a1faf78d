package results

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/internal/docstest"
)

// TestREADMEColumnsMatchTheFiles: the column lists in the docs' Output
// section are the headers the writers write, in order.
func TestREADMEColumnsMatchTheFiles(t *testing.T) {
	f, section := docstest.Section(t, "## Output")
	// A list is the first code span after the bullet naming its file.
	for _, c := range []struct {
		file   string
		header []string
	}{{"DIR/timeseries.csv", TimeSeriesHeader}, {"DIR/summary.csv", SummaryHeader}} {
		i := strings.Index(section, "`"+c.file+"`")
		if i < 0 {
			t.Errorf("%s's Output section does not name `%s`", f.Path, c.file)
			continue
		}
		m := regexp.MustCompile("`([a-z0-9_]+(?:,[a-z0-9_]+)+)`").FindStringSubmatch(section[i:])
		if m == nil {
			t.Errorf("%s: no column list after `%s`", f.Path, c.file)
			continue
		}
		if got, want := m[1], strings.Join(c.header, ","); got != want {
			t.Errorf("%s lists %s's columns as\n%s\nthe writer writes\n%s", f.Path, c.file, got, want)
		}
	}
}
