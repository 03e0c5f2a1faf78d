package verdict

import (
	"slices"
	"strings"

	"github.com/aftershock/aftershock/results"
)

// Table is a kind of row assertions judge: its columns, in the order of the
// row's CSV fields, and what each holds. A column in Bool holds true or
// false (bare, negated, == or !=); one in Text is compared as text (== and
// != only); one in Clock holds an RFC 3339 instant, compared with an
// instant written so by when it is (every operator; == holds for the same
// instant in another offset); every other column holds a number, and one
// whose name ends in _s also takes a Go duration (in seconds), _ms a
// duration in milliseconds.
type Table struct {
	Columns []string
	Bool    []string
	Text    []string
	Clock   []string
}

// Sweep is sweep.csv's table (summary.csv's columns and vary): the one
// Parse and Holds use.
var Sweep = Table{
	Columns: results.SweepHeader,
	Bool:    []string{"recovered", "complete"},
	Text:    []string{"scenario", "policy", "vary"},
	Clock:   []string{"recovered_clock"},
}

func (t Table) kindOf(col string) kind {
	switch {
	case slices.Contains(t.Bool, col):
		return boolean
	case slices.Contains(t.Text, col):
		return text
	case slices.Contains(t.Clock, col):
		return instant
	}
	return number
}

// With is t with columns added after its own: a model's own summary.csv
// columns (results.Summary.Columns, the cascade's milestones and stage
// measures). One ending in _clock holds an RFC 3339 instant (Clock), any
// other a number. Without columns it is t.
func (t Table) With(columns []string) Table {
	if len(columns) == 0 {
		return t
	}
	w := Table{Columns: slices.Concat(t.Columns, columns), Bool: t.Bool, Text: t.Text, Clock: slices.Clone(t.Clock)}
	for _, c := range columns {
		if strings.HasSuffix(c, "_clock") {
			w.Clock = append(w.Clock, c)
		}
	}
	return w
}
