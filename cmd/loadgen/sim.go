package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/results"
)

// Defaults for `loadgen sim`.
const (
	defaultScenario = "us-east-1"
	defaultPolicy   = "none"
	defaultSeed     = 1
	defaultOut      = "out"
)

const simUsage = `Usage: loadgen sim [flags]

Simulate a scenario under a policy in virtual time, print a summary, and write
DIR/timeseries.csv (one row per sample interval) and DIR/summary.csv (one row).
Files are written as *.partial and renamed over the old ones only when the run
completes: a failed or interrupted run leaves the previous results as they
were, and an interrupted one keeps what it measured in *.partial (exit 130).

--scenario takes a preset name (see loadgen scenarios) or a file: a value
with a slash, or the name of an existing file, is a file. A cascade (the
preset us-east-1-cascade, or a file with [stages]) runs DWFM, then
propagation and NLB on what it released, prints each stage's milestones
beside the published ones, and writes the same two files (the stages'
columns added; see docs/models.md). Its --policy is given once per stage: a bare
spec is DWFM's, netprop=SPEC and nlb=SPEC the others' (e.g. --policy
nlb=velocity:cap=10%,window=5m); the bundles operator and mitigated set every
stage (see loadgen policies); --droplets sets its dwfm stage's.
Integer flags accept whole numbers written as floats: --droplets 1e5.

Examples:
  loadgen sim                                          # us-east-1 under none
  loadgen sim --policy operator --out runs/operator    # the operators' 04:14 fix
  loadgen sim --scenario ./mine.toml --policy queue-size --interval 10s
  loadgen sim --scenario us-east-1-cascade --policy mitigated --out runs/mitigated   # DWFM, propagation, NLB
`

// maxScenarioBytes bounds a scenario file.
const maxScenarioBytes = 1 << 20

// simOpts are sim's flags.
type simOpts struct {
	scenario, policy, out string
	seed                  uint64
	droplets              int
	interval              time.Duration
	limits                *bench.Limits
	asserts               *runAssertions
	wall                  *bool
}

func (a app) sim(ctx context.Context, args []string) error {
	o, done, err := a.parseSim(args)
	if done || err != nil {
		return err
	}
	return a.runSim(ctx, o)
}

// parseSim parses sim's flags; done: help was printed.
func (a app) parseSim(args []string) (f simOpts, done bool, err error) {
	f.seed = defaultSeed
	fs := cli.NewFlagSet("sim")
	fs.StringVar(&f.scenario, "scenario", defaultScenario, "preset `name` or scenario file (a value with a slash is a file)")
	pl := &policyList{specs: []string{defaultPolicy}}
	fs.Var(pl, "policy", "policy `spec`, e.g. queue-size or operator:at=04:14 (see loadgen policies); a cascade takes one per stage: --policy netprop=queue-size --policy nlb=velocity")
	fs.Var(cli.Uint64{P: &f.seed}, "seed", "random `seed`: same seed, same CSVs")
	fs.Var(cli.Int{P: &f.droplets}, "droplets", "DWFM `droplets` (0: the scenario's); hosts scale with droplets")
	fs.StringVar(&f.out, "out", defaultOut, "`directory` for timeseries.csv and summary.csv; empty: write no files")
	fs.DurationVar(&f.interval, "interval", 0, "sample `interval` of timeseries.csv, at least 1ms (0: the scenario's)")
	f.limits, f.asserts, f.wall = limitFlags(fs), assertFlag(fs), wallFlag(fs)
	if done, err := cli.Parse(fs, args, 0, a.stdout, simUsage); done || err != nil {
		return f, done, err
	}
	if f.droplets < 0 {
		return f, false, cli.Flagf("sim", "--droplets %d below 0", f.droplets)
	}
	for _, p := range pl.specs {
		if strings.TrimSpace(p) == "" {
			return f, false, cli.Flagf("sim", "--policy is empty (none is no policy)")
		}
	}
	f.policy = strings.Join(pl.specs, " ") // a cascade's stages' specs; one model refuses more than one
	// Below scenario.MinInterval the time series grows faster than anyone reads it.
	if least := time.Duration(scenario.MinInterval); f.interval < 0 || (f.interval > 0 && f.interval < least) {
		return f, false, cli.Flagf("sim", "--interval %v below %v", f.interval, least)
	}
	return f, false, nil
}

func (a app) runSim(ctx context.Context, f simOpts) error {
	sc, err := loadScenario("sim", f.scenario)
	if err != nil {
		return err
	}
	if err := overInputs("sim", f.out, []string{"timeseries.csv", "summary.csv"}, f.scenario); err != nil {
		return err
	}
	if f.interval > time.Duration(sc.Horizon) {
		return cli.Flagf("sim", "--interval %v longer than the horizon %v of scenario %s", f.interval, time.Duration(sc.Horizon), sc.Name)
	}
	var (
		p    *bench.Prepared
		out  *outputs
		prog = cli.NewProgress(a.stderr, cli.IsTerminal(a.stderr))
	)
	r := bench.Run{Scenario: sc, Policy: f.policy, Seed: f.seed, Droplets: f.droplets, Interval: f.interval,
		Limits: *f.limits, WritesRows: f.out != "",
		Stop: func() bool { return ctx.Err() != nil || (out != nil && out.err != nil) },
		// Called only while p executes, when p and out are set.
		Observe: func(s model.Sample) {
			prog.Update(float64(s.T)/float64(sc.Horizon), fmt.Sprintf("sim %s: t=%s of %s%s", sc.Name, s.T, time.Duration(sc.Horizon), clockOr(p.Clock(s.T), " · ")))
			if out != nil {
				out.row(p.Row(s))
			}
		}}
	if p, err = r.Prepare(); err != nil {
		return cli.Usage(err)
	}
	if err := f.asserts.over(sc.Name, p.SummaryColumns()); err != nil {
		return err
	}
	if f.out != "" {
		if out, err = a.createOutputs(f.out, p.Columns()); err != nil {
			return cli.Usage(err)
		}
		out.wall = *f.wall
	}
	o, err := p.Execute()
	prog.Done()
	return a.finishSim(p, o, err, out, f.asserts)
}

// finishSim commits or abandons the run's files, prints its summary and
// judges --assert.
func (a app) finishSim(p *bench.Prepared, o bench.Outcome, err error, out *outputs, asserts *runAssertions) error {
	horizon := p.Scenario().Horizon
	if err != nil {
		if out != nil {
			out.abandon(o.Summary) // a violation's row, complete=false; none after another error
		}
		return fmt.Errorf("sim: %w", err)
	}
	if out == nil {
		printSummary(a.stdout, p, o)
		if !o.Summary.Complete {
			return fmt.Errorf("sim: %w at t=%s of %s", cli.ErrInterrupted, o.Result.End, horizon)
		}
		return asserts.check(o.Summary)
	}
	if err := out.err; err != nil { // a write error stopped the run
		out.abandon(o.Summary)
		return fmt.Errorf("sim: %w; stopped at t=%s of %s", err, o.Result.End, horizon)
	}
	if !o.Summary.Complete {
		printSummary(a.stdout, p, o)
		names, err := out.abandon(o.Summary)
		if err != nil {
			return fmt.Errorf("sim: %w", err)
		}
		return fmt.Errorf("sim: %w at t=%s of %s; partial results in %s", cli.ErrInterrupted, o.Result.End, horizon, strings.Join(names, ", "))
	}
	names, err := out.commit(o.Summary)
	if err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	printSummary(a.stdout, p, o)
	fmt.Fprintf(a.stderr, "wrote %s\n", strings.Join(names, ", "))
	return asserts.check(o.Summary)
}

// loadScenario resolves --scenario: a file if ref is a path (IsPath), else a
// preset. Errors are bad input.
func loadScenario(cmd, ref string) (*scenario.Scenario, error) {
	if strings.TrimSpace(ref) == "" {
		return nil, cli.Flagf(cmd, "--scenario is empty (presets: %s)", strings.Join(scenario.Presets(), ", "))
	}
	if !cli.IsPath(ref) {
		sc, err := scenario.Load(ref)
		return sc, cli.UsageOrNil(err)
	}
	b, err := cli.ReadFile("scenario", ref, maxScenarioBytes)
	if err != nil {
		return nil, cli.Usage(err)
	}
	sc, err := scenario.Parse(strconv.Quote(ref), b)
	return sc, cli.UsageOrNil(err)
}

// outputs are a run's two result files.
type outputs struct {
	ts, summary *results.File
	tsw         *results.TimeSeriesWriter
	err         error // first write error: stops the run
	wall        bool  // write wall_s (--wall)
}

func (a app) createOutputs(dir string, extra []string) (*outputs, error) {
	ts, err := results.CreateWrapped(dir, "timeseries.csv", a.wrapFor("timeseries.csv"))
	if err != nil {
		return nil, fmt.Errorf("--out %q: %w", dir, err)
	}
	sum, err := results.CreateWrapped(dir, "summary.csv", a.wrapFor("summary.csv"))
	if err != nil {
		ts.Abandon()
		os.Remove(ts.PartialPath())
		return nil, fmt.Errorf("--out %q: %w", dir, err)
	}
	o := &outputs{ts: ts, summary: sum}
	o.tsw, o.err = results.NewTimeSeriesWriterExtra(ts, extra)
	return o, nil
}

// row writes one time-series row, flushing now and then so that the
// .partial file shows the run's progress and a full disk is seen at once.
func (o *outputs) row(r results.TimeSeriesRow) {
	if o.err == nil {
		o.err = o.tsw.Write(r)
	}
	if o.err == nil {
		o.err = o.tsw.Flush() // into the File's buffer; Tick writes it out
	}
	if o.err == nil {
		o.err = o.ts.Tick()
	}
}

func (o *outputs) finish(s results.Summary) {
	if o.err == nil {
		o.err = o.tsw.Flush()
	}
	if o.err == nil {
		o.err = results.WriteSummaries(o.summary, s.Recorded(o.wall))
	}
}

// commit completes both files; on a write error it keeps them as .partial.
func (o *outputs) commit(s results.Summary) ([]string, error) {
	o.finish(s)
	if o.err != nil {
		o.ts.Abandon()
		o.summary.Abandon()
		return nil, o.err
	}
	if err := o.ts.Commit(); err != nil {
		o.summary.Abandon()
		return nil, err
	}
	if err := o.summary.Commit(); err != nil {
		return nil, err
	}
	return []string{o.ts.Path(), o.summary.Path()}, nil
}

// abandon keeps what was measured under .partial names. The summary row,
// when there is one (s.Scenario set), says complete=false and how far the run
// got; it is written even after the time series failed, since it is another
// file.
func (o *outputs) abandon(s results.Summary) ([]string, error) {
	if o.err == nil {
		o.err = o.tsw.Flush()
	}
	if s.Scenario != "" {
		if err := results.WriteSummaries(o.summary, s.Recorded(o.wall)); o.err == nil {
			o.err = err
		}
	}
	_, err1 := o.ts.Abandon()
	_, err2 := o.summary.Abandon()
	if o.err == nil {
		o.err = errors.Join(err1, err2)
	}
	return []string{o.ts.PartialPath(), o.summary.PartialPath()}, o.err
}

// printSummary prints a run's outcome, one measure a line.
func printSummary(w io.Writer, p *bench.Prepared, o bench.Outcome) {
	s := o.Summary
	fmt.Fprintf(w, "scenario %s · policy %s · seed %d", s.Scenario, s.Policy, s.Seed)
	if s.Droplets >= 0 {
		fmt.Fprintf(w, " · %d droplets on %d DWFM hosts", s.Droplets, o.Hosts)
	}
	fmt.Fprintln(w)
	printRecovery(w, p, o)
	printMeasures(w, p, o)
}

// printRecovery prints when the trigger ended and whether and when the
// run recovered.
func printRecovery(w io.Writer, p *bench.Prepared, o bench.Outcome) {
	s := o.Summary
	end := o.Result.TriggerEnd
	if end > 0 {
		fmt.Fprintf(w, "trigger ends   %s (t=%s)\n", clockOr(p.Clock(end), ""), end)
	}
	if s.Undefined {
		fmt.Fprintln(w, "recovered      —, not defined: no trigger to recover from")
	} else if s.Undetermined {
		fmt.Fprintf(w, "recovered      undetermined: too few requests after the last unhealthy window to judge (fewer than %d in every window since)\n", model.MinEvidence)
	} else if s.Recovered {
		event := ""
		if o.Cascade != nil {
			event = " (the event's end: the last stage's)"
		}
		fmt.Fprintf(w, "recovered      yes, %s after the trigger%s%s\n", results.Seconds(s.RecoveryS), clockOr(s.RecoveredClock, " at "), event)
	} else {
		by := "the end of the run"
		if !s.Complete {
			by = "the interrupt"
		}
		fmt.Fprintf(w, "recovered      no, not by %s (t=%s%s)\n", by, o.Result.End, clockOr(p.Clock(o.Result.End), ", "))
	}
}

// printMeasures prints the run's measures after its recovery: ideal and
// ratio, queue, waste, sojourn, what the controls did, the model's own,
// and what it cost.
func printMeasures(w io.Writer, p *bench.Prepared, o bench.Outcome) {
	s, sc := o.Summary, p.Scenario()
	if s.IdealS == s.IdealS {
		what := "the slowest host's own work, from when its droplets can ask"
		if s.Droplets < 0 {
			what = "one recovery window"
		}
		if sc.NetProp.Enabled() {
			what = "the surge's work on every worker, none before it is offered"
		}
		if o.Cascade != nil {
			what = "DWFM's, then the held-back work's release window, before which propagation cannot be normal again"
		}
		fmt.Fprintf(w, "ideal          %s (the bound: %s)\n", results.Seconds(s.IdealS), what)
	}
	if r := s.Ratio(); r == r {
		fmt.Fprintf(w, "ratio          %.3f × ideal\n", r)
	}
	amp := "— (no request)"
	if s.Amplification == s.Amplification {
		amp = fmt.Sprintf("%.2f attempts/request", s.Amplification)
	}
	stage := "" // a cascade's queue, waste and sojourn are its DWFM stage's
	if o.Cascade != nil {
		stage = "dwfm: "
	}
	fmt.Fprintf(w, "peak queue     %s%d   wasted %.1f%%   amplification %s\n", stage, s.PeakQueue, 100*s.WastedFraction, amp)
	if s.Sojourn[0] == s.Sojourn[0] {
		fmt.Fprintf(w, "sojourn        %smean %s   p50 %s   p99 %s   p99.9 %s\n", stage, results.Seconds(s.Sojourn[0]), results.Seconds(s.Sojourn[1]), results.Seconds(s.Sojourn[2]), results.Seconds(s.Sojourn[3]))
	}
	printActed(w, s)
	for _, c := range p.Run().Caveats() {
		fmt.Fprintf(w, "note           %s\n", c)
	}
	if ms := p.Metrics(); len(ms) > 0 {
		parts := make([]string, len(ms))
		for i, m := range ms {
			parts[i] = fmt.Sprintf("%s %s", m.Name, strconv.FormatFloat(m.Value, 'g', 4, 64))
		}
		fmt.Fprintf(w, "model          %s\n", strings.Join(parts, " · "))
	}
	if o.Cascade != nil {
		printCascade(w, *o.Cascade)
	}
	sim := sc.Horizon.String()
	if !s.Complete {
		sim = fmt.Sprintf("%s of %s (interrupted)", o.Result.End, sc.Horizon)
	}
	fmt.Fprintf(w, "simulated      %s in %.1f s wall, %d events (%.1fM events/s)\n", sim, s.WallS, s.Events, float64(s.Events)/s.WallS/1e6)
}

// printActed says, for each role of the policy that refuses or drops work,
// how often its control did: a control with 0 never acted on this run, and
// its outcome is the same as without it.
func printActed(w io.Writer, s results.Summary) {
	parts, err := policy.Parse(s.Policy)
	if err != nil {
		return
	}
	counts := []struct {
		n     int
		what  string
		roles []policy.Role
	}{
		{s.AdmitRefusals, "admission refusals", []policy.Role{policy.RoleAdmission, policy.RoleIntervention}},
		{s.ClientRefusals, "client refusals", []policy.Role{policy.RoleClient}},
		{s.RetryRefusals, "retry refusals", []policy.Role{policy.RoleRetryGate}},
		{s.QueueDrops, "queue drops", []policy.Role{policy.RoleQueue}},
	}
	for _, c := range counts {
		if c.n < 0 {
			continue // no control in this role
		}
		var names []string
		for _, p := range parts {
			if d, ok := policy.Lookup(p.Name); ok && slices.ContainsFunc(d.Roles, func(r policy.Role) bool { return slices.Contains(c.roles, r) }) {
				names = append(names, p.Name)
			}
		}
		if len(names) == 0 {
			continue
		}
		never := ""
		if c.n == 0 {
			never = " — it never acted"
		}
		fmt.Fprintf(w, "acted          %s: %d %s%s\n", strings.Join(names, " + "), c.n, c.what, never)
	}
}

func clockOr(t time.Time, prefix string) string {
	if t.IsZero() {
		return ""
	}
	return prefix + t.Format("2006-01-02 15:04:05 -07:00")
}
