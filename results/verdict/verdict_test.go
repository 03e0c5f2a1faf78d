package verdict

import (
	"math"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/results"
)

var _ TB = (testing.TB)(nil)

func row(recovered bool, recovery float64) results.Summary {
	s := results.Summary{Scenario: "us-east-1", Policy: "queue-size", Seed: 3, Droplets: 2000, Recovered: recovered,
		RecoveryS: recovery, IdealS: 1000, PeakQueue: 40, WastedFraction: 0.05, Amplification: 1.5,
		Sojourn: [4]float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}, Complete: true,
		AdmitRefusals: 7, ClientRefusals: -1, RetryRefusals: -1, QueueDrops: -1}
	if !recovered {
		s.RecoveryS = math.NaN()
	}
	return s
}

// TestHolds: each operator on each kind of column, judged on the value as
// written (recovery_ratio 1.2 is written 1.2000; 1.20004 rounds to it).
func TestHolds(t *testing.T) {
	ok, never := row(true, 1200.04), row(false, 0)
	undefined := ok
	undefined.Undefined, undefined.Recovered, undefined.RecoveryS = true, false, math.NaN()
	for _, c := range []struct {
		expr string
		s    results.Summary
		want bool
	}{
		{"recovered", ok, true},
		{"recovered", never, false},
		{"!recovered", never, true},
		{"! recovered", ok, false},
		{"recovered==true", ok, true},
		{"recovered!=true", never, true},
		{"recovered == false", ok, false},
		{"recovered", undefined, false},
		{"!recovered", undefined, false}, // empty fails everything
		{"complete", ok, true},
		{"recovery_s<7200", ok, true},
		{"recovery_s<1200", ok, false},
		{"recovery_s<=1200.04", ok, true},
		{"recovery_s<20m1s", ok, true},
		{"recovery_s<20m", ok, false},
		{"recovery_s<7200", never, false}, // never recovered: empty
		{"recovery_s>=0", never, false},
		{"recovery_s!=5", never, false},
		{"recovery_ratio<=1.2", ok, true}, // 1.20004 is written 1.2000
		{"recovery_ratio<1.2", ok, false},
		{"recovery_ratio>1", ok, true},
		{"wasted_fraction<0.1", ok, true},
		{"wasted_fraction<0.05", ok, false},
		{"amplification==1.5", ok, true},
		{"amplification!=1.5", ok, false},
		{"peak_queue>40", ok, false},
		{"peak_queue>=40", ok, true},
		{"admit_refusals<10", ok, true},
		{"queue_drops==0", ok, false}, // no queue control: empty
		{"mean_sojourn_s<1", ok, false},
		{"droplets==2000", ok, true},
		{"seed==3", ok, true},
		{"policy==queue-size", ok, true},
		{"policy!=queue-size", ok, false},
		{"scenario!=mm1", ok, true},
		{"vary==x=1", ok, false}, // empty vary
	} {
		a, err := Parse(c.expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.expr, err)
			continue
		}
		if got, v := a.Holds(c.s); got != c.want {
			t.Errorf("%q on %s (value %q) = %v, want %v", c.expr, results.KeyOf(c.s), v, got, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{"", "empty assertion"},
		{"  ", "empty assertion"},
		{"recovery<7200", `unknown column "recovery"`},
		{"recovery_s", "recovery_s is not true or false"},
		{"!recovery_s", "recovery_s is not true or false"},
		{"recovery_s<", "no value after <"},
		{"recovery_s<fast", `value "fast" is not a number of seconds or a duration`},
		{"peak_queue<2h", `value "2h" is not a number`},
		{"recovery_s<NaN", `value "NaN" is not`},
		{"recovery_s<Inf", `value "Inf" is not`},
		{"recovery_s<<1", "more than one operator"},
		{"recovered<1", "recovered is true or false"},
		{"recovered==yes", `not "yes"`},
		{"recovered==1", `not "1"`},
		{"policy<none", "policy is text"},
		{"!!recovered", "no column and operator"},
		{"=5", "no column and operator"},
		{"recovery_s=5", "operators: < <= > >= == !="},
	} {
		_, err := Parse(c.expr)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "verdict: ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("Parse(%q) = %v, want one line starting verdict: containing %q", c.expr, err, c.want)
		}
	}
	if _, err := ParseAll([]string{"recovered", "bogus>1"}); err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("ParseAll: %v, want the bad one named", err)
	}
}

// TestCheck: one failure per failed assertion, counting the rows and naming
// the first.
func TestCheck(t *testing.T) {
	first := row(true, 9000)
	first.Seed = 1
	rows := []results.Summary{first, row(true, 100), row(false, 0)}
	fs := Check(rows, MustParse("recovered"), MustParse("recovery_s<7200"), MustParse("wasted_fraction<0.1"))
	if len(fs) != 2 {
		t.Fatalf("%d failures, want 2 (recovered, recovery_s): %v", len(fs), fs)
	}
	if f := fs[0]; f.Assertion.Column != "recovered" || f.Failed != 1 || f.Rows != 3 || f.First.Seed != 3 {
		t.Errorf("recovered: %+v, want 1 of 3, seed 3", f)
	}
	want := "verdict: recovery_s<7200 failed in 2 of 3 runs, first: recovery_s is 9000.000 (scenario us-east-1, policy queue-size, seed 1, 2000 droplets)"
	if got := fs[1].Error(); got != want {
		t.Errorf("failure reads\n%s\nwant\n%s", got, want)
	}
	if got := Check(rows[2:], MustParse("recovery_s<7200"))[0].Error(); !strings.Contains(got, "recovery_s is empty (never recovered)") || strings.Contains(got, "of") {
		t.Errorf("one row: %s", got)
	}
	if fs := Check(nil, MustParse("recovered")); fs != nil {
		t.Errorf("no rows: %v, want no failure", fs)
	}
}

type recorder struct{ errs []string }

func (r *recorder) Helper()                        {}
func (r *recorder) Errorf(format string, a ...any) { r.errs = append(r.errs, format) }

func TestRequire(t *testing.T) {
	var r recorder
	if Require(&r, []results.Summary{row(true, 100)}, "recovered", "recovery_s<7200") != true || len(r.errs) != 0 {
		t.Errorf("passing assertions reported %v", r.errs)
	}
	if Require(&r, []results.Summary{row(false, 0)}, "recovered", "nope", "recovery_s<7200") || len(r.errs) != 3 {
		t.Errorf("want 3 errors (a failure, a bad expression, a failure), got %v", r.errs)
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse of a bad expression did not panic")
		}
	}()
	MustParse("recovery<1")
}

// TestTable: an assertion over another table's columns (a live attack's
// summary) judges that table's rows: its bool and text columns, a _ms
// column's durations; a row of another width holds nothing, and an unknown
// column names the table's columns.
func TestTable(t *testing.T) {
	tb := Table{Columns: []string{"policy", "unsent", "p99_ms", "kept_up"}, Bool: []string{"kept_up"}, Text: []string{"policy"}}
	row := []string{"none", "0", "250.500", "false"}
	for _, c := range []struct {
		expr string
		want bool
	}{
		{"unsent==0", true},
		{"p99_ms<250.5", false},
		{"p99_ms<=250.5", true},
		{"p99_ms<1s", true},
		{"p99_ms<250ms", false},
		{"kept_up", false},
		{"!kept_up", true},
		{"kept_up==false", true},
		{"policy==none", true},
	} {
		a, err := tb.Parse(c.expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.expr, err)
			continue
		}
		if got, v := a.HoldsRecord(row); got != c.want {
			t.Errorf("%q on %v (value %q) = %v, want %v", c.expr, row, v, got, c.want)
		}
		if got, _ := a.HoldsRecord(row[:3]); got {
			t.Errorf("%q holds on a row of 3 columns", c.expr)
		}
	}
	if _, err := tb.Parse("recovery_s<1"); err == nil || !strings.Contains(err.Error(), "(columns: policy, unsent, p99_ms, kept_up)") {
		t.Errorf("unknown column: %v", err)
	}
	if _, err := tb.Parse("p99_ms<fast"); err == nil || !strings.Contains(err.Error(), "a number of milliseconds or a duration") {
		t.Errorf("bad value: %v", err)
	}
	if _, err := tb.Parse("policy<none"); err == nil || !strings.Contains(err.Error(), "policy is text") {
		t.Errorf("text column: %v", err)
	}
}
