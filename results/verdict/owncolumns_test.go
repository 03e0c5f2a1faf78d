package verdict

import (
	"strings"
	"testing"
)

// TestTableWithOwnColumns: a table with a model's own columns parses
// assertions over them (a _clock column as an instant, ordered by when it
// is, any other as a number) and judges rows that have them; the plain
// table refuses them as unknown, and an assertion parsed over one table
// holds nothing on rows of another.
func TestTableWithOwnColumns(t *testing.T) {
	cols := []string{"event_end_clock", "conn_error_share"}
	tab := Sweep.With(cols)
	s := row(true, 100)
	s.Columns, s.Values = cols, []string{"2025-10-20T10:31:00-07:00", "0.1129"}
	for _, c := range []struct {
		expr string
		want bool
	}{
		{"conn_error_share<0.2", true},
		{"conn_error_share<0.1", false},
		{"event_end_clock==2025-10-20T10:31:00-07:00", true},
		{"event_end_clock==2025-10-20T17:31:00Z", true}, // the same instant in UTC
		{"event_end_clock!=2025-10-20T17:31:00Z", false},
		{"event_end_clock<2025-10-20T11:00:00-07:00", true},
		{"event_end_clock<2025-10-20T10:31:00-07:00", false},
		{"event_end_clock<=2025-10-20T10:31:00-07:00", true},
		{"event_end_clock>2025-10-20T09:59:00-07:00", true},
		{"event_end_clock>2025-10-20T17:32:00Z", false}, // by instant, not by text ("2025-10-20T10..." < "2025-10-20T17...")
		{"event_end_clock>=2025-10-21T00:00:00-07:00", false},
		{"recovery_s<200", true},
	} {
		a, err := tab.Parse(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if ok, _ := a.Holds(s); ok != c.want {
			t.Errorf("%s: %v, want %v", c.expr, ok, c.want)
		}
	}
	for _, bad := range []string{"event_end_clock<2025", "event_end_clock==10:31", "event_end_clock>2025-10-20 10:31"} {
		if _, err := tab.Parse(bad); err == nil || !strings.Contains(err.Error(), "RFC 3339") {
			t.Errorf("%s: %v, want refused: not an RFC 3339 instant", bad, err)
		}
	}
	if _, err := Sweep.Parse("conn_error_share<0.2"); err == nil || !strings.Contains(err.Error(), "unknown column") {
		t.Errorf("an own column on the plain table: %v", err)
	}
	plain := MustParse("recovery_s<200")
	if ok, _ := plain.Holds(s); ok {
		t.Error("an assertion over the plain table held on a row with own columns")
	}
	s.Values[1] = ""
	a, _ := tab.Parse("conn_error_share<0.2")
	if ok, v := a.Holds(s); ok || v != "" {
		t.Errorf("an empty own value: %v %q", ok, v)
	}
}
