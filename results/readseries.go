package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// seriesOptional are columns of TimeSeriesHeader that files written before
// them lack; they read as "none" (-1, or 0 for abandoned).
var seriesOptional = map[string]bool{"arrivals": true, "in_service": true, "abandoned": true}

// ReadTimeSeries reads timeseries.csv rows, and the names of the model's
// extra columns (those after TimeSeriesHeader's, whose values land in each
// row's Extra, NaN where empty). Columns are found by header name; every
// column of TimeSeriesHeader must be present but arrivals, in_service and
// abandoned (added later). Rows must come in increasing t_s, and no count may
// be negative. Limits and errors are those of ReadSummaries: one line naming
// the file, the line and the column.
func ReadTimeSeries(name string, r io.Reader) ([]TimeSeriesRow, []string, error) {
	lr := &limitReader{r: r, name: name}
	c := csv.NewReader(lr)
	header, err := c.Read()
	if err != nil {
		if lr.err != nil {
			return nil, nil, lr.err
		}
		return nil, nil, fmt.Errorf("%w: %q: no header row: %v", ErrFormat, name, oneLineErr(err))
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	col := map[string]int{}
	for i, h := range header {
		if _, dup := col[h]; dup {
			return nil, nil, fmt.Errorf("%w: %q: header has column %q twice", ErrFormat, name, h)
		}
		col[h] = i
	}
	std := map[string]bool{}
	for _, h := range TimeSeriesHeader {
		std[h] = true
		if _, ok := col[h]; !ok && !seriesOptional[h] {
			return nil, nil, fmt.Errorf("%w: %q: header lacks column %q (is this a timeseries.csv?)", ErrFormat, name, h)
		}
	}
	var extra []string
	for _, h := range header {
		if !std[h] {
			extra = append(extra, h)
		}
	}
	var out []TimeSeriesRow
	for {
		rec, err := c.Read()
		if err == io.EOF {
			return out, extra, nil
		}
		if lr.err != nil {
			return nil, nil, lr.err
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %q: %v", ErrFormat, name, oneLineErr(err))
		}
		line, _ := c.FieldPos(0)
		if len(out) == MaxRows {
			return nil, nil, fmt.Errorf("%w: %q:%d: more than %d rows", ErrFormat, name, line, MaxRows)
		}
		p := parser{name: name, line: line, rec: rec, col: col}
		row := TimeSeriesRow{
			T: p.float("t_s"), Clock: p.clock("clock"), Leased: p.int("leased"), Expired: p.int("expired"),
			Queue: p.int("queue"), Attempts: p.uint("attempts"), Rejected: p.uint("rejected"),
			Completed: p.uint("completed"), Good: p.uint("good"), TimedOut: p.uint("timed_out"),
			Wasted: p.uint("wasted"), Dropped: p.uint("dropped"), GoodputPerS: p.float("goodput_per_s"),
			Arrivals: int64(p.optInt("arrivals")), InService: p.optInt("in_service"),
		}
		if _, ok := col["abandoned"]; ok {
			row.Abandoned = p.uint("abandoned")
		}
		for _, h := range extra {
			row.Extra = append(row.Extra, p.float(h))
		}
		for _, k := range []string{"t_s", "queue", "goodput_per_s"} {
			if p.field(k) == Missing {
				p.fail(k, "", "a number")
			}
		}
		if row.T < 0 {
			p.fail("t_s", p.field("t_s"), "a number >= 0")
		}
		if row.GoodputPerS < 0 {
			p.fail("goodput_per_s", p.field("goodput_per_s"), "a number >= 0")
		}
		if n := len(out); n > 0 && !(row.T > out[n-1].T) {
			p.fail("t_s", p.field("t_s"), fmt.Sprintf("a time after the previous row's %g", out[n-1].T))
		}
		if p.err != nil {
			return nil, nil, p.err
		}
		out = append(out, row)
	}
}
