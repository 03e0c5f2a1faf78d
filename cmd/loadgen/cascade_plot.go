package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/results"
	"github.com/aftershock/aftershock/results/figure"
)

// isCascadeRun reports whether a run's time series has the cascade's stage
// columns: the run of a cascade, drawn as one stacked timeline.
func isCascadeRun(r figure.Run) bool {
	for _, c := range cascade.StageColumns {
		if !slices.Contains(r.Columns, c) {
			return false
		}
	}
	return true
}

// cascadePanels are the stacked timeline's panels, one stage after another
// on the incident clock: DWFM's leases, the propagation backlog and its p99
// latency, the NLB's connection errors and the capacity it advertises.
var cascadePanels = []figure.Panel{
	{Label: "DWFM: droplets", Fraction: true, Series: []figure.Series{
		{Label: "leased (share)", Y: func(v figure.Values) (float64, bool) { return share(v, "leased") }},
		{Label: "without a lease (share)", Y: func(v figure.Values) (float64, bool) { return share(v, "expired") }},
	}},
	{Label: "propagation backlog (items)", Series: []figure.Series{
		{Label: "backlog", Y: func(v figure.Values) (float64, bool) { return v("prop_backlog") }},
	}},
	{Label: "propagation p99 (min)", Series: []figure.Series{
		{Label: "p99 latency", Y: func(v figure.Values) (float64, bool) { x, ok := v("prop_latency_s"); return x / 60, ok }},
	}},
	{Label: "NLB connection errors", Fraction: true, Series: []figure.Series{
		{Label: "all connection errors (share)", Y: func(v figure.Values) (float64, bool) { return v("conn_error_rate") }},
		{Label: "those the NLB's removals cause", Y: func(v figure.Values) (float64, bool) { return v("capacity_error_rate") }},
	}},
	{Label: "NLB capacity in DNS", Fraction: true, Series: []figure.Series{
		{Label: "reachable capacity in DNS (share of registered)", Y: func(v figure.Values) (float64, bool) { return v("nlb_capacity_fraction") }},
	}},
}

// panelOf is the panel where a milestone of stage is marked (the latency
// panel for propagation's, the errors panel for the NLB's but the
// failover's return, shown under the capacity it restores).
func panelOf(d cascade.MilestoneDef) int {
	switch {
	case d.Stage == "dwfm":
		return 0
	case d.Stage == "netprop":
		return 2
	case d.Name == "failover_on":
		return 4
	}
	return 3
}

// share is a lease column's share of the droplets.
func share(v figure.Values, col string) (float64, bool) {
	l, ok1 := v("leased")
	e, ok2 := v("expired")
	x, ok := v(col)
	if !ok || !ok1 || !ok2 || l+e == 0 {
		return 0, false
	}
	return x / (l + e), true
}

// cascadeFigure draws cascade runs as one stacked timeline: the published
// milestones as labelled dashed lines (publishedMarks), each run's own as
// triangles in its colour (read from the summary.csv beside its time
// series; none without one).
func cascadeFigure(runs []figure.Run, sums []*results.Summary) (figure.Figure, error) {
	first := runs[0].Rows[0]
	if first.Clock.IsZero() {
		return figure.Figure{}, fmt.Errorf("a cascade run without a start clock (%s)", runs[0].Name)
	}
	marks, err := publishedMarks(first.Clock.Add(-time.Duration(first.T * float64(time.Second))))
	if err != nil {
		return figure.Figure{}, err
	}
	for j, s := range sums {
		if s == nil {
			continue
		}
		for _, d := range cascade.MilestoneDefs {
			if d.Stage == "" {
				continue
			}
			k := slices.Index(s.Columns, d.Name+"_clock")
			if k < 0 || s.Values[k] == "" {
				continue
			}
			at, err := time.Parse(time.RFC3339, s.Values[k])
			if err != nil {
				return figure.Figure{}, fmt.Errorf("run %s: %s_clock %q: want an RFC 3339 time", runs[j].Name, d.Name, s.Values[k])
			}
			marks = append(marks, figure.Mark{At: at, Panel: panelOf(d), Run: j})
		}
	}
	return figure.Stacked(runs, cascadePanels, marks)
}

// publishedMarks are the published milestones on the timeline of a run
// that starts at start, as labelled lines: what each is and its label
// (calibrated, scheduled or predicted; milestones published at the same
// minute share a line), and AWS's 06:52 detection of the NLB's failures
// (no milestone of the model's, but the instant its errors' onset must
// precede).
func publishedMarks(start time.Time) ([]figure.Mark, error) {
	type line struct {
		at            time.Time
		shorts, kinds []string
		panel         int
	}
	var lines []*line
	for _, d := range cascade.MilestoneDefs {
		if d.Published == "" {
			continue
		}
		at, err := cascade.PublishedAt(start, d.Published)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(lines, func(l *line) bool { return l.at.Equal(at) })
		if i < 0 {
			lines = append(lines, &line{at: at, panel: panelOf(d)})
			i = len(lines) - 1
		}
		l := lines[i]
		if !slices.Contains(l.shorts, d.Short) {
			l.shorts = append(l.shorts, d.Short)
		}
		if !slices.Contains(l.kinds, string(d.Label)) {
			l.kinds = append(l.kinds, string(d.Label))
		}
	}
	detected, err := cascade.PublishedAt(start, cascade.Published.NLBDetected)
	if err != nil {
		return nil, err
	}
	lines = append(lines, &line{at: detected, panel: 3, shorts: []string{"NLB failures detected"}, kinds: []string{"a detection"}})
	var marks []figure.Mark
	for _, l := range lines {
		marks = append(marks, figure.Mark{At: l.at, Panel: l.panel, Run: -1,
			Label: fmt.Sprintf("%s %s (%s)", l.at.Format("15:04"), strings.Join(l.shorts, ", "), strings.Join(l.kinds, ", "))})
	}
	return marks, nil
}
