package main

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
	"github.com/aftershock/aftershock/results/figure"
)

const plotUsage = `Usage: loadgen plot [flags] INPUT... --out FILE

Draw result files as a picture: PNG or SVG by --out's extension. An INPUT
is a run directory (sim --out: timeseries.csv, named in the legend by the
summary.csv beside it), a sweep directory (sweep --out: sweep.csv), or a
timeseries.csv, summary.csv or sweep.csv file. Flags may come before or
after the inputs. The kind of picture follows from the inputs; --kind
forces one:

  timeline  run directories: the leased fraction (for a model with leases),
            the queue and goodput over the incident clock (the scenario's
            start + t), one line per run, and the published milestones of the
            October 2025 us-east-1 event inside the span as labelled dashed
            lines (https://aws.amazon.com/message/101925/). A cascade's runs
            (sim --scenario us-east-1-cascade) make one stacked timeline:
            DWFM's leases, the propagation backlog and p99 latency, the NLB's
            connection errors and capacity in DNS, on one clock; the
            published milestones labelled calibrated, scheduled or predicted,
            and each run's own (its summary.csv) as triangles
  phase     a sweep with two varied parameters (sweep --vary twice), one
            panel per policy: each point's marker says whether its runs
            recovered (all: circle, some: triangle, none: grey cross), its
            colour their mean recovery time, read on the colour bar
  ratio     any other sweep (or summaries): each policy's recovery ratio to
            the ideal bound, the mean with its 95% interval over the seeds

Exit status: 0 ok; 1 the image could not be written (a full disk); 2 bad
input, with one line: a missing input, a directory without result files, a
malformed file, run directories mixed with sweeps, a kind the inputs cannot
make, an --out other than .png or .svg, an unwritable --out.

Examples:
  loadgen sim --droplets 1e5 --out runs/none
  loadgen sim --droplets 1e5 --policy queue-size --out runs/queue-size
  loadgen plot runs/none runs/queue-size --out timeline.png
  loadgen sweep --scenario metastable --policies none,queue-size --seeds 3 \
      --vary clients.rate=600,700,800 --vary service.workers=8,10 --out runs/phase
  loadgen plot runs/phase --out phase.svg
  loadgen sweep --policies none,queue-size,aimd,reserve --seeds 5 --droplets 1e5 --out runs/ratio
  loadgen plot runs/ratio --out ratio.png
`

// plotOpts are plot's flags and inputs.
type plotOpts struct {
	out, scn    string
	format      string      // figure.FormatOf
	kind        figure.Kind // "": auto
	withPredict bool
	inputs      []string
}

func (a app) plot(args []string) error {
	o, done, err := a.parsePlot(args)
	if done || err != nil {
		return err
	}
	return a.runPlot(o)
}

// parsePlot parses plot's flags, which may follow the inputs; done: help
// was printed.
func (a app) parsePlot(args []string) (o plotOpts, done bool, err error) {
	var kind string
	fs := cli.NewFlagSet("plot")
	fs.StringVar(&o.out, "out", "", "image `file` to write: .png or .svg")
	fs.StringVar(&kind, "kind", "auto", "the picture: auto, timeline, phase or ratio")
	fs.BoolVar(&o.withPredict, "predict", false, "phase: draw the fluid model's predicted edge (loadgen predict) over each panel")
	fs.StringVar(&o.scn, "scenario", "", "phase --predict: the scenario the sweep ran, preset `name` or file (default: the runs' scenario name, as a preset)")
	// Flags may follow the inputs: parse, take the inputs up to the next
	// flag, parse again.
	for rest := args; ; {
		if done, err := cli.Parse(fs, rest, -1, a.stdout, plotUsage); done || err != nil {
			return o, done, err
		}
		rest = fs.Args()
		for len(rest) > 0 && !(len(rest[0]) > 1 && rest[0][0] == '-') {
			o.inputs, rest = append(o.inputs, rest[0]), rest[1:]
		}
		if len(rest) == 0 {
			break
		}
	}
	if o.out == "" {
		return o, false, cli.Flagf("plot", "--out FILE is required (a .png or .svg file)")
	}
	if o.format, err = figure.FormatOf(o.out); err != nil {
		return o, false, cli.Flagf("plot", "--out %q: want a .png or .svg file", o.out)
	}
	if kind != "auto" {
		if o.kind, err = figure.ParseKind(kind); err != nil {
			return o, false, cli.Flagf("plot", "--kind %q: want auto, timeline, phase or ratio", kind)
		}
	}
	if len(o.inputs) == 0 {
		return o, false, cli.Flagf("plot", "want one or more run directories, sweep directories or result files")
	}
	if in := results.Clobbers(o.out, o.inputs...); in != "" {
		return o, false, cli.Flagf("plot", "--out %q would replace input %q: write the picture elsewhere", o.out, in)
	}
	return o, false, nil
}

func (a app) runPlot(o plotOpts) error {
	in, err := readPlotInputs(o.inputs)
	if err != nil {
		return cli.Usage(fmt.Errorf("plot: %w", err))
	}
	want, err := plotKind(o.kind, in)
	if err != nil {
		return err
	}
	f, want, err := drawPlot(o, want, in)
	if err != nil {
		return err
	}
	img, err := f.Encode(o.format)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	dir, base := filepath.Split(o.out)
	if dir == "" {
		dir = "."
	}
	file, err := results.CreateWrapped(dir, base, a.wrapFor(base))
	if err != nil {
		return cli.Usage(fmt.Errorf("plot: --out %q: %w", o.out, err))
	}
	file.Write(img)
	if err := file.Commit(); err != nil {
		os.Remove(file.PartialPath())
		return fmt.Errorf("plot: writing %q: %w", o.out, err)
	}
	fmt.Fprintf(a.stderr, "wrote %s (%s)\n", o.out, want)
	return nil
}

// plotKind is the picture the inputs make: want, or the one auto picks.
func plotKind(want figure.Kind, in plotInputs) (figure.Kind, error) {
	switch {
	case len(in.runs) > 0 && len(in.sums) > 0:
		return want, cli.Usage(fmt.Errorf("plot: inputs mix run directories (%q) and sweep or summary files (%q); plot them apart", in.runFrom[0], in.sumFrom[0]))
	case len(in.runs) > 0 && want == "":
		want = figure.KindTimeline
	case len(in.runs) > 0 && want != figure.KindTimeline:
		return want, cli.Usage(fmt.Errorf("plot: --kind %s needs a sweep (sweep.csv or summary.csv), got run directories (%q)", want, in.runFrom[0]))
	case len(in.sums) > 0 && want == figure.KindTimeline:
		return want, cli.Usage(fmt.Errorf("plot: --kind timeline needs run directories (sim --out) with timeseries.csv, got %q", in.sumFrom[0]))
	case len(in.sums) > 0 && want == "":
		want = figure.Detect(in.sums)
	}
	return want, nil
}

// drawPlot draws the picture of kind want, and names it.
func drawPlot(o plotOpts, want figure.Kind, in plotInputs) (f figure.Figure, name figure.Kind, err error) {
	cascades, single := 0, -1
	for i, r := range in.runs {
		if isCascadeRun(r) {
			cascades++
		} else if single < 0 {
			single = i
		}
	}
	switch {
	case cascades > 0 && single >= 0:
		return f, want, cli.Usage(fmt.Errorf("plot: inputs mix cascade runs and runs of one model (%q); plot them apart", in.runFrom[single]))
	case want == figure.KindTimeline && cascades > 0:
		f, err = cascadeFigure(in.runs, in.runSums)
	case want == figure.KindTimeline:
		f, err = figure.Timeline(in.runs)
	case want == figure.KindPhase && o.withPredict:
		var edge figure.EdgeFunc
		if edge, err = predictedEdges(o.scn, in.sums); err == nil {
			f, err = figure.PhaseWithEdges(in.sums, edge)
		}
	case want == figure.KindPhase:
		f, err = figure.Phase(in.sums)
	default:
		f, err = figure.Ratio(in.sums)
	}
	if err != nil {
		return f, want, cli.Usage(fmt.Errorf("plot: %w", err))
	}
	if cascades > 0 {
		want = "stacked cascade timeline"
	}
	return f, want, nil
}

// plotInputs are the runs and the summary rows read from plot's inputs, with
// the input each kind came from first (for errors).
type plotInputs struct {
	runs             []figure.Run
	runSums          []*results.Summary // each run's summary.csv row; nil without one
	sums             []results.Summary
	runFrom, sumFrom []string
}

// readPlotInputs reads every input: a directory by the result files it
// holds, a file by its header.
func readPlotInputs(inputs []string) (plotInputs, error) {
	r := plotReader{seen: map[results.Key]string{}, series: map[string]string{}, runs: map[results.Key]string{}}
	for _, name := range inputs {
		file, err := plotFile(name)
		if err != nil {
			return r.in, err
		}
		isSeries, err := isTimeSeries(file)
		if err != nil {
			return r.in, err
		}
		if isSeries {
			err = r.addRun(name, file)
		} else {
			err = r.addResults(name, file)
		}
		if err != nil {
			return r.in, err
		}
	}
	return r.in, nil
}

// plotReader gathers plot's inputs, refusing a run given twice.
type plotReader struct {
	in     plotInputs
	seen   map[results.Key]string // each summary row's run, and the file it came from
	series map[string]string      // each run directory's time series (its real path), and the input it came from
	runs   map[results.Key]string // each run directory's run, and the input it came from
}

// plotFile is the result file an input names: itself, or the first of
// timeseries.csv, sweep.csv and summary.csv in a directory.
func plotFile(name string) (string, error) {
	st, err := os.Stat(name)
	if err != nil {
		return "", fmt.Errorf("%q: %w", name, pathErr(err))
	}
	if !st.IsDir() {
		return name, nil
	}
	for _, f := range []string{"timeseries.csv", "sweep.csv", "summary.csv"} {
		if st, err := os.Stat(filepath.Join(name, f)); err == nil && st.Mode().IsRegular() {
			return filepath.Join(name, f), nil
		}
	}
	return "", fmt.Errorf("%q: no timeseries.csv, sweep.csv or summary.csv in it (an interrupted run leaves only *.partial)", name)
}

// addRun reads input name's time series, file.
func (p *plotReader) addRun(name, file string) error {
	real, err := filepath.EvalSymlinks(file)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil {
		return fmt.Errorf("%q: %w", name, pathErr(err))
	}
	if first, dup := p.series[real]; dup {
		return fmt.Errorf("%q: the same run as %q, given twice", name, first)
	}
	p.series[real] = name
	r, sum, err := readRun(file)
	if err != nil {
		return err
	}
	var key results.Key
	if sum != nil {
		key = results.KeyOf(*sum)
	}
	if key != (results.Key{}) {
		if first, dup := p.runs[key]; dup {
			return fmt.Errorf("%q: run %s is also in %q", name, key, first)
		}
		p.runs[key] = name
	}
	in := &p.in
	in.runs, in.runFrom, in.runSums = append(in.runs, r), append(in.runFrom, name), append(in.runSums, sum)
	return nil
}

// addResults reads input name's summary or sweep file, file.
func (p *plotReader) addResults(name, file string) error {
	ss, err := readResults(file)
	if err != nil {
		return err
	}
	for _, s := range ss {
		k := results.KeyOf(s)
		if first, dup := p.seen[k]; dup {
			return fmt.Errorf("%q: run %s is also in %q", file, k, first)
		}
		p.seen[k] = file
	}
	p.in.sums, p.in.sumFrom = append(p.in.sums, ss...), append(p.in.sumFrom, name)
	return nil
}

// isTimeSeries reports whether file's header starts with t_s, as
// timeseries.csv's does.
func isTimeSeries(file string) (bool, error) {
	f, err := os.Open(file)
	if err != nil {
		return false, fmt.Errorf("%q: %w", file, pathErr(err))
	}
	defer f.Close()
	b := make([]byte, 4)
	n, _ := bufio.NewReader(f).Read(b)
	return strings.HasPrefix(strings.TrimPrefix(string(b[:n]), "\ufeff"), "t_s,"), nil
}

// readRun reads a timeseries.csv and names the run by the summary.csv
// beside it ("us-east-1 / queue-size / seed 1"), or by its directory when
// there is none; sum is that summary's row (nil without one).
func readRun(file string) (r figure.Run, sum *results.Summary, err error) {
	f, err := os.Open(file)
	if err != nil {
		return r, nil, fmt.Errorf("%q: %w", file, pathErr(err))
	}
	defer f.Close()
	rows, cols, err := results.ReadTimeSeries(file, f)
	if err != nil {
		return r, nil, err
	}
	r = figure.Run{Name: filepath.Dir(file), Rows: rows, Columns: cols}
	path := filepath.Join(filepath.Dir(file), "summary.csv")
	if _, err := os.Stat(path); err == nil {
		ss, err := readResults(path)
		if err != nil {
			return r, nil, err
		}
		if len(ss) > 0 {
			s := ss[0]
			sum = &s
			r.Name = fmt.Sprintf("%s / %s / seed %d", s.Scenario, s.Policy, s.Seed)
			if s.Droplets > 0 {
				r.Name += fmt.Sprintf(" / %d droplets", s.Droplets)
			}
		}
	}
	return r, sum, nil
}

// pathErr is err without the *fs.PathError's repetition of the path.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
