package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/predict"
	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
)

const boundaryUsage = `Usage: loadgen boundary --param KEY --lo A --hi B [flags]

Find where the system stops recovering by itself: the value of one scenario
key (a trigger's length or factor, the load, the workers: any key --vary
takes) between A and B at which a run under --policy no longer recovers
within the horizon. For each seed 1..N the runs at A and at B must differ
(one recovers, the other not); bisection then narrows the change to --tol.
Each seed's boundary is the midpoint of its last bracket, known only to
within half the bracket (at most tol/2); the boundary is their mean with a
95% interval: Student t over the midpoints (N-1 degrees of freedom), the
spread from the seeds, widened on each side by the widest half-bracket, so
that seeds that agree to the bracket do not give an interval narrower than
what any of them is known to.

A and B are two numbers (0.5, 700) or two durations (50ms, 5s); integers
bisect in whole steps when the key takes no fraction (service.workers).
The outcome is assumed to change once between A and B for each seed; if it
changes several times the bisection finds one of the changes.

Every run goes to DIR/boundary.csv (sweep.csv's columns; vary is KEY=value),
by seed, in the order run; until the search ends, to boundary.csv.partial as
each run finishes, so that an interrupted search (exit 130) keeps them. A
search estimated at more than --max-total-events in all is refused. Exit status 1 when a seed's runs at A and B agree
(the boundary is not between them: widen the range), after the table.

Examples:
  loadgen boundary --scenario metastable --param trigger.1.duration --lo 10ms --hi 5s --seeds 5
  loadgen boundary --scenario metastable --param clients.rate --lo 300 --hi 900 --tol 5
  loadgen boundary --scenario metastable --policy queue-size --param clients.rate --lo 300 --hi 1500 --tol 10
  loadgen boundary --droplets 1e4 --param trigger.1.duration --lo 10m --hi 2h37m --tol 1m --predict   # from the predicted edge
`

// maxBoundarySeeds bounds boundary --seeds.
const maxBoundarySeeds = 1000

// boundaryOpts are boundary's flags.
type boundaryOpts struct {
	scn, pol, key, lo, hi, tol, out string
	seeds, par                      int
	droplets                        int
	predict                         bool
	limits                          *bench.Limits
	maxTotal                        *float64
}

func (a app) boundary(ctx context.Context, args []string) error {
	o, done, err := a.parseBoundary(args)
	if done || err != nil {
		return err
	}
	return a.runBoundary(ctx, o)
}

// parseBoundary parses boundary's flags; done: help was printed.
func (a app) parseBoundary(args []string) (o boundaryOpts, done bool, err error) {
	o.seeds, o.par = 5, runtime.GOMAXPROCS(0)
	fs := cli.NewFlagSet("boundary")
	fs.StringVar(&o.scn, "scenario", defaultScenario, "preset `name` or scenario file (a value with a slash is a file)")
	fs.StringVar(&o.pol, "policy", "none", "policy `spec`")
	fs.StringVar(&o.key, "param", "", "the scenario `KEY` to bisect, by its TOML path (trigger.1.duration, clients.rate)")
	fs.StringVar(&o.lo, "lo", "", "lower end of the range: a `value` (number or duration)")
	fs.StringVar(&o.hi, "hi", "", "upper end of the range: a `value` (number or duration)")
	fs.StringVar(&o.tol, "tol", "", "stop bisecting when the bracket is this `wide` (default 1% of the range)")
	fs.Var(cli.Int{P: &o.seeds}, "seeds", "search with seeds 1..`N`")
	fs.Var(cli.Int{P: &o.droplets}, "droplets", "DWFM `droplets` (0: the scenario's)")
	fs.Var(cli.Int{P: &o.par}, "parallel", fmt.Sprintf("`seeds` searched at once (at most %d)", maxParallel))
	fs.StringVar(&o.out, "out", "out/boundary", "`directory` for boundary.csv; empty: write no file")
	fs.BoolVar(&o.predict, "predict", false, "start each seed's bisection from the fluid model's predicted edge (loadgen predict), ±2%: fewer runs; plain bisection when the policy has no fluid law")
	o.limits, o.maxTotal = limitFlags(fs), totalFlag(fs)
	if done, err := cli.Parse(fs, args, 0, a.stdout, boundaryUsage); done || err != nil {
		return o, done, err
	}
	switch {
	case o.key == "":
		return o, false, cli.Flagf("boundary", "--param is required (a scenario key, e.g. trigger.1.duration)")
	case o.lo == "" || o.hi == "":
		return o, false, cli.Flagf("boundary", "--lo and --hi are both required")
	case o.seeds < 1 || o.seeds > maxBoundarySeeds:
		return o, false, cli.Flagf("boundary", "--seeds %d outside 1..%d", o.seeds, maxBoundarySeeds)
	case o.droplets < 0:
		return o, false, cli.Flagf("boundary", "--droplets %d below 0", o.droplets)
	case o.par < 1 || o.par > maxParallel:
		return o, false, cli.Flagf("boundary", "--parallel %d outside 1..%d", o.par, maxParallel)
	case strings.TrimSpace(o.key) == "dwfm.droplets" && o.droplets > 0:
		return o, false, cli.Flagf("boundary", "--param dwfm.droplets and --droplets %d both set the droplets", o.droplets)
	}
	o.par = min(o.par, o.seeds)
	return o, false, nil
}

func (a app) runBoundary(ctx context.Context, o boundaryOpts) error {
	bd, err := planBoundary(o, true)
	if err != nil {
		return err
	}
	// Every run's row goes to boundary.csv.partial as it finishes, so that
	// an interrupted or failed search keeps the runs it made; a complete
	// search rewrites them by seed and renames the file over boundary.csv.
	if err := overInputs("boundary", o.out, []string{"boundary.csv"}, o.scn); err != nil {
		return err
	}
	var file *results.File
	var f bench.Flusher
	if o.out != "" {
		if file, err = results.CreateWrapped(o.out, "boundary.csv", a.wrapFor("boundary.csv")); err != nil {
			return cli.Usage(fmt.Errorf("boundary: --out %q: %w", o.out, err))
		}
		f = file
	}
	w := bench.NewSweepWriter(f, nil, false) // boundary.csv.partial leaves wall_s empty
	bd.Stop = func() bool { return ctx.Err() != nil || w.Failed() }
	if o.predict {
		bd.Start = predictedBracket(a.stderr, bd)
	}
	bs, err := a.searchBoundary(ctx, bd, w, file)
	if err != nil {
		return err
	}
	if file != nil {
		if file, err = a.writeBrackets(o.out, bs); err != nil {
			return err
		}
	}
	unbracketed := writeBoundary(a.stdout, bd, bs)
	if file != nil {
		fmt.Fprintf(a.stderr, "wrote %s\n", file.Path())
	}
	if unbracketed != "" {
		return fmt.Errorf("boundary: %s", unbracketed)
	}
	return nil
}

// planBoundary checks every input before any run: the range, the policy,
// both ends' runs and the search's estimated events in all. With build the
// lower end's model is built too, for the checks only a model makes;
// without, the estimates alone (the README test sizes the README's
// searches at their own scale so).
func planBoundary(o boundaryOpts, build bool) (bench.Boundary, error) {
	sc, err := loadScenario("boundary", o.scn)
	if err != nil {
		return bench.Boundary{}, err
	}
	p, err := bench.ParseParam(sc, o.key, o.lo, o.hi)
	if err != nil {
		return bench.Boundary{}, cli.Usage(err)
	}
	tol := p.DefaultTol()
	if o.tol != "" {
		if tol, err = p.ParseTol(o.tol); err != nil {
			return bench.Boundary{}, cli.Usage(err)
		}
	}
	if err := bench.AppliesTo(sc, o.pol); err != nil { // before its clock times are read
		return bench.Boundary{}, cli.Usage(fmt.Errorf("boundary: %w", err))
	}
	var most float64                          // the larger end's estimated events
	for i, x := range []float64{p.Lo, p.Hi} { // every input error before any run
		end, _ := bench.With(sc, p.Key, p.Value(x))
		r := bench.Run{Scenario: end, Policy: o.pol, Seed: 1, Droplets: o.droplets}
		e, err := checkSweepRun(r, *o.limits, o.par, build && i == 0)
		if err != nil {
			return bench.Boundary{}, cli.Usage(fmt.Errorf("boundary: %s=%s: %w", p.Key, p.Value(x), err))
		}
		most = max(most, e.Events)
	}
	// Each seed runs both ends, then one run per halving of the range.
	planned := float64(o.seeds) * (2 + math.Ceil(math.Log2(math.Max((p.Hi-p.Lo)/tol, 1))))
	if err := checkTotal("boundary", planned, planned*most, *o.maxTotal, "fewer --seeds or --droplets, or a wider --tol"); err != nil {
		return bench.Boundary{}, err
	}
	return bench.Boundary{Scenario: sc, Policy: o.pol, Droplets: o.droplets, Param: p, Tol: tol, Seeds: o.seeds,
		Parallel: o.par, Limits: *o.limits}, nil
}

// searchBoundary runs the search, each run's row written to w as it
// finishes; on failure the rows stay in file's .partial.
func (a app) searchBoundary(ctx context.Context, bd bench.Boundary, w *bench.SweepWriter, file *results.File) ([]bench.Bracket, error) {
	prog := cli.NewProgress(a.stderr, cli.IsTerminal(a.stderr))
	runs := 0
	bs, err := bd.Search(func(seed uint64, s results.Summary) {
		runs++
		w.Done(runs-1, s, false)
		prog.Println(fmt.Sprintf("[%d] seed %d %s: %s", runs, seed, s.Vary, verdict(s)))
	})
	prog.Done()
	w.Close()
	if err == nil && w.Err() == nil {
		return bs, nil
	}
	where := ""
	if file != nil {
		name, _ := file.Abandon()
		where = fmt.Sprintf("; the %d finished runs in %s", len(w.Rows()), name)
	}
	switch {
	case w.Err() != nil:
		return nil, fmt.Errorf("boundary: %w", w.Err())
	case errors.Is(err, bench.ErrStopped) && ctx.Err() != nil:
		return nil, fmt.Errorf("boundary: %w after %d runs%s", cli.ErrInterrupted, runs, where)
	}
	return nil, fmt.Errorf("boundary: %s%s", strings.TrimPrefix(cli.Named(err).Error(), "bench: boundary: "), where)
}

// writeBrackets rewrites boundary.csv in dir with every seed's runs, by
// seed.
func (a app) writeBrackets(dir string, bs []bench.Bracket) (*results.File, error) {
	var rows []results.Summary
	for _, b := range bs {
		rows = append(rows, b.Runs...)
	}
	file, err := results.CreateWrapped(dir, "boundary.csv", a.wrapFor("boundary.csv"))
	if err != nil {
		return nil, fmt.Errorf("boundary: %w", err)
	}
	if err := results.WriteSweep(file, rows...); err != nil {
		file.Abandon()
		return nil, fmt.Errorf("boundary: %w", err)
	}
	if err := file.Commit(); err != nil {
		return nil, fmt.Errorf("boundary: %w", err)
	}
	return file, nil
}

// writeBoundary prints the seeds' brackets and the boundary; it returns
// what is wrong when some seed has no boundary in the range.
func writeBoundary(w io.Writer, bd bench.Boundary, bs []bench.Bracket) string {
	p, tol := bd.Param, bd.Tol
	fmt.Fprintf(w, "boundary: scenario %s · policy %s · %s from %s to %s · tol %s · seeds 1..%d\n",
		bd.Scenario.Name, bd.Policy, p.Key, p.Value(p.Lo), p.Value(p.Hi), p.Value(tol), len(bs))
	rows := [][]string{{"seed", "recovers at", "not at", "runs"}}
	var (
		mids         []float64
		below, above int // seeds that recover below the boundary, above it
		atBoth, none []string
	)
	for _, b := range bs {
		seed, runs := fmt.Sprint(b.Seed), fmt.Sprint(len(b.Runs))
		switch {
		case b.Bracketed:
			rows = append(rows, []string{seed, p.Value(b.Recovers), p.Value(b.Collapses), runs})
			mids = append(mids, b.Mid())
			if b.Recovers < b.Collapses {
				below++
			} else {
				above++
			}
		case b.RecoversAtLo:
			rows = append(rows, []string{seed, "both ends", "—", runs})
			atBoth = append(atBoth, seed)
		default:
			rows = append(rows, []string{seed, "—", "both ends", runs})
			none = append(none, seed)
		}
	}
	results.Table{Rows: rows, Pad: true}.Text(w)
	if len(mids) > 0 {
		writeEdge(w, p, tol, bs, mids)
		switch {
		case above == 0:
			fmt.Fprintf(w, "recovers below it, stays collapsed above it\n")
		case below == 0:
			fmt.Fprintf(w, "recovers above it, stays collapsed below it\n")
		default:
			fmt.Fprintf(w, "seeds disagree on the side: %d recover below their boundary, %d above\n", below, above)
		}
	}
	var msg []string
	if len(atBoth) > 0 {
		msg = append(msg, "recovers at both ends for seeds "+strings.Join(atBoth, ", "))
	}
	if len(none) > 0 {
		msg = append(msg, "recovers at neither end for seeds "+strings.Join(none, ", "))
	}
	if len(msg) == 0 {
		return ""
	}
	return fmt.Sprintf("no boundary between --lo %s and --hi %s: %s; widen the range", p.Value(p.Lo), p.Value(p.Hi), strings.Join(msg, "; "))
}

// writeEdge prints the boundary: the mean of the bracketed seeds' midpoints
// with its interval, widened by the widest bracket's half.
func writeEdge(w io.Writer, p bench.Param, tol float64, bs []bench.Bracket, mids []float64) {
	round := func(x float64) string { // a mean of whole numbers is not whole
		if p.Kind == bench.Whole {
			return strconv.FormatFloat(x, 'f', 2, 64)
		}
		return p.Value(p.Round(x, tol))
	}
	iv := results.MeanCI(mids)
	lo, hi := slices.Min(mids), slices.Max(mids)
	half := 0.0 // the widest half-bracket: how well any seed's boundary is known
	for _, b := range bs {
		if b.Bracketed {
			half = max(half, math.Abs(b.Collapses-b.Recovers)/2)
		}
	}
	ci := fmt.Sprintf("one seed: no interval over %d seeds", iv.N)
	if iv.N > 1 {
		ci = fmt.Sprintf("95%% CI [%s, %s] over %d seeds (their spread, widened by ±%s, the widest bracket's half)",
			round(iv.Lo()-half), round(iv.Hi()+half), iv.N, round(half))
	}
	fmt.Fprintf(w, "boundary %s  %s; seeds from %s to %s, each ±%s at most\n",
		round(iv.Mean), ci, round(lo), round(hi), round(half))
}

// predictedBracket is the bracket the fluid model predicts bd's edge in
// (predict.Start, ±2%), for bd.Start; the zero bracket, with a note on w,
// when it predicts none (no fluid law for the policy, no edge in the range):
// the search is then plain bisection.
func predictedBracket(w io.Writer, bd bench.Boundary) [2]float64 {
	p := bd.Param
	lo, hi, ok, err := predict.Start(predict.Query{Scenario: bd.Scenario, Spec: bd.Policy, Options: predict.Options{Droplets: bd.Droplets}, Param: p, Tol: bd.Tol}, 0.02)
	switch {
	case err != nil:
		fmt.Fprintf(w, "boundary: no prediction (%s); plain bisection\n", cli.OneLine(cli.Named(err).Error()))
	case !ok:
		fmt.Fprintf(w, "boundary: the fluid model predicts no edge in [%s, %s]; plain bisection\n", p.Value(p.Lo), p.Value(p.Hi))
	default:
		fmt.Fprintf(w, "boundary: predicted edge in [%s, %s]; each seed runs there first\n", p.Value(lo), p.Value(hi))
		return [2]float64{lo, hi}
	}
	return [2]float64{}
}
