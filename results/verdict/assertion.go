package verdict

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/results"
)

// Op is a comparison operator.
type Op string

// The operators, and Is (a bare bool column) and Not (a negated one).
const (
	Less      Op = "<"
	LessEq    Op = "<="
	Greater   Op = ">"
	GreaterEq Op = ">="
	Equal     Op = "=="
	NotEqual  Op = "!="
	Is        Op = ""
	Not       Op = "!"
)

// operators in the order they are looked for: two-character ones first.
var operators = []Op{LessEq, GreaterEq, Equal, NotEqual, Less, Greater}

// kind is what a column holds.
type kind int

const (
	number kind = iota
	boolean
	text
	instant // an RFC 3339 time: ordered by when it is
)

// Assertion is one parsed expression: Column Op Value.
type Assertion struct {
	Expr   string // as given, trimmed
	Column string
	Op     Op
	Value  string    // as given; "" for Is and Not
	num    float64   // Value as a number (seconds or milliseconds for a duration), for a number column
	at     time.Time // Value as an instant, for a clock column
	index  int       // Column's index in the table's rows
	kind   kind      // what Column holds
	width  int       // the table's columns: a row of another width is not judged
}

// Parse reads one expression over sweep.csv's columns (Sweep.Parse).
// Errors name the expression and what is wrong: an unknown column (with the
// columns there are), an operator the column does not take, a value that is
// not a number.
func Parse(expr string) (Assertion, error) { return Sweep.Parse(expr) }

// Parse reads one expression over t's columns; see the package Parse.
func (t Table) Parse(expr string) (Assertion, error) {
	e := strings.TrimSpace(expr)
	a := Assertion{Expr: e}
	if e == "" {
		return a, fmt.Errorf("verdict: empty assertion (want e.g. recovered or recovery_s<7200)")
	}
	col, val := e, ""
	for _, op := range operators {
		if i := strings.Index(e, string(op)); i >= 0 {
			col, a.Op, val = e[:i], op, e[i+len(op):]
			break
		}
	}
	col, a.Value = strings.TrimSpace(col), strings.TrimSpace(val)
	if a.Op == Is && strings.HasPrefix(col, "!") {
		col, a.Op = strings.TrimSpace(col[1:]), Not
	}
	a.Column = col
	a.index, a.kind, a.width = slices.Index(t.Columns, col), t.kindOf(col), len(t.Columns)
	if a.index < 0 && strings.ContainsAny(col, "<>=!") {
		return a, fmt.Errorf("verdict: %q: no column and operator in it (operators: < <= > >= == !=; a bool column alone or with !)", e)
	}
	if a.index < 0 {
		return a, fmt.Errorf("verdict: %q: unknown column %q (columns: %s)", e, col, strings.Join(t.Columns, ", "))
	}
	switch k := a.kind; {
	case a.Op == Is || a.Op == Not:
		if k != boolean {
			return a, fmt.Errorf("verdict: %q: %s is not true or false: give an operator and a value, e.g. %s<7200", e, col, col)
		}
	case a.Value == "":
		return a, fmt.Errorf("verdict: %q: no value after %s", e, a.Op)
	case k != text && strings.ContainsAny(a.Value, "<>=!"):
		return a, fmt.Errorf("verdict: %q: more than one operator", e)
	case k == boolean:
		if a.Op != Equal && a.Op != NotEqual {
			return a, fmt.Errorf("verdict: %q: %s is true or false: write %s or !%s", e, col, col, col)
		}
		b, err := strconv.ParseBool(a.Value)
		if err != nil || (a.Value != "true" && a.Value != "false") {
			return a, fmt.Errorf("verdict: %q: %s is true or false, not %q", e, col, a.Value)
		}
		if b == (a.Op == Equal) {
			a.Op = Is
		} else {
			a.Op = Not
		}
		a.Value = ""
	case k == text:
		if a.Op != Equal && a.Op != NotEqual {
			return a, fmt.Errorf("verdict: %q: %s is text: only == and != compare it", e, col)
		}
	case k == instant:
		at, err := time.Parse(time.RFC3339, a.Value)
		if err != nil {
			return a, fmt.Errorf("verdict: %q: %s is a clock: want an RFC 3339 instant as the file writes it (2025-10-20T09:36:00-07:00), not %q", e, col, a.Value)
		}
		a.at = at
	default:
		f, err := strconv.ParseFloat(a.Value, 64)
		if err != nil && strings.HasSuffix(col, "_s") {
			d, derr := time.ParseDuration(a.Value)
			f, err = d.Seconds(), derr
		}
		if err != nil && strings.HasSuffix(col, "_ms") {
			d, derr := time.ParseDuration(a.Value)
			f, err = float64(d)/float64(time.Millisecond), derr
		}
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			want := "a number"
			if strings.HasSuffix(col, "_s") {
				want = "a number of seconds or a duration (2h)"
			}
			if strings.HasSuffix(col, "_ms") {
				want = "a number of milliseconds or a duration (250ms)"
			}
			return a, fmt.Errorf("verdict: %q: value %q is not %s", e, a.Value, want)
		}
		a.num = f
	}
	return a, nil
}

// ParseAll parses every expression, failing at the first bad one.
func ParseAll(exprs []string) ([]Assertion, error) {
	as := make([]Assertion, 0, len(exprs))
	for _, e := range exprs {
		a, err := Parse(e)
		if err != nil {
			return nil, err
		}
		as = append(as, a)
	}
	return as, nil
}

// MustParse is Parse for expressions fixed in code; it panics on a bad one.
func MustParse(expr string) Assertion {
	a, err := Parse(expr)
	if err != nil {
		panic(err)
	}
	return a
}

// String is the expression.
func (a Assertion) String() string { return a.Expr }

// Holds reports whether s satisfies a, and the value it judged (as written
// in the file; "" when empty); for an assertion parsed over sweep.csv's
// columns (Parse).
func (a Assertion) Holds(s results.Summary) (ok bool, value string) {
	return a.HoldsRecord(s.SweepRecord())
}

// HoldsRecord reports whether a row of a's table, as its CSV fields,
// satisfies a, and the value it judged ("" when empty). A row of another
// width holds nothing.
func (a Assertion) HoldsRecord(rec []string) (ok bool, value string) {
	if len(rec) != a.width {
		return false, ""
	}
	v := rec[a.index]
	if v == results.Missing {
		return false, v
	}
	switch a.Op {
	case Is:
		return v == "true", v
	case Not:
		return v == "false", v
	}
	if a.kind == text {
		return (v == a.Value) == (a.Op == Equal), v
	}
	if a.kind == instant {
		at, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return false, v
		}
		return compare(a.Op, float64(at.Compare(a.at)), 0), v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return false, v
	}
	return compare(a.Op, f, a.num), v
}

// compare is f op x.
func compare(op Op, f, x float64) bool {
	switch op {
	case Less:
		return f < x
	case LessEq:
		return f <= x
	case Greater:
		return f > x
	case GreaterEq:
		return f >= x
	case Equal:
		return f == x
	}
	return f != x
}
