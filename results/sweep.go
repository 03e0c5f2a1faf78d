package results

import (
	"encoding/csv"
	"io"
)

// SweepHeader is sweep.csv's header: SummaryHeader with vary after policy,
// so a row names everything that tells its run apart (scenario, policy,
// vary, seed, droplets). vary is the run's `--vary` values,
// "dwfm.check_interval=90s;service.workers=2" (the keys in the order given,
// the values as written), and empty when nothing was varied.
var SweepHeader = withVary(SummaryHeader, "vary")

// SweepRecord is s as CSV fields, in SweepHeaderOf(s)'s order.
func (s Summary) SweepRecord() []string { return withVary(s.Record(), s.Vary) }

// SweepHeaderOf is the sweep.csv header of s's row: SweepHeader, then s's
// own Columns.
func SweepHeaderOf(s Summary) []string { return withVary(s.Header(), "vary") }

func withVary(r []string, vary string) []string {
	out := make([]string, 0, len(r)+1)
	out = append(out, r[:2]...)
	out = append(out, vary)
	return append(out, r[2:]...)
}

// WriteSweep writes sweep.csv: the header (the first summary's,
// SweepHeaderOf) and one row per summary, all with the same columns.
func WriteSweep(w io.Writer, ss ...Summary) error {
	header := SweepHeader
	if len(ss) > 0 {
		header = SweepHeaderOf(ss[0])
	}
	if err := sameColumns(ss); err != nil {
		return err
	}
	c := csv.NewWriter(w)
	if err := c.Write(header); err != nil {
		return err
	}
	for _, s := range ss {
		if err := c.Write(s.SweepRecord()); err != nil {
			return err
		}
	}
	c.Flush()
	return c.Error()
}
