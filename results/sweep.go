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

// SweepRecord is s as CSV fields, in SweepHeader's order.
func (s Summary) SweepRecord() []string { return withVary(s.Record(), s.Vary) }

func withVary(r []string, vary string) []string {
	out := make([]string, 0, len(r)+1)
	out = append(out, r[:2]...)
	out = append(out, vary)
	return append(out, r[2:]...)
}

// WriteSweep writes sweep.csv: the header and one row per summary.
func WriteSweep(w io.Writer, ss ...Summary) error {
	c := csv.NewWriter(w)
	if err := c.Write(SweepHeader); err != nil {
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
