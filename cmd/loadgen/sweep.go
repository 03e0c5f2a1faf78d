package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

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
policy that never recovers from one that always does takes 6 seeds.

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

// MaxParallel bounds --parallel: each run under way holds its whole model.
const MaxParallel = 256

func (a app) sweep(ctx context.Context, args []string) error {
	var (
		scn, pols, out string
		seeds, par     = 1, runtime.GOMAXPROCS(0)
		droplets       int
		md             bool
		varies         []bench.Vary
		shard          cli.Shard
	)
	fs := cli.NewFlagSet("sweep")
	fs.StringVar(&scn, "scenario", DefaultScenario, "preset `name` or scenario file (a value with a slash is a file)")
	fs.StringVar(&pols, "policies", "none,operator,queue-size", "policy `specs` separated by ';' or ',' between whole specs (a spec's own parameters use ',' after ':'), or 'all'")
	fs.Var(cli.Int{P: &seeds}, "seeds", "run each policy with seeds 1..`N`")
	fs.Var(cli.Int{P: &droplets}, "droplets", "DWFM `droplets` (0: the scenario's)")
	fs.StringVar(&out, "out", "out/sweep", "`directory` for sweep.csv; empty: write no file")
	fs.Var(cli.Int{P: &par}, "parallel", "`runs` at once (at most 256)")
	fs.BoolVar(&md, "markdown", false, "print the table as Markdown")
	fs.Func("vary", "set scenario key `KEY=v1,v2,...` to each value in turn (repeatable: the cross product)", func(v string) error {
		vr, err := bench.ParseVary(v)
		varies = append(varies, vr)
		return err
	})
	fs.Var(&shard, "shard", "run only shard `I/N` of the runs (I from 0) and write sweep.shard-I-of-N.csv; N alone takes I from $JOB_COMPLETION_INDEX or $SLURM_ARRAY_TASK_ID")
	limits := limitFlags(fs)
	maxTotal := totalFlag(fs)
	asserts := assertFlag(fs)
	wall := wallFlag(fs)
	if done, err := cli.Parse(fs, args, 0, a.stdout, sweepUsage); done || err != nil {
		return err
	}
	switch {
	case seeds < 1:
		return cli.Flagf("sweep", "--seeds %d below 1", seeds)
	case droplets < 0:
		return cli.Flagf("sweep", "--droplets %d below 0", droplets)
	case par < 1 || par > MaxParallel:
		return cli.Flagf("sweep", "--parallel %d outside 1..%d", par, MaxParallel)
	}
	sc, err := loadScenario("sweep", scn)
	if err != nil {
		return err
	}
	for _, v := range varies {
		if (v.Key == "dwfm.droplets" || v.Key == "stages.dwfm.dwfm.droplets") && droplets > 0 {
			return cli.Flagf("sweep", "--vary dwfm.droplets and --droplets %d both set the droplets", droplets)
		}
	}
	specs := splitSpecs(pols)
	if len(specs) == 0 {
		return cli.Flagf("sweep", "--policies is empty")
	}
	// The runs are counted before the grid is built: a cross product of
	// --vary values is refused before it takes memory.
	combos := 1
	for _, v := range varies {
		if combos > MaxRuns/max(len(v.Values), 1) {
			combos = MaxRuns + 1
			break
		}
		combos *= max(len(v.Values), 1)
	}
	if runs := float64(combos) * float64(len(specs)) * float64(seeds); runs > MaxRuns {
		return cli.Usage(fmt.Errorf("sweep: %.3g runs (%s × %d policies × %d seeds), more than %d: its sweep.csv could not be read back; sweep fewer",
			runs, plural(combos, "--vary combination", "--vary combinations"), len(specs), seeds, MaxRuns))
	}
	if err := asserts.over(sc.Name, bench.SummaryColumns(sc)); err != nil {
		return err
	}
	points, err := bench.Grid(sc, varies)
	if err != nil {
		return cli.Usage(fmt.Errorf("sweep: %w", err))
	}
	if strings.TrimSpace(pols) == "all" {
		specs = buildable(a.stderr, sc, specs)
	}
	seen := map[string]bool{}
	var (
		notes  []string                                  // the policies' caveats, printed under the table
		events = make([]float64, len(points)*len(specs)) // each point's and policy's estimate, by point then policy
	)
	for k, p := range specs { // every input error before any run
		name, err := bench.Run{Scenario: points[0].Scenario, Policy: p, Seed: 1, Droplets: droplets}.PolicyName()
		if err != nil {
			return cli.Usage(fmt.Errorf("sweep: policy %q: %w", p, err))
		}
		if seen[name] {
			return cli.Flagf("sweep", "policy %q given twice (as %s)", p, name)
		}
		seen[name] = true
		notes = append(notes, (bench.Run{Scenario: points[0].Scenario, Policy: p, Seed: 1, Droplets: droplets}).Caveats()...)
		for j, pt := range points {
			r := bench.Run{Scenario: pt.Scenario, Policy: p, Seed: 1, Droplets: droplets}
			e, err := checkSweepRun(r, *limits, par, len(seen) == 1)
			events[j*len(specs)+k] = e.Events
			if err != nil {
				if pt.Label != "" {
					return cli.Usage(fmt.Errorf("sweep: policy %q with %s: %w", p, pt.Label, err))
				}
				return cli.Usage(fmt.Errorf("sweep: policy %q: %w", p, err))
			}
			if ctx.Err() != nil {
				return fmt.Errorf("sweep: %w before any run", cli.ErrInterrupted)
			}
		}
	}
	perPoint := len(specs) * seeds
	n := len(points) * perPoint
	lo, name := 0, "sweep.csv"
	if shard.On { // this machine runs cells lo … lo+n−1
		var hi int
		if lo, hi, err = shard.Cells(n); err != nil {
			return cli.Flagf("sweep", "--shard %d/%d: %v", shard.I, shard.N, err)
		}
		n, name = hi-lo, shard.File("sweep")
	}
	total := 0.0 // this machine's runs' estimates
	for i := lo; i < lo+n; i++ {
		total += events[i/perPoint*len(specs)+i%perPoint/seeds]
	}
	if err := checkTotal("sweep", float64(n), total, *maxTotal, "fewer --seeds, policies, --vary values or --droplets"); err != nil {
		return err
	}
	if err := overInputs("sweep", out, []string{name}, scn); err != nil {
		return err
	}
	var file *results.File
	if out != "" {
		if file, err = results.CreateWrapped(out, name, a.wrapFor(name)); err != nil {
			return cli.Usage(fmt.Errorf("sweep: --out %q: %w", out, err))
		}
	}
	w := newSweepWriter(file)
	w.wall, w.columns = *wall, bench.SummaryColumns(sc)
	stop := func() bool { return ctx.Err() != nil || w.failed() }
	prog := cli.NewProgress(a.stderr, cli.IsTerminal(a.stderr))
	finished := 0
	var ms measures
	cs := newCascadeRuns()                                // a cascade's milestones and stages
	err = bench.SweepFunc(n, par, func(j int) bench.Run { // points outermost, then policies, then seeds
		i := lo + j
		return bench.Run{Scenario: points[i/perPoint].Scenario, Policy: specs[i%perPoint/seeds], Seed: uint64(i%seeds + 1), Droplets: droplets, Stop: stop, Limits: *limits}
	}, stop, func(j int, o bench.Outcome) {
		finished++
		i := lo + j
		o.Summary.Vary = points[i/perPoint].Label
		w.done(j, o.Summary, o.Violation != nil)
		if o.Summary.Complete {
			ms.add(i, o.Summary, o.Metrics)
			cs.add(i, o)
			what := o.Summary.Policy
			if o.Summary.Vary != "" {
				what += " " + o.Summary.Vary
			}
			prog.Println(fmt.Sprintf("[%d/%d] %s seed %d: %s", finished, n, what, o.Summary.Seed, verdict(o.Summary)))
		}
		prog.Update(float64(finished)/float64(n), fmt.Sprintf("sweep %s: %d of %d runs", sc.Name, finished, n))
	})
	prog.Done()
	if err != nil {
		if file != nil {
			w.close()
			file.Abandon()
		}
		return fmt.Errorf("sweep: %w", err)
	}
	w.close()
	if w.err != nil {
		file.Abandon()
		return fmt.Errorf("sweep: %w", w.err)
	}
	if err := bench.CheckIdeals(w.rows); err != nil {
		if file != nil {
			file.Abandon()
		}
		return fmt.Errorf("sweep: %w", err)
	}
	if md {
		results.WriteMarkdown(a.stdout, w.rows)
	} else {
		results.WriteText(a.stdout, w.rows)
	}
	ms.write(a.stdout, md)
	cs.write(a.stdout, md)
	for _, n := range notes {
		fmt.Fprintf(a.stdout, "note: %s\n", n)
	}
	if len(w.rows) < n {
		where := ""
		if file != nil {
			name, err := file.Abandon()
			if err != nil {
				return fmt.Errorf("sweep: %w", err)
			}
			where = "; the finished ones in " + name
		}
		return fmt.Errorf("sweep: %w after %d of %d runs%s", cli.ErrInterrupted, len(w.rows), n, where)
	}
	if file != nil {
		if err := file.Commit(); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		fmt.Fprintf(a.stderr, "wrote %s\n", file.Path())
	}
	return asserts.check(w.rows...)
}

// sweepWriter writes the rows of the runs that completed to sweep.csv in
// the order of the runs, each as soon as every run before it has finished,
// and flushes each so the .partial file keeps up. Runs that were
// interrupted are left out.
type sweepWriter struct {
	file    *results.File // nil: keep rows only
	rows    []results.Summary
	pending map[int]*results.Summary // finished out of order; nil: interrupted
	next    int
	header  bool
	wall    bool     // write wall_s (--wall)
	columns []string // the model's own summary columns (a cascade's), after the others
	err     error
	mu      sync.Mutex
}

func newSweepWriter(f *results.File) *sweepWriter {
	return &sweepWriter{file: f, pending: map[int]*results.Summary{}}
}

func (w *sweepWriter) failed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err != nil
}

// done records run i's summary; an interrupted run's row is left out, one
// that broke an invariant (violated) is written, complete=false.
func (w *sweepWriter) done(i int, s results.Summary, violated bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s.Complete || violated {
		w.pending[i] = &s
	} else {
		w.pending[i] = nil
	}
	for {
		s, ok := w.pending[w.next]
		if !ok {
			return
		}
		delete(w.pending, w.next)
		w.next++
		if s != nil {
			w.write(*s)
		}
	}
}

// close writes the finished runs still waiting for an earlier, interrupted
// one, in order.
func (w *sweepWriter) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	idx := make([]int, 0, len(w.pending))
	for i := range w.pending {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	for _, i := range idx {
		if s := w.pending[i]; s != nil {
			w.write(*s)
		}
	}
	w.pending = nil
	if !w.header {
		w.write() // an empty sweep.csv still has its header
	}
}

func (w *sweepWriter) write(ss ...results.Summary) {
	w.rows = append(w.rows, ss...)
	if w.file == nil || w.err != nil {
		return
	}
	c := csv.NewWriter(w.file)
	if !w.header {
		w.header = true
		c.Write(append(append([]string(nil), results.SweepHeader...), w.columns...))
	}
	for _, s := range ss {
		c.Write(recorded(s, w.wall).SweepRecord())
	}
	c.Flush()
	if err := c.Error(); err != nil {
		w.err = err
	} else {
		w.err = w.file.Flush()
	}
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
			if len(cur) > 0 && strings.Contains(item, "=") && !strings.Contains(item, ":") {
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
