package results

import (
	"testing"

	"github.com/aftershock/aftershock/internal/docstest"
)

// TestREADMEColumnsMatchTheFiles: the column lists in the docs' Output
// section are the headers the writers write, in order.
func TestREADMEColumnsMatchTheFiles(t *testing.T) {
	docstest.Columns(t, "## Output", map[string][]string{"DIR/timeseries.csv": TimeSeriesHeader, "DIR/summary.csv": SummaryHeader})
}
