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

	"github.com/aftershock/aftershock/results"
)

// MaxPoints is the most rows of one run a Timeline draws; a longer series is
// thinned to every k-th row, its last row kept.
const MaxPoints = 2000

// Run is one run's time series and its name in the legend
// ("us-east-1 / queue-size / seed 1"); Columns name the values of its rows'
// Extra (the model's own columns, as results.ReadTimeSeries returns them).
type Run struct {
	Name    string
	Rows    []results.TimeSeriesRow
	Columns []string
}

// series is one panel of a Timeline: a measure of a row, ok false where the
// row has none.
type series struct {
	label string
	y     func(r *results.TimeSeriesRow) (float64, bool)
}

var (
	leasedSeries = series{"leased fraction", func(r *results.TimeSeriesRow) (float64, bool) {
		if r.Leased < 0 || r.Expired < 0 || r.Leased+r.Expired == 0 {
			return 0, false
		}
		return float64(r.Leased) / float64(r.Leased+r.Expired), true
	}}
	queueSeries   = series{"queue (attempts)", func(r *results.TimeSeriesRow) (float64, bool) { return float64(r.Queue), r.Queue >= 0 }}
	goodputSeries = series{"goodput (/s)", func(r *results.TimeSeriesRow) (float64, bool) { return r.GoodputPerS, !math.IsNaN(r.GoodputPerS) }}
)

// Timeline draws runs over the incident clock: the leased fraction (when any
// run has leases), the queue and goodput, one line per run, with the
// Milestones inside the span as labelled vertical markers. Runs with a start
// clock are drawn at clock times (all runs must have one, or none: then the
// axis is the time since the start).
func Timeline(runs []Run) (Figure, error) {
	if len(runs) == 0 {
		return Figure{}, errors.New("figure: timeline: no runs")
	}
	clocked := false
	for i, r := range runs {
		if len(r.Rows) == 0 {
			return Figure{}, fmt.Errorf("figure: timeline: run %s has no rows", r.Name)
		}
		c := !r.Rows[0].Clock.IsZero()
		if i == 0 {
			clocked = c
		} else if c != clocked {
			return Figure{}, fmt.Errorf("figure: timeline: run %s has %s start clock and run %s %s; plot them apart",
				runs[0].Name, has(clocked), r.Name, has(c))
		}
	}
	// x: Unix seconds on the clock, or the time since the start in a unit
	// that suits the span.
	var (
		zone   *time.Location
		unit   = 1.0
		xlabel = "time since the start (s)"
		span   float64
	)
	for _, r := range runs {
		span = max(span, r.Rows[len(r.Rows)-1].T)
	}
	if clocked {
		first := runs[0].Rows[0]
		zone = first.Clock.Location()
		start := first.Clock.Add(-time.Duration(first.T * float64(time.Second)))
		xlabel = fmt.Sprintf("incident clock (UTC%s), from %s", start.Format("-07:00"), start.Format("2006-01-02 15:04"))
	} else if span > 3*3600 {
		unit, xlabel = 3600, "time since the start (h)"
	} else if span > 180 {
		unit, xlabel = 60, "time since the start (min)"
	}
	xOf := func(r *results.TimeSeriesRow, start float64) float64 {
		if clocked {
			return start + r.T
		}
		return r.T / unit
	}

	panels := []series{queueSeries, goodputSeries}
	for _, r := range runs {
		if _, ok := leasedSeries.y(&r.Rows[0]); ok {
			panels = append([]series{leasedSeries}, panels...)
			break
		}
	}
	plots := make([][]*plot.Plot, len(panels))
	legend := plot.NewLegend()
	legend.Top, legend.Left = true, true
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for i, s := range panels {
		p := plot.New()
		p.Y.Label.Text = s.label
		p.Y.Min = 0
		if s.label == leasedSeries.label {
			p.Y.Max = 1
		} else {
			p.Y.Tick.Marker = countTicks{}
		}
		p.Add(plotter.NewGrid())
		for j, r := range runs {
			var start float64
			if clocked {
				start = float64(r.Rows[0].Clock.Unix()) - math.Round(r.Rows[0].T)
			}
			k := (len(r.Rows) + MaxPoints - 1) / MaxPoints
			var xys plotter.XYs
			for n := range r.Rows {
				if n%k != 0 && n != len(r.Rows)-1 {
					continue
				}
				if y, ok := s.y(&r.Rows[n]); ok {
					xys = append(xys, plotter.XY{X: xOf(&r.Rows[n], start), Y: y})
				}
			}
			if len(xys) == 0 {
				continue
			}
			l, err := plotter.NewLine(xys)
			if err != nil {
				return Figure{}, fmt.Errorf("figure: timeline: run %s: %w", r.Name, err)
			}
			l.Color = plotutil.Color(j)
			l.Dashes = plotutil.Dashes(j / len(plotutil.DefaultColors))
			l.Width = vg.Points(1.2)
			p.Add(l)
			if i == 0 {
				legend.Add(r.Name, l)
			}
			xmin, xmax = min(xmin, xOf(&results.TimeSeriesRow{}, start)), max(xmax, xys[len(xys)-1].X) // from the start, t = 0
		}
		plots[i] = []*plot.Plot{p}
	}
	for i, row := range plots {
		p := row[0]
		p.X.Min, p.X.Max = xmin, xmax
		if xmin == xmax {
			p.X.Min, p.X.Max = xmin-1, xmax+1
		}
		if clocked {
			p.X.Tick.Marker = clockTicks{zone}
			p.Add(markers{label: i == 0, style: markerText(p)})
		}
		if i == len(plots)-1 {
			p.X.Label.Text = xlabel
		}
	}
	if clocked {
		plots[0][0].Title.Text = "dashed: published milestones, " + Source
	}
	legendH := vg.Points(13*float64(len(runs)) + 8)
	return Figure{W: 8 * vg.Inch, H: vg.Length(len(panels))*2.1*vg.Inch + legendH, draw: func(c draw.Canvas) {
		top := draw.Crop(c, 0, 0, legendH, 0)
		bottom := draw.Crop(c, 0, 0, 0, -(c.Max.Y - c.Min.Y - legendH))
		cs := plot.Align(plots, draw.Tiles{Rows: len(plots), Cols: 1, PadTop: 6, PadBottom: 4, PadLeft: 6, PadRight: 12, PadY: 6}, top)
		for i := range plots {
			plots[i][0].Draw(cs[i][0])
		}
		legend.XOffs = vg.Inch * 0.7
		legend.Draw(bottom)
	}}, nil
}

func has(b bool) string {
	if b {
		return "a"
	}
	return "no"
}

// markers draws the Milestones inside the plot's x range (Unix seconds) as
// dashed vertical lines, labelled when label is set.
type markers struct {
	label bool
	style draw.TextStyle
}

var _ plot.Plotter = markers{}

// Plot implements plot.Plotter.
func (m markers) Plot(c draw.Canvas, p *plot.Plot) {
	line := draw.LineStyle{Color: color.Gray{Y: 110}, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	for _, ms := range Milestones {
		v := float64(ms.At.Unix())
		if v < p.X.Min || v > p.X.Max {
			continue
		}
		x := c.X(p.X.Norm(v))
		c.StrokeLine2(line, x, c.Min.Y, x, c.Max.Y)
		if m.label {
			c.FillText(m.style, vg.Point{X: x + vg.Points(1.5), Y: c.Max.Y - vg.Points(3)}, ms.At.Format("15:04")+" "+ms.Label)
		}
	}
}

// markerText is the style of a milestone's label: small, along the line,
// hanging from the top.
func markerText(p *plot.Plot) draw.TextStyle {
	s := p.Y.Label.TextStyle
	s.Font.Size = vg.Points(7)
	s.Color = color.Gray{Y: 60}
	s.Rotation = math.Pi / 2
	s.XAlign, s.YAlign = draw.XRight, draw.YTop
	return s
}
