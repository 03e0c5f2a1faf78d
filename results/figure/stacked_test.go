package figure

import (
	"math"
	"strings"
	"testing"
	"time"
)

// stageRun is run(...) with two own columns: a backlog that starts at row
// 60 (empty before, as a cascade's later stage) and an error rate.
func stageRun(name string, started bool) Run {
	r := run(name, 174, 100)
	r.Columns = []string{"prop_backlog", "conn_error_rate"}
	for i := range r.Rows {
		b, e := math.NaN(), math.NaN()
		if started && i >= 60 {
			b, e = float64((i-60)*7%300), float64(i%10)/20
		}
		r.Rows[i].Extra = []float64{b, e}
	}
	return r
}

var stagePanels = []Panel{
	{Label: "leases", Fraction: true, Series: []Series{
		{Label: "leased", Y: func(v Values) (float64, bool) { l, ok := v("leased"); return l / 1000, ok }},
		{Label: "expired", Y: func(v Values) (float64, bool) { e, ok := v("expired"); return e / 1000, ok }},
	}},
	{Label: "backlog", Series: []Series{{Label: "backlog", Y: func(v Values) (float64, bool) { return v("prop_backlog") }}}},
	{Label: "errors", Fraction: true, Series: []Series{{Label: "errors", Y: func(v Values) (float64, bool) { return v("conn_error_rate") }}}},
}

// TestStacked: panels on one clock, a line per run and series, the
// published marks labelled in their panel, a run's own as triangles; a
// panel nothing was drawn in (a stage that never started in any run) says
// so, and one where some runs drew names each run that did not; the same
// input draws the same bytes.
func TestStacked(t *testing.T) {
	at := time.Date(2025, 10, 20, 5, 28, 0, 0, pdtTest)
	marks := []Mark{{At: at, Label: "05:28 leases back (calibrated)", Panel: 0, Run: -1}, {At: at.Add(-2 * time.Minute), Panel: 0, Run: 1},
		{At: at.Add(4 * time.Hour), Label: "09:28 outside nothing", Panel: 2, Run: -1}, {At: at.Add(48 * time.Hour), Label: "never drawn: after the span", Panel: 1, Run: -1}}
	f, err := Stacked([]Run{stageRun("cascade / none / seed 1", false), stageRun("cascade / operator / seed 1", true)}, stagePanels, marks)
	if err != nil {
		t.Fatal(err)
	}
	png, svg := encode(t, f)
	checkPNG(t, f, png)
	texts := svgTexts(t, f, svg)
	for _, w := range []string{"05:28 leases back (calibrated)", "09:28 outside nothing", "solid: leased; dashed: expired", "cascade / operator / seed 1", "backlog", "incident clock (UTC-07:00)"} {
		if !contains(texts, w) {
			t.Errorf("no %q in the SVG's texts", w)
		}
	}
	if contains(texts, "after the span") || contains(texts, "no values: this stage did not run") {
		t.Errorf("a mark outside the span, or an empty panel, in %q", texts)
	}
	// The run whose later stages never ran is named in each of their
	// panels, where the other run drew, rather than vanishing from them.
	joined := strings.Join(texts, "|")
	if n := strings.Count(joined, "no values from cascade / none / seed 1: this stage did not run"); n != 2 || strings.Contains(joined, "no values from cascade / operator") {
		t.Errorf("the run without later stages named in %d panels (want 2: backlog, errors), or the other named: %q", n, texts)
	}
	sameTwice(t, f, svg)

	// Later stages that never ran: their panels say so.
	f, err = Stacked([]Run{stageRun("cascade / none / seed 1", false)}, stagePanels, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, svg = encode(t, f)
	if texts := svgTexts(t, f, svg); strings.Count(strings.Join(texts, "|"), "no values: this stage did not run") != 2 {
		t.Errorf("two empty panels, said %d times: %q", strings.Count(strings.Join(texts, "|"), "no values"), texts)
	}
}

// TestStackedRefuses: no runs, no panels, a run without a start clock or
// rows, and a mark in no panel or of no run are errors naming what.
func TestStackedRefuses(t *testing.T) {
	noClock := stageRun("x", true)
	for i := range noClock.Rows {
		noClock.Rows[i].Clock = time.Time{}
	}
	for name, c := range map[string]struct {
		runs   []Run
		panels []Panel
		marks  []Mark
		want   string
	}{
		"no runs":      {nil, stagePanels, nil, "no runs"},
		"no panels":    {[]Run{stageRun("x", true)}, nil, nil, "no panels"},
		"no clock":     {[]Run{noClock}, stagePanels, nil, "run x has no start clock"},
		"no rows":      {[]Run{{Name: "y"}}, stagePanels, nil, "run y has no rows"},
		"mark panel":   {[]Run{stageRun("x", true)}, stagePanels, []Mark{{Panel: 3, Run: -1, Label: "m"}}, `mark "m" in panel 3 of 3`},
		"mark run":     {[]Run{stageRun("x", true)}, stagePanels, []Mark{{Panel: 0, Run: 1, Label: "m"}}, "run 1 of 1"},
		"marks enough": {[]Run{stageRun("x", true)}, stagePanels, make([]Mark, MaxMarks+1), "marks, at most"},
	} {
		if _, err := Stacked(c.runs, c.panels, c.marks); err == nil || !strings.HasPrefix(err.Error(), "figure: stacked timeline: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

// TestWrap: a long name breaks at spaces into lines of at most n bytes; a
// word longer stays whole.
func TestWrap(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"operator (dwfm=operator nlb=failover-off)", 40, "operator (dwfm=operator\nnlb=failover-off)"},
		{"none", 40, "none"},
		{"a bb ccc", 4, "a bb\nccc"},
		{"abcdefgh ij", 4, "abcdefgh\nij"},
	} {
		if got := wrap(c.in, c.n); got != c.want {
			t.Errorf("wrap(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
