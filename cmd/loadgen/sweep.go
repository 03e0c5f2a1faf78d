package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
)

const sweepUsage = `Usage: loadgen sweep [flags]

Run one scenario under many policies (and seeds, and values of its keys), in
parallel, and compare them: print a table and write DIR/sweep.csv (summary.csv's
columns with vary after policy, one row per run, in the order given).

--vary KEY=v1,v2,... (repeatable) sets a scenario key, by its TOML path
(dwfm.check_interval, service.workers, trigger.1.duration), to each value in
turn; several --vary run their cross product, each combination under every
policy and seed. Values are written as in a scenario file; text values
(durations, distributions) need no quotes: dwfm.check_interval=90s,3m.
Commas inside parentheses do not split: service.service_time=lognormal(7.5s,0.25).

The table has one row per policy (and vary values) over its seeds: runs
recovered k/n; mean recovery; mean ratio to ideal with a 95% interval
(Student t, n-1 degrees of freedom), given only when every run recovered;
rank among the policies of the same vary values, as loadgen compare ranks
(its help says how): the largest share of runs recovered first, then the
least mean recovery; "r (k=)" marks a policy ranked r that a test on the runs
paired by seed cannot tell from the one ranked k, and "k=" that one. One seed
allows no test, and no mark; telling a
policy that never recovers from one that always does takes 6 seeds (a note
under the table says so where it matters, as compare's does).

A cascade (us-east-1-cascade, or a file with [stages]) sweeps as any
scenario does. Its --policies entries are separated by ';', an entry's stage
specs by spaces ("operator;mitigated;dwfm=operator
nlb=velocity:cap=5%,window=5m"); --vary takes its [link] keys
(link.items_per_droplet_hour=0.01,0.02) and its stages' keys, by the stage's
name and the key's path in the stage's file
(stages.dwfm.dwfm.check_interval=90s,3m, stages.netprop.service.workers=16,24,
stages.nlb.nlb.check_interval=10s,30s; a key the cascade replaces, such as
stages.nlb.nlb.launches, is refused). After the ranking it prints the
milestone table (published, and each policy's range over the seeds) and the
stages' measures (means with intervals), and sweep.csv has the cascade's
own columns after the others.

A sweep of more than 2^20 runs is refused, and so is one whose runs'
estimates add up to more than --max-total-events (1e11; inf lifts it).

sweep.csv is written as sweep.csv.partial and renamed over the old one only
when every run has completed; an interrupted sweep (exit 130) keeps the runs
that finished, each complete, in sweep.csv.partial, and starts no new run.

--shard I/N runs only shard I (from 0) of N: a contiguous slice of the runs,
in the same order, written to DIR/sweep.shard-I-of-N.csv. --shard N takes I
from $JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or $SLURM_ARRAY_TASK_ID
(Slurm array, --array=0-(N-1)). The N shards' files, concatenated in order
with one header (or 'loadgen merge'), are the file one machine writes. E.g.
--policies all --seeds 5 --shard 3/7 --out runs writes runs/sweep.shard-3-of-7.csv.

Examples:
  loadgen sweep --policies none,operator,queue-size
  loadgen sweep --policies all --seeds 5 --droplets 1e5 --markdown   # every control, 5 seeds, Markdown
  loadgen sweep --policies none,queue-size --droplets 1e5 --vary dwfm.check_interval=90s,3m,270s --vary service.workers=2,4,6
  loadgen sweep --scenario metastable --policies none,codel --parallel 1
`

// maxParallel bounds --parallel: each run under way holds its whole model.
const maxParallel = 256

// sweepOpts are sweep's flags.
type sweepOpts struct {
	scn, pols, out string
	seeds, par     int
	droplets       int
	md             bool
	varies         []bench.Vary
	shard          cli.Shard
	limits         *bench.Limits
	maxTotal       *float64
	asserts        *runAssertions
	wall           *bool
}

func (a app) sweep(ctx context.Context, args []string) error {
	o, done, err := a.parseSweep(args)
	if done || err != nil {
		return err
	}
	return a.runSweep(ctx, o)
}

// parseSweep parses sweep's flags; done: help was printed.
func (a app) parseSweep(args []string) (o sweepOpts, done bool, err error) {
	o.seeds, o.par = 1, runtime.GOMAXPROCS(0)
	fs := cli.NewFlagSet("sweep")
	fs.StringVar(&o.scn, "scenario", defaultScenario, "preset `name` or scenario file (a value with a slash is a file)")
	fs.StringVar(&o.pols, "policies", "none,operator,queue-size", "policy `specs` separated by ';' or ',' between whole specs (a spec's own parameters use ',' after ':'), or 'all'")
	fs.Var(cli.Int{P: &o.seeds}, "seeds", "run each policy with seeds 1..`N`")
	fs.Var(cli.Int{P: &o.droplets}, "droplets", "DWFM `droplets` (0: the scenario's)")
	fs.StringVar(&o.out, "out", "out/sweep", "`directory` for sweep.csv; empty: write no file")
	fs.Var(cli.Int{P: &o.par}, "parallel", fmt.Sprintf("`runs` at once (at most %d)", maxParallel))
	fs.BoolVar(&o.md, "markdown", false, "print the table as Markdown")
	fs.Func("vary", "set scenario key `KEY=v1,v2,...` to each value in turn (repeatable: the cross product)", func(v string) error {
		vr, err := bench.ParseVary(v)
		o.varies = append(o.varies, vr)
		return cli.Named(err)
	})
	fs.Var(&o.shard, "shard", "run only shard `I/N` of the runs (I from 0) and write sweep.shard-I-of-N.csv; N alone takes I from $JOB_COMPLETION_INDEX or $SLURM_ARRAY_TASK_ID")
	o.limits, o.maxTotal, o.asserts, o.wall = limitFlags(fs), totalFlag(fs), assertFlag(fs), wallFlag(fs)
	if done, err := cli.Parse(fs, args, 0, a.stdout, sweepUsage); done || err != nil {
		return o, done, err
	}
	switch {
	case o.seeds < 1:
		return o, false, cli.Flagf("sweep", "--seeds %d below 1", o.seeds)
	case o.droplets < 0:
		return o, false, cli.Flagf("sweep", "--droplets %d below 0", o.droplets)
	case o.par < 1 || o.par > maxParallel:
		return o, false, cli.Flagf("sweep", "--parallel %d outside 1..%d", o.par, maxParallel)
	}
	return o, false, nil
}

// sweepRun is a sweep under way: its plan, the slice [lo, hi) of it this
// machine runs, and where the rows go.
type sweepRun struct {
	plan   bench.SweepPlan
	lo, hi int
	notes  []string // the policies' caveats, printed under the table
	file   *results.File
	w      *bench.SweepWriter
	name   string // the scenario's
}

func (a app) runSweep(ctx context.Context, o sweepOpts) error {
	r, err := a.planSweep(ctx, o)
	if err != nil {
		return err
	}
	var ms results.GroupMeans
	cs := newCascadeRuns() // a cascade's milestones and stages
	err = a.executeSweep(r, o.par, func(i int, oc bench.Outcome) {
		addMeasures(&ms, i, oc)
		cs.add(i, oc)
	})
	if err != nil {
		return err
	}
	rows := r.w.Rows()
	if o.md {
		results.WriteMarkdown(a.stdout, rows)
	} else {
		results.WriteText(a.stdout, rows)
	}
	writeMeasures(a.stdout, &ms, o.md)
	cs.write(a.stdout, o.md)
	for _, n := range r.notes {
		fmt.Fprintf(a.stdout, "note: %s\n", n)
	}
	if err := r.finish(a.stderr, len(rows)); err != nil {
		return err
	}
	return o.asserts.check(rows...)
}

// planSweep checks every input before any run and creates the sweep's
// file: the runs' count, the grid, the policies, each run's estimate, the
// machine's total.
func (a app) planSweep(ctx context.Context, o sweepOpts) (*sweepRun, error) {
	r, sc, name, err := sizeSweep(ctx, o, a.stderr, true)
	if err != nil {
		return nil, err
	}
	if err := r.create(a, o, name, sc); err != nil {
		return nil, err
	}
	r.plan.Stop = func() bool { return ctx.Err() != nil || r.w.Failed() }
	return r, nil
}

// sizeSweep is planSweep's checks, before its file: the runs' count, the
// grid, the policies, each run's estimate against the limits and the
// machine's total against --max-total-events; it returns the plan, its
// scenario and the file's name; the policies left out of 'all' are said on
// stderr. With build, the first policy at each point
// is built too, for the checks only a model makes (a model of 10⁷ droplets
// takes seconds to build); without, the estimates alone (the README test
// sizes the README's sweeps at their own scale so).
func sizeSweep(ctx context.Context, o sweepOpts, stderr io.Writer, build bool) (*sweepRun, *scenario.Scenario, string, error) {
	sc, err := loadScenario("sweep", o.scn)
	if err != nil {
		return nil, nil, "", err
	}
	specs, err := sweepSpecs(o)
	if err != nil {
		return nil, nil, "", err
	}
	if runs, combos := bench.PlanRuns(o.varies, len(specs), o.seeds, maxRuns); runs > maxRuns {
		return nil, nil, "", cli.Usage(fmt.Errorf("sweep: %.3g runs (%s × %d policies × %d seeds), more than %d: its sweep.csv could not be read back; sweep fewer",
			runs, plural(combos, "--vary combination", "--vary combinations"), len(specs), o.seeds, maxRuns))
	}
	if err := o.asserts.over(sc.Name, bench.SummaryColumns(sc)); err != nil {
		return nil, nil, "", err
	}
	points, err := bench.Grid(sc, o.varies)
	if err != nil {
		return nil, nil, "", cli.Usage(fmt.Errorf("sweep: %w", err))
	}
	if strings.TrimSpace(o.pols) == "all" {
		specs = buildable(stderr, sc, specs)
	}
	r := &sweepRun{name: sc.Name, plan: bench.SweepPlan{Points: points, Policies: specs, Seeds: o.seeds, Droplets: o.droplets, Limits: *o.limits}}
	events, err := r.check(ctx, o, build)
	if err != nil {
		return nil, nil, "", err
	}
	name := "sweep.csv"
	if r.hi = r.plan.Cells(); o.shard.On { // this machine runs cells lo … hi−1
		if r.lo, r.hi, err = o.shard.Cells(r.hi); err != nil {
			return nil, nil, "", cli.Flagf("sweep", "--shard %d/%d: %v", o.shard.I, o.shard.N, err)
		}
		name = o.shard.File("sweep")
	}
	total := r.plan.Events(r.lo, r.hi, events) // this machine's runs' estimates
	if err := checkTotal("sweep", float64(r.hi-r.lo), total, *o.maxTotal, "fewer --seeds, policies, --vary values or --droplets"); err != nil {
		return nil, nil, "", err
	}
	return r, sc, name, nil
}

// sweepSpecs are the --policies specs, checked against --vary and --droplets.
func sweepSpecs(o sweepOpts) ([]string, error) {
	for _, v := range o.varies {
		if (v.Key == "dwfm.droplets" || v.Key == "stages.dwfm.dwfm.droplets") && o.droplets > 0 {
			return nil, cli.Flagf("sweep", "--vary dwfm.droplets and --droplets %d both set the droplets", o.droplets)
		}
	}
	specs := splitSpecs(o.pols)
	if len(specs) == 0 {
		return nil, cli.Flagf("sweep", "--policies is empty")
	}
	return specs, nil
}

// check validates every policy at every point before any run, gathering
// the policies' caveats; it returns each point's and policy's estimated
// events, by point then policy.
func (r *sweepRun) check(ctx context.Context, o sweepOpts, build bool) ([]float64, error) {
	points, specs := r.plan.Points, r.plan.Policies
	seen := map[string]bool{}
	events := make([]float64, len(points)*len(specs))
	for k, p := range specs {
		first := bench.Run{Scenario: points[0].Scenario, Policy: p, Seed: 1, Droplets: o.droplets}
		name, err := first.PolicyName()
		if err != nil {
			return nil, cli.Usage(fmt.Errorf("sweep: policy %q: %w", p, err))
		}
		if seen[name] {
			return nil, cli.Flagf("sweep", "policy %q given twice (as %s)", p, name)
		}
		seen[name] = true
		r.notes = append(r.notes, first.Caveats()...)
		for j, pt := range points {
			run := bench.Run{Scenario: pt.Scenario, Policy: p, Seed: 1, Droplets: o.droplets}
			e, err := checkSweepRun(run, *o.limits, o.par, build && len(seen) == 1)
			events[j*len(specs)+k] = e.Events
			if err != nil && pt.Label != "" {
				return nil, cli.Usage(fmt.Errorf("sweep: policy %q with %s: %w", p, pt.Label, err))
			} else if err != nil {
				return nil, cli.Usage(fmt.Errorf("sweep: policy %q: %w", p, err))
			}
			if ctx.Err() != nil {
				return nil, fmt.Errorf("sweep: %w before any run", cli.ErrInterrupted)
			}
		}
	}
	return events, nil
}

// create opens the sweep's file (none without --out) and its writer.
func (r *sweepRun) create(a app, o sweepOpts, name string, sc *scenario.Scenario) error {
	if err := overInputs("sweep", o.out, []string{name}, o.scn); err != nil {
		return err
	}
	var f bench.Flusher
	if o.out != "" {
		var err error
		if r.file, err = results.CreateWrapped(o.out, name, a.wrapFor(name)); err != nil {
			return cli.Usage(fmt.Errorf("sweep: --out %q: %w", o.out, err))
		}
		f = r.file
	}
	r.w = bench.NewSweepWriter(f, bench.SummaryColumns(sc), *o.wall)
	return nil
}

// executeSweep runs the machine's cells, writing each row in order as it
// finishes and showing progress; done gets every complete run.
func (a app) executeSweep(r *sweepRun, par int, done func(i int, o bench.Outcome)) error {
	prog := cli.NewProgress(a.stderr, cli.IsTerminal(a.stderr))
	finished, n := 0, r.hi-r.lo
	err := r.plan.Sweep(r.lo, r.hi, par, func(i int, o bench.Outcome) {
		finished++
		r.w.Done(i-r.lo, o.Summary, o.Violation != nil)
		if o.Summary.Complete {
			done(i, o)
			prog.Println(fmt.Sprintf("[%d/%d] %s seed %d: %s", finished, n, results.GroupOf(o.Summary), o.Summary.Seed, verdict(o.Summary)))
		}
		prog.Update(float64(finished)/float64(n), fmt.Sprintf("sweep %s: %d of %d runs", r.name, finished, n))
	})
	prog.Done()
	r.w.Close()
	if err == nil {
		err = r.w.Err()
	}
	if err == nil {
		err = bench.CheckIdeals(r.w.Rows())
	}
	if err != nil {
		if r.file != nil {
			r.file.Abandon()
		}
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}

// finish commits the sweep's file when every run finished, or keeps the
// finished ones in its .partial file.
func (r *sweepRun) finish(stderr io.Writer, rows int) error {
	if n := r.hi - r.lo; rows < n {
		where := ""
		if r.file != nil {
			name, err := r.file.Abandon()
			if err != nil {
				return fmt.Errorf("sweep: %w", err)
			}
			where = "; the finished ones in " + name
		}
		return fmt.Errorf("sweep: %w after %d of %d runs%s", cli.ErrInterrupted, rows, n, where)
	}
	if r.file != nil {
		if err := r.file.Commit(); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		fmt.Fprintf(stderr, "wrote %s\n", r.file.Path())
	}
	return nil
}

// buildable leaves out of --policies all the specs that cannot be built for
// the scenario, saying so on w: those that need a start clock the scenario
// does not have (operator acts at 04:14), those that do not apply to its
// model (failover-off on anything but nlb), and those whose parameters need
// what it lacks (deadline-drop's default timeout is the clients', and mm1's
// clients have none).
func buildable(w io.Writer, sc *scenario.Scenario, specs []string) []string {
	var kept, noClock, inapplicable []string
	for _, p := range specs {
		_, err := (bench.Run{Scenario: sc, Policy: p, Seed: 1}).Estimate()
		switch {
		case errors.Is(err, policy.ErrNoClock):
			noClock = append(noClock, p)
		case errors.Is(err, bench.ErrNotApplicable):
			inapplicable = append(inapplicable, p)
		case errors.Is(err, policy.ErrSpec):
			fmt.Fprintf(w, "sweep: leaving out %s: %v\n", p, cli.OneLine(err.Error()))
		default:
			kept = append(kept, p)
		}
	}
	if len(noClock) > 0 {
		fmt.Fprintf(w, "sweep: leaving out %s: scenario %s has no start clock for their clock times\n", strings.Join(noClock, ", "), sc.Name)
	}
	if len(inapplicable) > 0 {
		fmt.Fprintf(w, "sweep: leaving out %s: they do not apply to scenario %s's model\n", strings.Join(inapplicable, ", "), sc.Name)
	}
	return kept
}

// splitSpecs splits a list of policy specs. Specs are separated by ';', or by
// ',' where the next item does not look like a parameter (key=value).
func splitSpecs(s string) []string {
	if strings.TrimSpace(s) == "all" {
		return bench.AllPolicies()
	}
	var specs []string
	for _, part := range strings.Split(s, ";") {
		var cur []string
		for _, item := range strings.Split(part, ",") {
			item = strings.TrimSpace(item)
			if len(cur) > 0 && isParam(item) {
				cur[len(cur)-1] += "," + item // a parameter of the spec before
				continue
			}
			if item != "" {
				cur = append(cur, item)
			}
		}
		specs = append(specs, cur...)
	}
	return specs
}

// isParam says whether item (after a ',') is a parameter of the spec
// before it: key=value with a bare key (no ':' or space: "until=07:30",
// whose value may hold ':'), not a stage's spec ("nlb=velocity:cap=2%").
func isParam(item string) bool {
	key, _, ok := strings.Cut(item, "=")
	switch key {
	case "dwfm", "netprop", "nlb":
		return false
	}
	return ok && !strings.ContainsAny(key, ": ")
}

func verdict(s results.Summary) string {
	if s.Undefined {
		return "recovery not defined (no trigger)"
	}
	if s.Undetermined {
		return "undetermined (too few requests to judge)"
	}
	if !s.Recovered {
		return "not recovered"
	}
	return fmt.Sprintf("recovered in %s (%.3f × ideal)", results.Seconds(s.RecoveryS), s.Ratio())
}
