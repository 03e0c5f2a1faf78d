package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrFormat marks every error caused by the contents of a result file.
var ErrFormat = errors.New("results: bad result file")

// ReadSummaries reads summary.csv or sweep.csv rows. Columns are found by
// header name, so files with columns added later still read; every column of
// SummaryHeader must be present, except the refusal counts (read as -1 when
// absent); sweep.csv's vary is read where present (empty where not); any
// other column is a model's own, kept as text in Columns and Values. A UTF-8
// byte-order mark before the header
// (spreadsheets write one) is skipped. A file has at most one row per run
// (Key), and every value must be one the writer could have written: no
// negative time, count or fraction, a recovery time exactly when recovered.
// Files over MaxLineBytes per line, MaxBytes or MaxRows are refused. name is
// used in errors, which are one line naming the file (quoted), the line and
// the column.
func ReadSummaries(name string, r io.Reader) ([]Summary, error) {
	var out []Summary
	err := ScanSummaries(name, r, func(_ int, s Summary) error {
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ScanSummaries reads rows as ReadSummaries does, handing each to fn (with
// its line) instead of keeping them: memory stays bounded by one row and
// the keys of the runs seen (duplicates are refused). fn's error ends the
// scan and is returned; a nil fn only checks.
func ScanSummaries(name string, r io.Reader, fn func(line int, s Summary) error) error {
	lr := &limitReader{r: r, name: name}
	c := csv.NewReader(lr)
	c.ReuseRecord = true
	header, err := c.Read()
	if err != nil {
		if lr.err != nil {
			return lr.err
		}
		return fmt.Errorf("%w: %q: no header row: %v", ErrFormat, name, oneLineErr(err))
	}
	header = slices.Clone(header)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	col := map[string]int{}
	for i, h := range header {
		if _, dup := col[h]; dup {
			return fmt.Errorf("%w: %q: header has column %q twice", ErrFormat, name, h)
		}
		col[h] = i
	}
	for _, h := range SummaryHeader {
		if _, ok := col[h]; !ok && !optionalColumns[h] {
			return fmt.Errorf("%w: %q: header lacks column %q (is this a summary.csv or sweep.csv?)", ErrFormat, name, h)
		}
	}
	// The columns the file has beyond summary.csv's and vary: a model's own,
	// kept in the file's order.
	known := map[string]bool{"vary": true}
	for _, h := range SummaryHeader {
		known[h] = true
	}
	var own []string
	var ownAt []int
	for i, h := range header {
		if !known[h] {
			own, ownAt = append(own, h), append(ownAt, i)
		}
	}
	seen := map[Key]int{} // line of each run's row
	for rows := 0; ; rows++ {
		rec, err := c.Read()
		if err == io.EOF {
			return nil
		}
		if lr.err != nil {
			return lr.err
		}
		if err != nil {
			return fmt.Errorf("%w: %q: %v", ErrFormat, name, oneLineErr(err))
		}
		line, _ := c.FieldPos(0)
		if rows == MaxRows {
			return fmt.Errorf("%w: %q:%d: more than %d rows", ErrFormat, name, line, MaxRows)
		}
		p := parser{name: name, line: line, rec: rec, col: col}
		s := Summary{
			Scenario: p.str("scenario"), Policy: p.str("policy"), Vary: p.optional("vary"), Seed: p.uint("seed"), Droplets: p.int("droplets"),
			Undefined: p.field("recovered") == Missing, Undetermined: p.field("recovered") == Undetermined,
			Recovered: p.field("recovered") != Missing && p.field("recovered") != Undetermined && p.bool("recovered"), RecoveryS: p.float("recovery_s"), IdealS: p.float("ideal_s"),
			RecoveredClock: p.clock("recovered_clock"), PeakQueue: p.int("peak_queue"),
			WastedFraction: p.float("wasted_fraction"), Amplification: p.float("amplification"),
			Sojourn: [4]float64{p.float("mean_sojourn_s"), p.float("p50_sojourn_s"), p.float("p99_sojourn_s"), p.float("p999_sojourn_s")},
			Events:  p.uint("events"), SimS: p.float("sim_s"), Complete: p.bool("complete"), WallS: p.float("wall_s"),
			AdmitRefusals: p.optInt("admit_refusals"), ClientRefusals: p.optInt("client_refusals"),
			RetryRefusals: p.optInt("retry_refusals"), QueueDrops: p.optInt("queue_drops"),
		}
		if len(own) > 0 {
			s.Columns, s.Values = own, make([]string, len(own))
			for j, i := range ownAt {
				s.Values[j] = rec[i]
			}
		}
		p.check(s)
		if p.err != nil {
			return p.err
		}
		k := KeyOf(s)
		if first, dup := seen[k]; dup {
			return fmt.Errorf("%w: %q:%d: duplicate run %s (first at line %d)", ErrFormat, name, line, k, first)
		}
		seen[k] = line
		if fn == nil {
			continue
		}
		if err := fn(line, s); err != nil {
			return err
		}
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
		p.err = fmt.Errorf("%w: %q:%d: %s = %q: want %s", ErrFormat, p.name, p.line, k, v, want)
	}
}

func (p *parser) str(k string) string { return p.field(k) }

// optional is a column files before it lack: "" when absent.
func (p *parser) optional(k string) string {
	if _, ok := p.col[k]; !ok {
		return ""
	}
	return p.field(k)
}

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

// optInt is int for a column the file may lack: -1 when absent.
func (p *parser) optInt(k string) int {
	if _, ok := p.col[k]; !ok {
		return -1
	}
	return p.int(k)
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

// check rejects values the writer never writes.
func (p *parser) check(s Summary) {
	for _, f := range []struct {
		k string
		v float64
	}{{"recovery_s", s.RecoveryS}, {"ideal_s", s.IdealS}, {"amplification", s.Amplification},
		{"mean_sojourn_s", s.Sojourn[0]}, {"p50_sojourn_s", s.Sojourn[1]}, {"p99_sojourn_s", s.Sojourn[2]},
		{"p999_sojourn_s", s.Sojourn[3]}, {"sim_s", s.SimS}, {"wall_s", s.WallS}} {
		if f.v < 0 {
			p.fail(f.k, p.field(f.k), "a number >= 0 or empty")
		}
	}
	if w := s.WastedFraction; w < 0 || w > 1 {
		p.fail("wasted_fraction", p.field("wasted_fraction"), "a fraction from 0 to 1")
	}
	if v := s.Vary; v != "" && (!strings.Contains(v, "=") || strings.HasPrefix(v, "=")) {
		p.fail("vary", v, "empty or KEY=VALUE;KEY=VALUE...")
	}
	if s.Recovered == math.IsNaN(s.RecoveryS) {
		p.fail("recovery_s", p.field("recovery_s"), fmt.Sprintf("a number exactly when recovered (recovered = %t)", s.Recovered))
	}
	for _, k := range []string{"wasted_fraction", "sim_s"} {
		// A live run (vary time_scale=S: loadgen rank-live, an attack's
		// row) does not see the server's work, so has no wasted fraction.
		if p.field(k) == Missing && !(k == "wasted_fraction" && strings.HasPrefix(s.Vary, "time_scale=")) {
			p.fail(k, "", "a number")
		}
	}
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
