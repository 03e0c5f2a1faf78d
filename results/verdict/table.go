package verdict

import (
	"slices"

	"github.com/aftershock/aftershock/results"
)

// Table is a kind of row assertions judge: its columns, in the order of the
// row's CSV fields, and what each holds. A column in Bool holds true or
// false (bare, negated, == or !=); one in Text is compared as text (== and
// != only); every other column holds a number, and one whose name ends in
// _s also takes a Go duration (in seconds), _ms a duration in milliseconds.
type Table struct {
	Columns []string
	Bool    []string
	Text    []string
}

// Sweep is sweep.csv's table (summary.csv's columns and vary): the one
// Parse and Holds use.
var Sweep = Table{
	Columns: results.SweepHeader,
	Bool:    []string{"recovered", "complete"},
	Text:    []string{"scenario", "policy", "vary", "recovered_clock"},
}

func (t Table) kindOf(col string) kind {
	switch {
	case slices.Contains(t.Bool, col):
		return boolean
	case slices.Contains(t.Text, col):
		return text
	}
	return number
}
