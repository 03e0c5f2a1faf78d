package record

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/internal/docstest"
)

// TestREADMEColumnsMatchTheFiles: the column lists in the docs' live-mode
// outputs section are the headers the Writer writes, in order.
func TestREADMEColumnsMatchTheFiles(t *testing.T) {
	f, section := docstest.Section(t, "### Live mode: outputs and report")
	for _, c := range []struct {
		file   string
		header []string
	}{{"DIR/timeseries.csv", TimeSeriesHeader}, {"DIR/summary.csv", SummaryHeader}} {
		i := strings.Index(section, "`"+c.file+"`")
		if i < 0 {
			t.Errorf("%s: the section does not name `%s`", f.Path, c.file)
			continue
		}
		m := regexp.MustCompile("`([a-z0-9_]+(?:,[a-z0-9_]+)+)`").FindStringSubmatch(section[i:])
		if m == nil || m[1] != strings.Join(c.header, ",") {
			t.Errorf("%s lists %s's columns as %v, the writer writes\n%s", f.Path, c.file, m, strings.Join(c.header, ","))
		}
	}
}
