package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/predict"
	"github.com/aftershock/aftershock/bench/scenario"
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

// MaxBoundarySeeds bounds boundary --seeds.
const MaxBoundarySeeds = 1000

func (a app) boundary(ctx context.Context, args []string) error {
	var (
		scn, pol, key, lo, hi, tolS, out string
		seeds, par                       = 5, runtime.GOMAXPROCS(0)
		droplets                         int
		usePredict                       bool
	)
	fs := cli.NewFlagSet("boundary")
	fs.StringVar(&scn, "scenario", DefaultScenario, "preset `name` or scenario file (a value with a slash is a file)")
	fs.StringVar(&pol, "policy", "none", "policy `spec`")
	fs.StringVar(&key, "param", "", "the scenario `KEY` to bisect, by its TOML path (trigger.1.duration, clients.rate)")
	fs.StringVar(&lo, "lo", "", "lower end of the range: a `value` (number or duration)")
	fs.StringVar(&hi, "hi", "", "upper end of the range: a `value` (number or duration)")
	fs.StringVar(&tolS, "tol", "", "stop bisecting when the bracket is this `wide` (default 1% of the range)")
	fs.Var(cli.Int{P: &seeds}, "seeds", "search with seeds 1..`N`")
	fs.Var(cli.Int{P: &droplets}, "droplets", "DWFM `droplets` (0: the scenario's)")
	fs.Var(cli.Int{P: &par}, "parallel", "`seeds` searched at once (at most 256)")
	fs.StringVar(&out, "out", "out/boundary", "`directory` for boundary.csv; empty: write no file")
	fs.BoolVar(&usePredict, "predict", false, "start each seed's bisection from the fluid model's predicted edge (loadgen predict), ±2%: fewer runs; plain bisection when the policy has no fluid law")
	limits := limitFlags(fs)
	maxTotal := totalFlag(fs)
	if done, err := cli.Parse(fs, args, 0, a.stdout, boundaryUsage); done || err != nil {
		return err
	}
	switch {
	case key == "":
		return cli.Flagf("boundary", "--param is required (a scenario key, e.g. trigger.1.duration)")
	case lo == "" || hi == "":
		return cli.Flagf("boundary", "--lo and --hi are both required")
	case seeds < 1 || seeds > MaxBoundarySeeds:
		return cli.Flagf("boundary", "--seeds %d outside 1..%d", seeds, MaxBoundarySeeds)
	case droplets < 0:
		return cli.Flagf("boundary", "--droplets %d below 0", droplets)
	case par < 1 || par > MaxParallel:
		return cli.Flagf("boundary", "--parallel %d outside 1..%d", par, MaxParallel)
	}
	if strings.TrimSpace(key) == "dwfm.droplets" && droplets > 0 {
		return cli.Flagf("boundary", "--param dwfm.droplets and --droplets %d both set the droplets", droplets)
	}
	sc, err := loadScenario("boundary", scn)
	if err != nil {
		return err
	}
	p, err := bench.ParseParam(sc, key, lo, hi)
	if err != nil {
		return cli.Usage(err)
	}
	tol := p.DefaultTol()
	if tolS != "" {
		if tol, err = p.ParseTol(tolS); err != nil {
			return cli.Usage(err)
		}
	}
	par = min(par, seeds)
	if err := bench.AppliesTo(sc, pol); err != nil { // before its clock times are read
		return cli.Usage(fmt.Errorf("boundary: %w", err))
	}
	var most float64                          // the larger end's estimated events
	for i, x := range []float64{p.Lo, p.Hi} { // every input error before any run
		end, _ := bench.With(sc, p.Key, p.Value(x))
		r := bench.Run{Scenario: end, Policy: pol, Seed: 1, Droplets: droplets}
		e, err := checkSweepRun(r, *limits, par, i == 0)
		if err != nil {
			return cli.Usage(fmt.Errorf("boundary: %s=%s: %w", p.Key, p.Value(x), err))
		}
		most = max(most, e.Events)
	}
	// Each seed runs both ends, then one run per halving of the range.
	planned := float64(seeds) * (2 + math.Ceil(math.Log2(math.Max((p.Hi-p.Lo)/tol, 1))))
	if err := checkTotal("boundary", planned, planned*most, *maxTotal, "fewer --seeds or --droplets, or a wider --tol"); err != nil {
		return err
	}
	// Every run's row goes to boundary.csv.partial as it finishes, so that
	// an interrupted or failed search keeps the runs it made; a complete
	// search rewrites them by seed and renames the file over boundary.csv.
	if err := overInputs("boundary", out, []string{"boundary.csv"}, scn); err != nil {
		return err
	}
	var file *results.File
	if out != "" {
		if file, err = results.CreateWrapped(out, "boundary.csv", a.wrapFor("boundary.csv")); err != nil {
			return cli.Usage(fmt.Errorf("boundary: --out %q: %w", out, err))
		}
	}
	w := newSweepWriter(file)
	prog := cli.NewProgress(a.stderr, cli.IsTerminal(a.stderr))
	runs := 0
	bd := bench.Boundary{Scenario: sc, Policy: pol, Droplets: droplets, Param: p, Tol: tol, Seeds: seeds,
		Parallel: par, Limits: *limits, Stop: func() bool { return ctx.Err() != nil || w.failed() }}
	if usePredict {
		bd.Start = predictedBracket(a.stderr, sc, pol, droplets, p, tol)
	}
	bs, err := bd.Search(func(seed uint64, s results.Summary) {
		runs++
		w.done(runs-1, s, false)
		prog.Println(fmt.Sprintf("[%d] seed %d %s: %s", runs, seed, s.Vary, verdict(s)))
	})
	prog.Done()
	w.close()
	if err != nil || w.err != nil {
		where := ""
		if file != nil {
			name, _ := file.Abandon()
			where = fmt.Sprintf("; the %d finished runs in %s", len(w.rows), name)
		}
		switch {
		case w.err != nil:
			return fmt.Errorf("boundary: %w", w.err)
		case errors.Is(err, bench.ErrStopped) && ctx.Err() != nil:
			return fmt.Errorf("boundary: %w after %d runs%s", cli.ErrInterrupted, runs, where)
		}
		return fmt.Errorf("boundary: %s%s", strings.TrimPrefix(err.Error(), "bench: boundary: "), where)
	}
	if file != nil {
		var rows []results.Summary
		for _, b := range bs {
			rows = append(rows, b.Runs...)
		}
		if file, err = results.CreateWrapped(out, "boundary.csv", a.wrapFor("boundary.csv")); err != nil {
			return fmt.Errorf("boundary: %w", err)
		}
		if err := results.WriteSweep(file, rows...); err != nil {
			file.Abandon()
			return fmt.Errorf("boundary: %w", err)
		}
		if err := file.Commit(); err != nil {
			return fmt.Errorf("boundary: %w", err)
		}
	}
	unbracketed := writeBoundary(a, sc.Name, pol, p, tol, bs)
	if file != nil {
		fmt.Fprintf(a.stderr, "wrote %s\n", file.Path())
	}
	if unbracketed != "" {
		return fmt.Errorf("boundary: %s", unbracketed)
	}
	return nil
}

// writeBoundary prints the seeds' brackets and the boundary; it returns
// what is wrong when some seed has no boundary in the range.
func writeBoundary(a app, scn, pol string, p bench.Param, tol float64, bs []bench.Bracket) string {
	round := func(x float64) string { // a mean of whole numbers is not whole
		if p.Kind == bench.Whole {
			return strconv.FormatFloat(x, 'f', 2, 64)
		}
		return p.Value(p.Round(x, tol))
	}
	fmt.Fprintf(a.stdout, "boundary: scenario %s · policy %s · %s from %s to %s · tol %s · seeds 1..%d\n",
		scn, pol, p.Key, p.Value(p.Lo), p.Value(p.Hi), p.Value(tol), len(bs))
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "seed\trecovers at\tnot at\truns\t")
	var (
		mids         []float64
		below, above int // seeds that recover below the boundary, above it
		atBoth, none []string
	)
	for _, b := range bs {
		switch {
		case b.Bracketed:
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t\n", b.Seed, p.Value(b.Recovers), p.Value(b.Collapses), len(b.Runs))
			mids = append(mids, b.Mid())
			if b.Recovers < b.Collapses {
				below++
			} else {
				above++
			}
		case b.RecoversAtLo:
			fmt.Fprintf(tw, "%d\tboth ends\t—\t%d\t\n", b.Seed, len(b.Runs))
			atBoth = append(atBoth, fmt.Sprint(b.Seed))
		default:
			fmt.Fprintf(tw, "%d\t—\tboth ends\t%d\t\n", b.Seed, len(b.Runs))
			none = append(none, fmt.Sprint(b.Seed))
		}
	}
	tw.Flush()
	if len(mids) > 0 {
		iv := results.MeanCI(mids)
		lo, hi := mids[0], mids[0]
		for _, m := range mids {
			lo, hi = min(lo, m), max(hi, m)
		}
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
		fmt.Fprintf(a.stdout, "boundary %s  %s; seeds from %s to %s, each ±%s at most\n",
			round(iv.Mean), ci, round(lo), round(hi), round(half))
		switch {
		case above == 0:
			fmt.Fprintf(a.stdout, "recovers below it, stays collapsed above it\n")
		case below == 0:
			fmt.Fprintf(a.stdout, "recovers above it, stays collapsed below it\n")
		default:
			fmt.Fprintf(a.stdout, "seeds disagree on the side: %d recover below their boundary, %d above\n", below, above)
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

// predictedBracket is the bracket the fluid model predicts the edge in
// (predict.Start, ±2%), for bench.Boundary.Start; the zero bracket, with a
// note on w, when it predicts none (no fluid law for the policy, no edge in
// the range): the search is then plain bisection.
func predictedBracket(w io.Writer, sc *scenario.Scenario, pol string, droplets int, p bench.Param, tol float64) [2]float64 {
	lo, hi, ok, err := predict.Start(sc, pol, predict.Options{Droplets: droplets}, p, tol, 0.02)
	switch {
	case err != nil:
		fmt.Fprintf(w, "boundary: no prediction (%s); plain bisection\n", cli.OneLine(err.Error()))
	case !ok:
		fmt.Fprintf(w, "boundary: the fluid model predicts no edge in [%s, %s]; plain bisection\n", p.Value(p.Lo), p.Value(p.Hi))
	default:
		fmt.Fprintf(w, "boundary: predicted edge in [%s, %s]; each seed runs there first\n", p.Value(lo), p.Value(hi))
		return [2]float64{lo, hi}
	}
	return [2]float64{}
}
