package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/live"
	livelb "github.com/aftershock/aftershock/bench/live/loopback"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
)

// defaultRankLiveOut is where loadgen rank-live writes by default.
const defaultRankLiveOut = "out/rank-live/sweep.csv"

const rankLiveUsage = `Usage: loadgen rank-live [flags]

Rank policies live: every policy of --policies under seeds 1..--seeds, each
run served on 127.0.0.1 and attacked on real sockets in this process (as
loadgen attack without --target), at the scenario's own time scale
(live-realtime, the default, at 1: real time; live-small at 60; a scenario
file at 1 unless --time-scale says otherwise), one run at a
time: runs share the machine's cores and its clock, so two at once would
measure each other. A live-only policy (a library: loadgen policies) runs as
in loadgen attack. Each run ends once every droplet holds a lease again after
the trigger (--stop-when-recovered, on by default), or at the horizon.

Progress on stderr: run k/n, policy, seed, then recovered or not and whether
the attacker kept up. Writes --out FILE, sweep.csv's columns (vary is the
time scale, time_scale=1), one row per run in the order run, that loadgen
compare ranks; the table printed at the end is compare's (--markdown: as
Markdown). What a live attack does not measure (ideal_s, wasted_fraction,
sojourn times) is empty.

A run whose attacker did not keep up (its machine, not the policy, shaped the
numbers: loadgen attack -h says when) is written with complete=false, never
dropped, and left out of the table with a note; loadgen compare ranks such a
file only with --allow-incomplete.

FILE is written as FILE.partial and renamed to FILE only when every run has
finished; an interrupted ranking (exit 130) keeps the finished runs in
FILE.partial and starts no new run. Bad input (an unknown policy, --seeds
below 1, a scenario without [dwfm]) exits 2 before any run.

Examples:
  loadgen rank-live --policies "none;queue-size;failsafe-bulkhead" --seeds 5   # 15 runs of up to 90 s
  loadgen rank-live --scenario live-small --policies "none;queue-size" --seeds 2 --markdown
  loadgen compare --format markdown --baseline none out/rank-live/sweep.csv
`

// rankLiveOpts are rank-live's flags.
type rankLiveOpts struct {
	scn, pols, out, baseline string
	seeds, droplets          int
	scale                    float64
	scaleSet, md, stop       bool
}

func (a app) rankLive(ctx context.Context, args []string) error {
	o, done, err := a.parseRankLive(args)
	if done || err != nil {
		return err
	}
	return a.runRankLive(ctx, o)
}

// parseRankLive parses rank-live's flags; done: help was printed.
func (a app) parseRankLive(args []string) (o rankLiveOpts, done bool, err error) {
	o.seeds, o.scale, o.stop = 5, 1, true
	fs := cli.NewFlagSet("rank-live")
	fs.StringVar(&o.scn, "scenario", live.RealtimeName, "DWFM scenario: preset `name` or file")
	fs.StringVar(&o.pols, "policies", "none;queue-size", "policy `specs` separated by ';' (or ',' between whole specs)")
	fs.Var(cli.Int{P: &o.seeds}, "seeds", "run each policy with seeds 1..`N`")
	fs.Var(cli.Int{P: &o.droplets}, "droplets", "DWFM `droplets` (0: the scenario's)")
	fs.Float64Var(&o.scale, "time-scale", o.scale, "model seconds per wall second (default: a live preset's own, live-realtime 1 and live-small 60; a scenario file 1, real time)")
	fs.BoolVar(&o.stop, "stop-when-recovered", o.stop, "end each run once every droplet holds a lease again after the trigger")
	fs.StringVar(&o.out, "out", defaultRankLiveOut, "results `file` (sweep.csv's columns)")
	fs.StringVar(&o.baseline, "baseline", "", "compare every policy with `POLICY` in the table, as loadgen compare --baseline")
	fs.BoolVar(&o.md, "markdown", false, "print the table as Markdown")
	if done, err := cli.Parse(fs, args, 0, a.stdout, rankLiveUsage); done || err != nil {
		return o, done, err
	}
	fs.Visit(func(fl *flag.Flag) { o.scaleSet = o.scaleSet || fl.Name == "time-scale" })
	switch {
	case o.seeds < 1:
		return o, false, cli.Flagf("rank-live", "--seeds %d below 1", o.seeds)
	case o.droplets < 0:
		return o, false, cli.Flagf("rank-live", "--droplets %d below 0", o.droplets)
	case strings.TrimSpace(o.out) == "":
		return o, false, cli.Flagf("rank-live", "--out is empty")
	}
	if !o.scaleSet {
		for _, p := range live.Presets() {
			if p.Name == o.scn {
				o.scale = p.Scale
			}
		}
	}
	if err := live.CheckScale(o.scale); err != nil {
		return o, false, cli.Flagf("rank-live", "--time-scale %v outside [%v, %v]", o.scale, live.MinScale, live.MaxScale)
	}
	return o, false, nil
}

// rankLivePlan is a live ranking checked before any run: the scenario and
// the policies in order, each resolved once to prove it runs live.
type rankLivePlan struct {
	sc    *scenario.Scenario
	specs []string
	runs  int
}

// planRankLive checks every policy against the scenario before any run.
func (a app) planRankLive(o rankLiveOpts) (rankLivePlan, error) {
	sc, err := loadScenario("rank-live", o.scn)
	if err != nil {
		return rankLivePlan{}, err
	}
	specs := splitSpecs(o.pols)
	if len(specs) == 0 || strings.TrimSpace(o.pols) == "all" {
		return rankLivePlan{}, cli.Flagf("rank-live", "--policies %q: want policy specs separated by ';'", o.pols)
	}
	seen := map[string]bool{}
	for _, p := range specs {
		set, err := live.Resolve(sc, p, o.droplets, 1)
		if err != nil {
			return rankLivePlan{}, cli.Flagf("rank-live", "policy %q: %s", p, cli.OneLine(err.Error()))
		}
		if seen[set.Policy] {
			return rankLivePlan{}, cli.Flagf("rank-live", "policy %q given twice", p)
		}
		seen[set.Policy] = true
	}
	if o.baseline != "" && !seen[o.baseline] {
		return rankLivePlan{}, cli.Flagf("rank-live", "--baseline %q is not one of --policies", o.baseline)
	}
	if err := overInputs("rank-live", filepath.Dir(o.out), []string{filepath.Base(o.out)}, o.scn); err != nil {
		return rankLivePlan{}, err
	}
	return rankLivePlan{sc: sc, specs: specs, runs: len(specs) * o.seeds}, nil
}

// runRankLive runs the plan one run at a time, writing each row as it
// finishes, then commits the file and prints the ranking.
func (a app) runRankLive(ctx context.Context, o rankLiveOpts) error {
	p, err := a.planRankLive(o)
	if err != nil {
		return err
	}
	name := filepath.Base(o.out)
	f, err := results.CreateWrapped(filepath.Dir(o.out), name, a.wrapFor(name))
	if err != nil {
		return cli.Usage(fmt.Errorf("rank-live: --out %q: %w", o.out, err))
	}
	fmt.Fprintf(a.stderr, "rank-live %s · %d policies × %d seeds = %d runs, one at a time · time scale %g · each up to %s of wall time\n",
		p.sc.Name, len(p.specs), o.seeds, p.runs, o.scale, span(live.Clock{Scale: o.scale}.Span(time.Duration(p.sc.Horizon))))
	start := time.Now()
	rows, err := a.executeRankLive(ctx, o, p, f)
	if err != nil {
		if name, aerr := f.Abandon(); aerr == nil && len(rows) > 0 {
			return fmt.Errorf("%w; the %d finished runs in %s", err, len(rows), name)
		}
		return err
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("rank-live: %w", err)
	}
	fmt.Fprintf(a.stderr, "wrote %s (%d runs in %s)\n", f.Path(), len(rows), span(time.Since(start)))
	return a.printRankLive(o, rows)
}

// executeRankLive runs every policy and seed in turn, writing each row to f
// as its run ends; it stops at the first error or interrupt, returning the
// rows written.
func (a app) executeRankLive(ctx context.Context, o rankLiveOpts, p rankLivePlan, f *results.File) ([]results.Summary, error) {
	w := csv.NewWriter(f)
	w.Write(results.SweepHeader) // a live row has no model columns of its own
	if w.Flush(); w.Error() != nil {
		return nil, fmt.Errorf("rank-live: %w", w.Error())
	}
	if err := f.Flush(); err != nil { // an interrupt in the first run leaves a file compare reads
		return nil, fmt.Errorf("rank-live: %w", err)
	}
	var rows []results.Summary
	for k := 0; k < p.runs; k++ {
		spec, seed := p.specs[k/o.seeds], uint64(k%o.seeds+1)
		fmt.Fprintf(a.stderr, "[%d/%d] %s seed %d …\n", k+1, p.runs, spec, seed)
		s, err := a.rankLiveRun(ctx, o, p.sc, spec, seed)
		if err != nil {
			return rows, err
		}
		if s == nil { // interrupted: its row is not written
			return rows, fmt.Errorf("rank-live: %w in run %d of %d (%s seed %d)", cli.ErrInterrupted, k+1, p.runs, spec, seed)
		}
		w.Write(s.SweepRecord())
		if w.Flush(); w.Error() != nil {
			return rows, fmt.Errorf("rank-live: %w", w.Error())
		}
		if err := f.Flush(); err != nil {
			return rows, fmt.Errorf("rank-live: %w", err)
		}
		rows = append(rows, *s)
	}
	return rows, nil
}

// rankLiveRun is one run on loopback: its row, or nil when ctx ended it.
func (a app) rankLiveRun(ctx context.Context, o rankLiveOpts, sc *scenario.Scenario, spec string, seed uint64) (*results.Summary, error) {
	set, err := live.Resolve(sc, spec, o.droplets, seed)
	if err != nil {
		return nil, cli.Usage(fmt.Errorf("rank-live: policy %q seed %d: %w", spec, seed, err))
	}
	wall := time.Now()
	oc, err := livelb.Run(ctx, livelb.Config{Setup: set, Scale: o.scale, StopWhenLeased: o.stop})
	if err != nil {
		return nil, fmt.Errorf("rank-live: %s seed %d: %w", spec, seed, err)
	}
	if oc.Interrupted || ctx.Err() != nil {
		return nil, nil
	}
	if err := oc.Invariant(); err != nil {
		return nil, fmt.Errorf("rank-live: %s seed %d: %w", spec, seed, err)
	}
	s := livelb.Row(set, o.scale, oc)
	s.WallS = time.Since(wall).Seconds()
	kept := "kept up"
	if !oc.KeptUp() {
		kept = fmt.Sprintf("DID NOT KEEP UP (%d late, %d unsent of %d scheduled; worst lag %s): complete=false", oc.Late, oc.Unsent, oc.Scheduled, roundSpan(oc.MaxLag))
	}
	rec := "not recovered"
	if oc.Recovered {
		rec = fmt.Sprintf("recovered in %s", results.Seconds(s.RecoveryS))
	}
	fmt.Fprintf(a.stderr, "    %s seed %d: %s · %d of %d droplets leased · %d attempts, %d timed out, %d refused (429), %d failed · %s · %s wall\n",
		spec, seed, rec, oc.Leased, oc.Droplets, oc.Attempts, oc.TimedOut, oc.Refused, oc.Failed, kept, span(time.Since(wall)))
	return &s, nil
}

// printRankLive prints compare's table of the runs that kept up, and names
// those that did not.
func (a app) printRankLive(o rankLiveOpts, rows []results.Summary) error {
	var kept []results.Summary
	var behind []string
	for _, s := range rows {
		if s.Complete {
			kept = append(kept, s)
		} else {
			behind = append(behind, fmt.Sprintf("%s seed %d", s.Policy, s.Seed))
		}
	}
	if len(kept) == 0 {
		return fmt.Errorf("rank-live: no run kept up (%s): nothing to rank; lower --time-scale", strings.Join(behind, ", "))
	}
	baseline, lost := o.baseline, false
	if baseline != "" && !slices.ContainsFunc(kept, func(s results.Summary) bool { return s.Policy == baseline }) {
		baseline, lost = "", true // every run of it left out: rank the rest without it
	}
	rk, err := results.Rank(kept, baseline)
	if err != nil {
		return fmt.Errorf("rank-live: %w", err)
	}
	format := "text"
	if o.md {
		format = "markdown"
	}
	if err := results.WriteRanking(a.stdout, rk, format); err != nil {
		return fmt.Errorf("rank-live: %w", err)
	}
	if len(behind) > 0 {
		fmt.Fprintf(a.stdout, "note: left out, the attacker did not keep up (complete=false in %s): %s; loadgen compare --allow-incomplete ranks them too\n",
			o.out, strings.Join(behind, ", "))
	}
	if lost {
		fmt.Fprintf(a.stdout, "note: no comparison with the baseline %s: every run of it was left out\n", o.baseline)
	}
	return nil
}
