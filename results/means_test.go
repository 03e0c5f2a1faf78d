package results

import (
	"strings"
	"testing"
)

// TestGroupMeans: groups in the order of their first run, whatever order
// the runs are added in; means over each group's runs; the text table pads
// every column.
func TestGroupMeans(t *testing.T) {
	var m GroupMeans
	if len(m.Table().Rows) != 0 {
		t.Fatal("an empty GroupMeans has a table")
	}
	names := []string{"a", "b"}
	m.Add(3, GroupOf(Summary{Policy: "q", Vary: "k=2"}), names, []float64{1, 2})
	m.Add(0, GroupOf(Summary{Policy: "p"}), names, []float64{1, 10})
	m.Add(1, GroupOf(Summary{Policy: "p"}), names, []float64{2, 20})
	m.Add(2, "none", names, nil)
	var b strings.Builder
	if err := m.Table().Text(&b); err != nil {
		t.Fatal(err)
	}
	want := "policy  runs  a    b   \np       2     1.5  15  \nq k=2   1     1    2   \n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}
