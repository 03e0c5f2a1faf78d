package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
)

// ErrFormat marks every error caused by the contents of a result file.
var ErrFormat = errors.New("results: bad result file")

// ReadSummaries reads summary.csv or sweep.csv rows. Columns are found by
// header name, so files with columns added later still read; every column of
// SummaryHeader must be present. name is used in errors, which are one line
// naming the file, the line and the column.
func ReadSummaries(name string, r io.Reader) ([]Summary, error) {
	c := csv.NewReader(r)
	c.ReuseRecord = false
	header, err := c.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: no header row: %v", ErrFormat, name, oneLineErr(err))
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, h := range SummaryHeader {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("%w: %s: header lacks column %q (is this a summary.csv or sweep.csv?)", ErrFormat, name, h)
		}
	}
	var out []Summary
	for {
		rec, err := c.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrFormat, name, oneLineErr(err))
		}
		line, _ := c.FieldPos(0)
		p := parser{name: name, line: line, rec: rec, col: col}
		s := Summary{
			Scenario: p.str("scenario"), Policy: p.str("policy"), Seed: p.uint("seed"), Droplets: p.int("droplets"),
			Recovered: p.bool("recovered"), RecoveryS: p.float("recovery_s"), IdealS: p.float("ideal_s"),
			RecoveredClock: p.clock("recovered_clock"), PeakQueue: p.int("peak_queue"),
			WastedFraction: p.float("wasted_fraction"), Amplification: p.float("amplification"),
			Sojourn: [4]float64{p.float("mean_sojourn_s"), p.float("p50_sojourn_s"), p.float("p99_sojourn_s"), p.float("p999_sojourn_s")},
			Events:  p.uint("events"), SimS: p.float("sim_s"), Complete: p.bool("complete"), WallS: p.float("wall_s"),
		}
		if p.err != nil {
			return nil, p.err
		}
		out = append(out, s)
	}
}

// parser reads typed fields of one record, keeping the first error.
type parser struct {
	name string
	line int
	rec  []string
	col  map[string]int
	err  error
}

func (p *parser) field(k string) string { return p.rec[p.col[k]] }

func (p *parser) fail(k, v, want string) {
	if p.err == nil {
		p.err = fmt.Errorf("%w: %s:%d: %s = %q: want %s", ErrFormat, p.name, p.line, k, v, want)
	}
}

func (p *parser) str(k string) string { return p.field(k) }

func (p *parser) float(k string) float64 {
	v := p.field(k)
	if v == Missing {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		p.fail(k, v, "a number or empty")
	}
	return f
}

func (p *parser) int(k string) int {
	v := p.field(k)
	if v == Missing {
		return -1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		p.fail(k, v, "a whole number or empty")
	}
	return n
}

func (p *parser) uint(k string) uint64 {
	v := p.field(k)
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		p.fail(k, v, "a whole number")
	}
	return n
}

func (p *parser) bool(k string) bool {
	v := p.field(k)
	b, err := strconv.ParseBool(v)
	if err != nil || (v != "true" && v != "false") {
		p.fail(k, v, "true or false")
	}
	return b
}

func (p *parser) clock(k string) time.Time {
	v := p.field(k)
	if v == Missing {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		p.fail(k, v, "an RFC 3339 time or empty")
	}
	return t
}

func oneLineErr(err error) string {
	s := err.Error()
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
