package figure

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Values reads a row's value of a column of timeseries.csv by name (a
// standard column or one of the run's own, Run.Columns); false when the row
// has none there (an empty field, a column the run lacks).
type Values func(column string) (float64, bool)

// Series is one line of a Panel, drawn for every run: Y is its value in a
// row (false: no point there).
type Series struct {
	Label string
	Y     func(v Values) (float64, bool)
}

// Panel is one panel of a Stacked figure: its y axis label and the series
// it draws, the first solid, the next dashed, then dotted. Fraction fixes
// the y axis at 0..1; otherwise it runs from 0 to the largest value drawn.
type Panel struct {
	Label    string
	Series   []Series
	Fraction bool
}

// Mark is an instant marked on a Stacked figure. A published one (Run −1)
// is a dashed grey line across every panel, its Label written along it in
// panel Panel; a run's own (Run ≥ 0) is a triangle in the run's colour at
// the top of panel Panel, its Label unused.
type Mark struct {
	At    time.Time
	Label string
	Panel int
	Run   int
}

// MaxMarks bounds the marks of a Stacked figure.
const MaxMarks = 1000

// Stacked draws runs over the incident clock as panels stacked on one time
// axis, one line per run and series (the run's colour, the series' dash),
// with marks: the published instants as labelled lines, the runs' own as
// triangles. Every run needs a start clock. A row without a value for a
// series (a stage that had not started) leaves a gap.
func Stacked(runs []Run, panels []Panel, marks []Mark) (Figure, error) {
	switch {
	case len(runs) == 0:
		return Figure{}, errors.New("figure: stacked timeline: no runs")
	case len(panels) == 0:
		return Figure{}, errors.New("figure: stacked timeline: no panels")
	case len(marks) > MaxMarks:
		return Figure{}, fmt.Errorf("figure: stacked timeline: %d marks, at most %d", len(marks), MaxMarks)
	}
	for _, r := range runs {
		if len(r.Rows) == 0 {
			return Figure{}, fmt.Errorf("figure: stacked timeline: run %s has no rows", r.Name)
		}
		if r.Rows[0].Clock.IsZero() {
			return Figure{}, fmt.Errorf("figure: stacked timeline: run %s has no start clock", r.Name)
		}
	}
	for _, m := range marks {
		if m.Panel < 0 || m.Panel >= len(panels) || m.Run >= len(runs) {
			return Figure{}, fmt.Errorf("figure: stacked timeline: mark %q in panel %d of %d, run %d of %d", m.Label, m.Panel, len(panels), m.Run, len(runs))
		}
	}
	first := runs[0].Rows[0]
	zone := first.Clock.Location()
	start := first.Clock.Add(-time.Duration(first.T * float64(time.Second)))
	xlabel := fmt.Sprintf("incident clock (UTC%s), from %s", start.Format("-07:00"), start.Format("2006-01-02 15:04"))

	legend := plot.NewLegend()
	legend.Top, legend.Left = true, true
	legend.TextStyle.Font.Size = vg.Points(8) // a cascade's policy names are long
	xmin, xmax := math.Inf(1), math.Inf(-1)
	plots := make([][]*plot.Plot, len(panels))
	empty := make([]bool, len(panels))   // no run has a value of the panel's
	absent := make([][]int, len(panels)) // the runs without one, when others have
	for i, pn := range panels {
		p := plot.New()
		p.Y.Label.Text = pn.Label
		p.Y.Min = 0
		if pn.Fraction {
			p.Y.Max = 1
		} else {
			p.Y.Tick.Marker = countTicks{}
		}
		p.Add(plotter.NewGrid())
		drew := false
		for j, r := range runs {
			had := drew
			drew = false
			t0 := float64(r.Rows[0].Clock.Unix()) - math.Round(r.Rows[0].T)
			xmin = min(xmin, t0)
			k := (len(r.Rows) + MaxPoints - 1) / MaxPoints
			for s, se := range pn.Series {
				var lines []plotter.XYs // a gap where the series has no value
				var cur plotter.XYs
				for n := range r.Rows {
					if n%k != 0 && n != len(r.Rows)-1 {
						continue
					}
					x := t0 + r.Rows[n].T
					xmax = max(xmax, x)
					y, ok := se.Y(valuesOf(&r, n))
					if !ok || math.IsNaN(y) || math.IsInf(y, 0) {
						if len(cur) > 0 {
							lines, cur = append(lines, cur), nil
						}
						continue
					}
					cur = append(cur, plotter.XY{X: x, Y: y})
				}
				if len(cur) > 0 {
					lines = append(lines, cur)
				}
				for n, xys := range lines {
					l, err := plotter.NewLine(xys)
					if err != nil {
						return Figure{}, fmt.Errorf("figure: stacked timeline: run %s, %s: %w", r.Name, se.Label, err)
					}
					l.Color = plotutil.Color(j)
					l.Dashes = seriesDashes(s)
					l.Width = vg.Points(1.2)
					p.Add(l)
					drew = true
					if n == 0 && s == 0 && i == 0 {
						legend.Add(r.Name, l)
					}
				}
			}
			if !drew {
				absent[i] = append(absent[i], j)
			}
			drew = drew || had
		}
		if empty[i] = !drew; empty[i] {
			p.Y.Max = 1
		}
		if len(pn.Series) > 1 {
			p.Title.Text = seriesKey(pn.Series)
			p.Title.TextStyle.Font.Size = vg.Points(8)
		}
		plots[i] = []*plot.Plot{p}
	}
	if math.IsInf(xmax, -1) || xmax <= xmin {
		xmax = xmin + 1
	}
	for i, row := range plots {
		p := row[0]
		p.X.Min, p.X.Max = xmin, xmax
		p.X.Tick.Marker = clockTicks{zone}
		sm := stackMarks{marks: marks, panel: i, style: markerText(p), empty: empty[i]}
		if !empty[i] {
			for _, j := range absent[i] {
				sm.absent = append(sm.absent, absentRun{name: runs[j].Name, run: j})
			}
		}
		p.Add(sm)
		if i == len(plots)-1 {
			p.X.Label.Text = xlabel
		}
	}
	legend.Add("▼ the run's own milestones; dashed: published (" + Source + ")")
	legendH := vg.Points(11*float64(len(runs)+1) + 8)
	return Figure{W: 9 * vg.Inch, H: vg.Length(len(panels))*2.2*vg.Inch + legendH, draw: func(c draw.Canvas) {
		top := draw.Crop(c, 0, 0, legendH, 0)
		bottom := draw.Crop(c, 0, 0, 0, -(c.Max.Y - c.Min.Y - legendH))
		cs := plot.Align(plots, draw.Tiles{Rows: len(plots), Cols: 1, PadTop: 6, PadBottom: 4, PadLeft: 6, PadRight: 12, PadY: 8}, top)
		for i := range plots {
			plots[i][0].Draw(cs[i][0])
		}
		legend.XOffs = vg.Inch * 0.7
		legend.Draw(bottom)
	}}, nil
}

// seriesDashes is the dash of a panel's s-th series: solid, dashed, dotted.
func seriesDashes(s int) []vg.Length {
	switch s {
	case 0:
		return nil
	case 1:
		return []vg.Length{vg.Points(6), vg.Points(3)}
	}
	return []vg.Length{vg.Points(1.5), vg.Points(2.5)}
}

// seriesKey names a panel's series by their dashes.
func seriesKey(ss []Series) string {
	names := []string{"solid", "dashed", "dotted"}
	key := ""
	for i, s := range ss {
		if i > 0 {
			key += "; "
		}
		key += names[min(i, len(names)-1)] + ": " + s.Label
	}
	return key
}

// valuesOf reads row n of r by column name.
func valuesOf(r *Run, n int) Values {
	row := &r.Rows[n]
	return func(col string) (float64, bool) {
		switch col {
		case "t_s":
			return row.T, true
		case "leased":
			return float64(row.Leased), row.Leased >= 0
		case "expired":
			return float64(row.Expired), row.Expired >= 0
		case "queue":
			return float64(row.Queue), row.Queue >= 0
		case "goodput_per_s":
			return row.GoodputPerS, !math.IsNaN(row.GoodputPerS)
		}
		for i, c := range r.Columns {
			if c == col && i < len(row.Extra) {
				v := row.Extra[i]
				return v, !math.IsNaN(v)
			}
		}
		return 0, false
	}
}

// stackMarks draws a Stacked figure's marks in one panel, and says so in a
// panel with nothing drawn (empty), or, when other runs drew in it, names
// each run that has no value there (absent), in its colour: its stage did
// not run, and the run would otherwise vanish from the panel unsaid.
type stackMarks struct {
	marks  []Mark
	panel  int
	style  draw.TextStyle
	empty  bool
	absent []absentRun
}

// absentRun is a run with no value in a panel where others have some.
type absentRun struct {
	name string
	run  int
}

var _ plot.Plotter = stackMarks{}

// Plot implements plot.Plotter.
func (m stackMarks) Plot(c draw.Canvas, p *plot.Plot) {
	line := draw.LineStyle{Color: color.Gray{Y: 110}, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	if m.empty {
		s := m.style
		s.Rotation, s.XAlign, s.YAlign = 0, draw.XCenter, draw.YCenter
		s.Font.Size = vg.Points(9)
		c.FillText(s, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}, "no values: this stage did not run")
	}
	for k, a := range m.absent {
		s := m.style
		s.Rotation, s.XAlign, s.YAlign = 0, draw.XRight, draw.YBottom
		s.Font.Size = vg.Points(8)
		s.Color = plotutil.Color(a.run)
		at := vg.Point{X: c.Max.X - vg.Points(4), Y: c.Min.Y + vg.Points(3) + vg.Length(len(m.absent)-1-k)*vg.Points(10)}
		c.FillText(s, at, "no values from "+a.name+": this stage did not run")
	}
	for _, mk := range m.marks {
		v := float64(mk.At.Unix())
		if v < p.X.Min || v > p.X.Max {
			continue
		}
		x := c.X(p.X.Norm(v))
		if mk.Run < 0 {
			c.StrokeLine2(line, x, c.Min.Y, x, c.Max.Y)
			if mk.Panel == m.panel {
				c.FillText(m.style, vg.Point{X: x + vg.Points(1.5), Y: c.Max.Y - vg.Points(3)}, mk.Label)
			}
			continue
		}
		if mk.Panel != m.panel {
			continue
		}
		r := vg.Points(3.5)
		top := c.Max.Y - vg.Points(1)
		var path vg.Path
		path.Move(vg.Point{X: x - r, Y: top})
		path.Line(vg.Point{X: x + r, Y: top})
		path.Line(vg.Point{X: x, Y: top - 1.6*r})
		path.Close()
		c.SetColor(plotutil.Color(mk.Run))
		c.Fill(path)
	}
}
