package record

import (
	"testing"

	"github.com/aftershock/aftershock/internal/docstest"
)

// TestREADMEColumnsMatchTheFiles: the column lists in the docs' live-mode
// outputs section are the headers the Writer writes, in order.
func TestREADMEColumnsMatchTheFiles(t *testing.T) {
	docstest.Columns(t, "### Live mode: outputs and report", map[string][]string{"DIR/timeseries.csv": TimeSeriesHeader, "DIR/summary.csv": SummaryHeader})
}
