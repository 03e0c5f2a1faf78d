package verdict

import (
	"fmt"

	"github.com/aftershock/aftershock/results"
)

var _ error = Failure{}

// Failure is an assertion that some rows failed.
type Failure struct {
	Assertion Assertion
	Failed    int             // rows that failed it
	Rows      int             // rows judged
	First     results.Summary // the first row that failed
	Value     string          // First's value of the column, as written; "" when empty
}

// Error is one line: the assertion, how many rows failed it, the first row
// and its value.
func (f Failure) Error() string {
	v := f.Value
	if v == results.Missing {
		v = "empty"
		if f.Assertion.Column == "recovery_s" || f.Assertion.Column == "recovery_ratio" || f.Assertion.Column == "recovered" {
			v = "empty (" + recoveredWord(f.First) + ")"
		}
	}
	runs := ""
	if f.Rows > 1 {
		runs = fmt.Sprintf(" in %d of %d runs, first", f.Failed, f.Rows)
	}
	return fmt.Sprintf("verdict: %s failed%s: %s is %s (%s)", f.Assertion, runs, f.Assertion.Column, v, results.KeyOf(f.First))
}

func recoveredWord(s results.Summary) string {
	switch {
	case s.Undefined:
		return "no trigger: recovery not defined"
	case s.Undetermined:
		return "undetermined: too little evidence to judge recovery"
	case !s.Recovered:
		return "never recovered"
	}
	return "no ideal"
}

// Check judges every row against every assertion and returns one Failure
// per assertion that some row failed, in the assertions' order; nil when all
// hold. An assertion over no rows fails nothing.
func Check(ss []results.Summary, as ...Assertion) []Failure {
	var fs []Failure
	for _, a := range as {
		f := Failure{Assertion: a, Rows: len(ss)}
		for _, s := range ss {
			if ok, v := a.Holds(s); !ok {
				if f.Failed == 0 {
					f.First, f.Value = s, v
				}
				f.Failed++
			}
		}
		if f.Failed > 0 {
			fs = append(fs, f)
		}
	}
	return fs
}

// TB is the part of testing.TB that Require uses.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// Require is Check for a Go test: it parses exprs and reports each bad
// expression and each failed assertion with t.Errorf. It returns whether
// every assertion held.
func Require(t TB, ss []results.Summary, exprs ...string) bool {
	t.Helper()
	ok := true
	var as []Assertion
	for _, e := range exprs {
		a, err := Parse(e)
		if err != nil {
			t.Errorf("%v", err)
			ok = false
			continue
		}
		as = append(as, a)
	}
	for _, f := range Check(ss, as...) {
		t.Errorf("%v", f)
		ok = false
	}
	return ok
}
