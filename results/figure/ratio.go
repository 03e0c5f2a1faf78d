package figure

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/aftershock/aftershock/results"
)

// MaxGroups is the most policies (with their vary points) a ratio figure
// draws.
const MaxGroups = 200

// ratioPoints are the groups' mean ratios with their 95% half-widths.
type ratioPoints struct {
	plotter.XYs
	plotter.YErrors
}

// Ratio draws each policy's recovery ratio to the ideal bound over its seeds
// (results.Groups: one group per scenario, policy, vary and droplets): the
// mean with its 95% interval as error bars, best first, the ideal (ratio 1)
// as a dashed line. A group with a run that did not recover has no ratio; it
// is named last with how many of its runs recovered.
func Ratio(ss []results.Summary) (Figure, error) {
	gs := results.Groups(ss)
	if len(gs) == 0 {
		return Figure{}, errors.New("figure: ratio: no runs")
	}
	if len(gs) > MaxGroups {
		return Figure{}, fmt.Errorf("figure: ratio: %d policies and vary points, more than %d; plot a part of the sweep", len(gs), MaxGroups)
	}
	slices.SortStableFunc(gs, func(a, b results.Group) int {
		am, bm := a.Ratio.Mean, b.Ratio.Mean
		switch {
		case a.Ratio.N == 0 && b.Ratio.N == 0:
			return 0
		case a.Ratio.N == 0:
			return 1
		case b.Ratio.N == 0, am < bm:
			return -1
		case am > bm:
			return 1
		}
		return 0
	})
	manyScn, manyDrop, runs := false, false, gs[0].Runs
	for _, g := range gs {
		manyScn = manyScn || g.Scenario != gs[0].Scenario
		manyDrop = manyDrop || g.Droplets != gs[0].Droplets
		if g.Runs != runs {
			runs = -1
		}
	}
	var (
		pts    ratioPoints
		names  []string
		absent int
	)
	for i, g := range gs {
		name := g.Policy
		if g.Vary != "" {
			name += " " + g.Vary
		}
		if manyScn {
			name = g.Scenario + " / " + name
		}
		if manyDrop {
			name += fmt.Sprintf(" / %d droplets", g.Droplets)
		}
		if g.Ratio.N == 0 {
			name += fmt.Sprintf(" (%d/%d recovered)", g.Recovered, g.Runs)
			absent++
		} else {
			half := g.Ratio.Half
			pts.XYs = append(pts.XYs, plotter.XY{X: float64(i), Y: g.Ratio.Mean})
			pts.YErrors = append(pts.YErrors, struct{ Low, High float64 }{half, half})
		}
		names = append(names, wrap(name, MaxLabelLine))
	}
	if len(pts.XYs) == 0 {
		return Figure{}, fmt.Errorf("figure: ratio: no policy recovered in every run (of %d), so none has a ratio to plot", len(gs))
	}
	p := plot.New()
	seeds := "its seeds"
	if runs > 0 {
		seeds = fmt.Sprintf("%d seeds", runs)
	}
	p.Title.Text = fmt.Sprintf("recovery ratio to the ideal bound: mean and 95%% interval over %s", seeds)
	p.Y.Label.Text = "recovery ÷ ideal"
	p.Add(plotter.NewGrid())
	ideal, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: 1}, {X: float64(len(gs)) - 0.5, Y: 1}})
	if err != nil {
		return Figure{}, fmt.Errorf("figure: ratio: %w", err)
	}
	ideal.Color = color.Gray{Y: 90}
	ideal.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	p.Add(ideal)
	bars, err := plotter.NewYErrorBars(pts)
	if err != nil {
		return Figure{}, fmt.Errorf("figure: ratio: %w", err)
	}
	bars.LineStyle.Width = vg.Points(1.2)
	bars.CapWidth = vg.Points(6)
	sc, err := plotter.NewScatter(pts.XYs)
	if err != nil {
		return Figure{}, fmt.Errorf("figure: ratio: %w", err)
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: color.RGBA{R: 30, G: 90, B: 180, A: 255}, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	p.Add(bars, sc)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(6), -vg.Points(6)
	p.Legend.Add("ideal bound (ratio 1)", ideal)
	p.Legend.Add("mean ± 95% interval", sc)
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	if absent > 0 {
		p.X.Label.Text = fmt.Sprintf("(k/n recovered): %d with a run that did not recover, hence no ratio", absent)
	}
	p.Y.Min = math.Min(p.Y.Min, 1)
	if p.Y.Min > 0 && p.Y.Max/p.Y.Min > 3 { // a wide range: log scale, so that the best stay apart
		p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, ratioTicks{}
		p.Y.Min, p.Y.Max = p.Y.Min/1.02, p.Y.Max*1.3 // room above for the legend, top left
	} else {
		p.Y.Min, p.Y.Max = linearRange(p.Y.Min, p.Y.Max)
		p.Y.Tick.Marker = decimalTicks{}
	}
	// The names stand under the axis, rotated, a long one (a cascade's
	// policies name every stage's) wrapped into lines side by side: each
	// name as wide as its lines, the plot as tall as the longest line needs.
	var longest, wide vg.Length
	for _, n := range names {
		longest = max(longest, p.X.Tick.Label.Width(n))
		wide += max(0.3*vg.Inch, p.X.Tick.Label.Height(n)+0.1*vg.Inch)
	}
	w := max(6*vg.Inch, wide+1.5*vg.Inch)
	h := max(6*vg.Inch, 4.5*vg.Inch+longest)
	return Figure{W: w, H: h, draw: func(c draw.Canvas) { p.Draw(c) }}, nil
}

// MaxLabelLine is the longest line of a ratio figure's name under its axis:
// a longer name is wrapped at spaces. gonum pads the plot's left by about
// half the first name's width, so a long one would squeeze the plot.
const MaxLabelLine = 40

// wrap breaks s into lines of at most n bytes at spaces (a word longer than
// n stays whole).
func wrap(s string, n int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > n {
			lines, line = append(lines, line), w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n")
}

// linearRange is a linear ratio axis for data from lo to hi: room above
// the highest interval for the legend, which sits in the top left corner,
// so that no point or bar touches the frame or the legend, and a little
// below the lowest. Its labels have as many decimals as the ticks' step
// needs (decimalTicks: 1.00, 1.05, 1.10, not 1, 1, 1.1).
func linearRange(lo, hi float64) (float64, float64) {
	span := hi - lo + 0.01
	return lo - 0.03*span, hi + 0.15*span
}

// decimalTicks are plot's default ticks on a linear axis, labelled with the
// decimals their step needs, so that no two labels read the same.
type decimalTicks struct{}

var _ plot.Ticker = decimalTicks{}

// Ticks implements plot.Ticker.
func (decimalTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	step := math.Inf(1)
	prev := math.NaN()
	for _, t := range ticks {
		if t.Label == "" {
			continue
		}
		if !math.IsNaN(prev) {
			step = math.Min(step, t.Value-prev)
		}
		prev = t.Value
	}
	decimals := 0
	if step > 0 && !math.IsInf(step, 0) {
		decimals = max(0, int(math.Ceil(-math.Log10(step)-1e-9)))
	}
	// More while a labelled value is not written exactly (0.5, 1.5, 2.5
	// a step of 1 apart; a step of 0.25).
	for exact := false; !exact && decimals < 10; {
		exact = true
		scale := math.Pow(10, float64(decimals))
		for _, t := range ticks {
			if t.Label != "" && math.Abs(math.Round(t.Value*scale)/scale-t.Value) > 1e-9*math.Max(1, math.Abs(t.Value)) {
				exact = false
			}
		}
		if !exact {
			decimals++
		}
	}
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'f', decimals, 64)
		}
	}
	return ticks
}

// ratioTicks marks a log axis of ratios at round values (1, 1.1, 1.2, 1.5,
// 2, 3, 5, 10, ...).
type ratioTicks struct{}

var _ plot.Ticker = ratioTicks{}

// Ticks implements plot.Ticker.
func (ratioTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for _, decade := range []float64{0.01, 0.1, 1, 10, 100, 1000} {
		for _, m := range []float64{1, 1.1, 1.2, 1.5, 2, 3, 5} {
			if v := m * decade; v >= lo && v <= hi {
				ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
			}
		}
	}
	if len(ticks) < 2 {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	return ticks
}
