package figure

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/aftershock/aftershock/results"
)

// MaxPanels is the most panels (policies) a phase diagram draws.
const MaxPanels = 12

// cell is the runs of one panel at one point of the two varied parameters.
type cell struct {
	x, y            int // indices into the parameters' ordered values
	runs, recovered int
	recoverySum     float64 // over the recovered runs, seconds
}

// phasePanel is one policy's cells.
type phasePanel struct {
	name  string
	first results.Summary // a run of the panel: its scenario, policy, droplets
	cells []*cell
	at    map[[2]int]*cell
}

// EdgeFunc is a predicted edge to draw over a phase panel: the value of the
// second varied key, in its unit (seconds for a duration), where the first
// is x (as the vary column writes it), for the panel's scenario, policy and
// droplets (run, any of the panel's); ok false where there is none.
type EdgeFunc func(run results.Summary, x string) (y float64, ok bool)

// PhaseWithEdges is Phase with each panel's predicted edge (edge) drawn as
// a dashed line through the x values where it has one, placed between the
// y values by their numbers.
func PhaseWithEdges(ss []results.Summary, edge EdgeFunc) (Figure, error) {
	return phase(ss, edge)
}

// Phase draws a phase diagram of a sweep with two varied parameters (every
// row's vary names the same two keys): one panel per policy (and scenario
// and droplets, where the rows have several), a marker per point of the two
// parameters: a filled circle where every run recovered, a filled triangle where
// some did, a grey cross where none did; the colour of a circle or triangle
// is the mean recovery time of the runs that recovered, read on the colour
// bar.
func Phase(ss []results.Summary) (Figure, error) { return phase(ss, nil) }

func phase(ss []results.Summary, edge EdgeFunc) (Figure, error) {
	if len(ss) == 0 {
		return Figure{}, errors.New("figure: phase: no runs")
	}
	keys, _ := splitVary(ss[0].Vary)
	var vals [2][]string
	for _, s := range ss {
		k, v := splitVary(s.Vary)
		if len(k) != 2 {
			return Figure{}, fmt.Errorf("figure: phase: run %s varies %d parameters; want 2 (sweep --vary twice)", results.KeyOf(s), len(k))
		}
		if !slices.Equal(k, keys) {
			return Figure{}, fmt.Errorf("figure: phase: run %s varies %s, run %s %s; want the same two keys", results.KeyOf(ss[0]), strings.Join(keys, ", "), results.KeyOf(s), strings.Join(k, ", "))
		}
		vals[0], vals[1] = append(vals[0], v[0]), append(vals[1], v[1])
	}
	var idx [2]map[string]int
	var labels [2][]string
	for i := range vals {
		labels[i] = orderValues(vals[i])
		idx[i] = map[string]int{}
		for j, v := range labels[i] {
			idx[i][v] = j
		}
	}
	many := func(f func(results.Summary) string) bool {
		for _, s := range ss {
			if f(s) != f(ss[0]) {
				return true
			}
		}
		return false
	}
	manyScn := many(func(s results.Summary) string { return s.Scenario })
	manyDrop := many(func(s results.Summary) string { return strconv.Itoa(s.Droplets) })
	var panels []*phasePanel
	byName := map[string]*phasePanel{}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, s := range ss {
		name := s.Policy
		if manyScn {
			name = s.Scenario + " / " + name
		}
		if manyDrop {
			name += fmt.Sprintf(" / %d droplets", s.Droplets)
		}
		p := byName[name]
		if p == nil {
			if len(panels) == MaxPanels {
				return Figure{}, fmt.Errorf("figure: phase: more than %d policies; plot a part of the sweep", MaxPanels)
			}
			p = &phasePanel{name: name, first: s, at: map[[2]int]*cell{}}
			byName[name] = p
			panels = append(panels, p)
		}
		at := [2]int{idx[0][vals[0][i]], idx[1][vals[1][i]]}
		c := p.at[at]
		if c == nil {
			c = &cell{x: at[0], y: at[1]}
			p.at[at] = c
			p.cells = append(p.cells, c)
		}
		c.runs++
		if s.Recovered {
			c.recovered++
			c.recoverySum += s.RecoveryS
		}
	}
	for _, p := range panels {
		for _, c := range p.cells {
			if c.recovered > 0 {
				m := c.recoverySum / float64(c.recovered)
				lo, hi = min(lo, m), max(hi, m)
			}
		}
	}
	if math.IsInf(lo, 1) { // nothing recovered: any scale
		lo, hi = 0, 1
	}
	if lo == hi {
		lo, hi = lo*0.9, hi*1.1+1e-9
	}
	cm := moreland.SmoothBlueRed()
	cm.SetMin(lo)
	cm.SetMax(hi)

	cols := min(len(panels), 3)
	rows := (len(panels) + cols - 1) / cols
	plots := make([][]*plot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*plot.Plot, cols)
	}
	for i, pp := range panels {
		p := plot.New()
		p.Title.Text = wrap(pp.name, MaxTitleLine) // a cascade's policies name every stage's
		p.X.Label.Text, p.Y.Label.Text = keys[0], keys[1]
		p.Add(plotter.NewGrid())
		xys := make(plotter.XYs, len(pp.cells))
		styles := make([]draw.GlyphStyle, len(pp.cells))
		for j, c := range pp.cells {
			xys[j] = plotter.XY{X: float64(c.x), Y: float64(c.y)}
			styles[j] = cellStyle(c, cm)
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return Figure{}, fmt.Errorf("figure: phase: %w", err)
		}
		sc.GlyphStyleFunc = func(j int) draw.GlyphStyle { return styles[j] }
		p.Add(sc)
		if edge != nil {
			if l := edgeLine(pp.first, labels, edge); l != nil {
				p.Add(l)
			}
		}
		p.NominalX(labels[0]...)
		p.NominalY(labels[1]...)
		p.X.Min, p.X.Max = -0.5, float64(len(labels[0]))-0.5
		p.Y.Min, p.Y.Max = -0.5, float64(len(labels[1]))-0.5
		plots[i/cols][i%cols] = p
	}

	bar := plot.New()
	bar.HideY()
	bar.X.Padding = 0
	bar.Add(&plotter.ColorBar{ColorMap: cm})
	bar.X.Label.Text = "mean recovery time of the runs that recovered\n(from the trigger's end)" // two lines: under two panels one is wider than the bar
	bar.X.Tick.Marker = durationTicks{}
	legend := plot.NewLegend()
	legend.Top, legend.Left = true, true
	legend.Add("every run recovered", glyphThumb(draw.GlyphStyle{Color: color.Gray{Y: 90}, Radius: vg.Points(5), Shape: draw.CircleGlyph{}}))
	legend.Add("some runs recovered", glyphThumb(draw.GlyphStyle{Color: color.Gray{Y: 90}, Radius: vg.Points(5), Shape: draw.PyramidGlyph{}}))
	legend.Add("no run recovered", glyphThumb(notRecovered))
	if edge != nil {
		legend.Add("predicted edge", edgeStyle)
	}

	const barH = 0.9 * vg.Inch
	w := vg.Length(cols) * 3.4 * vg.Inch
	return Figure{W: max(w, 6*vg.Inch), H: vg.Length(rows)*3*vg.Inch + barH, draw: func(c draw.Canvas) {
		top := draw.Crop(c, 0, 0, barH, 0)
		bottom := draw.Crop(c, 0, 0, 0, -(c.Max.Y - c.Min.Y - barH))
		cs := plot.Align(plots, draw.Tiles{Rows: rows, Cols: cols, PadTop: 6, PadBottom: 6, PadLeft: 6, PadRight: 12, PadX: 12, PadY: 12}, top)
		for r := range plots {
			for k, p := range plots[r] {
				if p != nil {
					p.Draw(cs[r][k])
				}
			}
		}
		wb := bottom.Max.X - bottom.Min.X
		bar.Draw(draw.Crop(bottom, vg.Points(12), -wb*0.38, vg.Points(4), -vg.Points(24)))
		legend.Draw(draw.Crop(bottom, wb*0.66, 0, 0, -vg.Points(6)))
	}}, nil
}

// MaxTitleLine is the longest line of a phase panel's title (its policy):
// a longer one is wrapped at spaces, so that titles of panels side by side
// do not run into each other.
const MaxTitleLine = 36

// notRecovered is the marker of a point where no run recovered.
var notRecovered = draw.GlyphStyle{Color: color.Gray{Y: 120}, Radius: vg.Points(5), Shape: crossGlyph{}}

// cellStyle is c's marker: its shape by how many runs recovered, its colour
// by their mean recovery time on cm.
func cellStyle(c *cell, cm interface {
	At(float64) (color.Color, error)
}) draw.GlyphStyle {
	if c.recovered == 0 {
		return notRecovered
	}
	col, err := cm.At(c.recoverySum / float64(c.recovered))
	if err != nil { // outside the map's range by rounding: the nearest end
		col = color.Black
	}
	s := draw.GlyphStyle{Color: col, Radius: vg.Points(7), Shape: draw.CircleGlyph{}}
	if c.recovered < c.runs {
		s.Shape = draw.PyramidGlyph{}
	}
	return s
}

// crossGlyph is a thick ×.
type crossGlyph struct{}

var _ draw.GlyphDrawer = crossGlyph{}

// DrawGlyph implements draw.GlyphDrawer.
func (crossGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 0.75
	ls := draw.LineStyle{Color: sty.Color, Width: vg.Points(2)}
	c.StrokeLine2(ls, pt.X-r, pt.Y-r, pt.X+r, pt.Y+r)
	c.StrokeLine2(ls, pt.X-r, pt.Y+r, pt.X+r, pt.Y-r)
}

// glyphThumb is a legend entry's marker.
type glyphThumb draw.GlyphStyle

var _ plot.Thumbnailer = glyphThumb{}

// Thumbnail implements plot.Thumbnailer.
func (g glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyph(draw.GlyphStyle(g), c.Center()) }

// orderValues is the distinct values of vs, in numeric order when every one
// is a number or every one a duration, else in the order they first appear.
func orderValues(vs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range vs {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, parse := range []func(string) (float64, error){
		func(s string) (float64, error) { return strconv.ParseFloat(strings.TrimSuffix(s, "x"), 64) },
		func(s string) (float64, error) { d, err := time.ParseDuration(s); return float64(d), err },
	} {
		num := map[string]float64{}
		ok := true
		for _, v := range out {
			f, err := parse(strings.Trim(v, `"`))
			if err != nil {
				ok = false
				break
			}
			num[v] = f
		}
		if ok {
			slices.SortStableFunc(out, func(a, b string) int {
				switch {
				case num[a] < num[b]:
					return -1
				case num[a] > num[b]:
					return 1
				}
				return 0
			})
			return out
		}
	}
	return out
}

// edgeStyle draws a predicted edge: dashed, black.
var edgeStyle = func() *plotter.Line {
	l := &plotter.Line{LineStyle: draw.LineStyle{Color: color.Black, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}}
	return l
}()

// edgeLine is the predicted edge of run's panel through the x labels, on
// the panel's index scale: y placed between the two y labels around it by
// their numbers; nil where the labels are not numbers or no x has an edge.
func edgeLine(run results.Summary, labels [2][]string, edge EdgeFunc) *plotter.Line {
	ys := make([]float64, len(labels[1]))
	for i, l := range labels[1] {
		v, ok := labelValue(l)
		if !ok {
			return nil
		}
		ys[i] = v
	}
	var pts plotter.XYs
	for i, x := range labels[0] {
		y, ok := edge(run, x)
		if !ok {
			continue
		}
		pts = append(pts, plotter.XY{X: float64(i), Y: labelIndex(ys, y)})
	}
	if len(pts) == 0 {
		return nil
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil
	}
	l.LineStyle = edgeStyle.LineStyle
	return l
}

// labelValue is a vary value as a number in its key's unit: a number (or a
// multiple, "2x"), or a duration in seconds.
func labelValue(s string) (float64, bool) {
	s = strings.Trim(s, `"`)
	if f, err := strconv.ParseFloat(strings.TrimSuffix(s, "x"), 64); err == nil {
		return f, true
	}
	if d, err := time.ParseDuration(s); err == nil {
		return d.Seconds(), true
	}
	return 0, false
}

// labelIndex places v on the index scale of ys (ascending): between the two
// values around it, linearly; half a step beyond the ends at most.
func labelIndex(ys []float64, v float64) float64 {
	switch {
	case v < ys[0]:
		return -0.5
	case v == ys[0] || len(ys) == 1:
		return 0
	}
	for i := 1; i < len(ys); i++ {
		if v <= ys[i] {
			return float64(i-1) + (v-ys[i-1])/(ys[i]-ys[i-1])
		}
	}
	return float64(len(ys)-1) + 0.5
}
