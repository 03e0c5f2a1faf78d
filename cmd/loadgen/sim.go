package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/results"
)

// Defaults for `loadgen sim`.
const (
	DefaultScenario = "us-east-1"
	DefaultPolicy   = "none"
	DefaultSeed     = 1
	DefaultOut      = "out"
)

const simUsage = `Usage: loadgen sim [flags]

Simulate a scenario under a policy in virtual time, print a summary, and write
DIR/timeseries.csv (one row per sample interval) and DIR/summary.csv (one row).
Files are written as *.partial and renamed only when the run completes.

Examples:
  loadgen sim                                          # us-east-1 under none
  loadgen sim --policy operator --out runs/operator    # the operators' 04:14 fix
  loadgen sim --policy queue-size --droplets 100000 --seed 2
  loadgen sim --scenario metastable --policy queue-size --interval 100ms

Flags:
`

type simFlags struct {
	scenario, policy, out string
	seed                  uint64
	droplets              int
	interval              time.Duration
}

func cmdSim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f simFlags
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.scenario, "scenario", DefaultScenario, "preset name or scenario file (see loadgen scenarios)")
	fs.StringVar(&f.policy, "policy", DefaultPolicy, "policy spec, e.g. queue-size or operator:at=04:14 (see loadgen policies)")
	fs.Uint64Var(&f.seed, "seed", DefaultSeed, "random seed: same seed, same CSVs")
	fs.IntVar(&f.droplets, "droplets", 0, "DWFM droplets (0: the scenario's); hosts scale with droplets")
	fs.StringVar(&f.out, "out", DefaultOut, "directory for timeseries.csv and summary.csv; empty: write no files")
	fs.DurationVar(&f.interval, "interval", 0, "sample interval of timeseries.csv (0: the scenario's)")
	fs.Usage = func() {
		fmt.Fprint(stderr, simUsage)
		fs.PrintDefaults()
	}
	if done, err := parseFlags(fs, args); done || err != nil {
		return err
	}
	if f.droplets < 0 {
		return usagef("sim: --droplets %d below 0", f.droplets)
	}
	if f.interval < 0 {
		return usagef("sim: --interval %v below 0", f.interval)
	}

	sc, err := scenario.Load(f.scenario)
	if err != nil {
		return usage(err)
	}
	var (
		p    *bench.Prepared
		out  *outputs
		prog = newProgress(stderr, sc.Name, time.Duration(sc.Horizon))
	)
	r := bench.Run{Scenario: sc, Policy: f.policy, Seed: f.seed, Droplets: f.droplets, Interval: f.interval,
		Stop: func() bool { return ctx.Err() != nil },
		// Called only while p executes, when p and out are set.
		Observe: func(s model.Sample) {
			prog.update(s.T.Duration(), p.Clock(s.T))
			if out != nil {
				out.row(p.Row(s))
			}
		}}
	if p, err = r.Prepare(); err != nil {
		return usage(err)
	}
	if f.out != "" {
		if out, err = createOutputs(f.out); err != nil {
			return usage(err)
		}
	}
	o, err := p.Execute()
	prog.done()
	if err != nil {
		if out != nil {
			out.abandon(results.Summary{})
		}
		return err
	}
	printSummary(stdout, p, o)
	if out == nil {
		if !o.Summary.Complete {
			return errInterrupted
		}
		return nil
	}
	if !o.Summary.Complete {
		names := out.abandon(o.Summary)
		fmt.Fprintf(stdout, "partial results (interrupted at t=%s): %s\n", o.Result.End, strings.Join(names, ", "))
		return errInterrupted
	}
	names, err := out.commit(o.Summary)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", strings.Join(names, ", "))
	return nil
}

// outputs are a run's two result files.
type outputs struct {
	ts      *results.File
	tsw     *results.TimeSeriesWriter
	summary *results.File
	err     error // first write error; reported at the end
}

func createOutputs(dir string) (*outputs, error) {
	ts, err := results.Create(dir, "timeseries.csv")
	if err != nil {
		return nil, fmt.Errorf("--out %s: %w", dir, err)
	}
	sum, err := results.Create(dir, "summary.csv")
	if err != nil {
		ts.Abandon()
		os.Remove(ts.Path() + results.PartialSuffix)
		return nil, fmt.Errorf("--out %s: %w", dir, err)
	}
	o := &outputs{ts: ts, summary: sum}
	o.tsw, o.err = results.NewTimeSeriesWriter(ts)
	return o, nil
}

func (o *outputs) row(r results.TimeSeriesRow) {
	if o.err == nil {
		o.err = o.tsw.Write(r)
	}
}

func (o *outputs) finish(s results.Summary) {
	if o.err == nil {
		o.err = o.tsw.Flush()
	}
	if o.err == nil {
		o.err = results.WriteSummaries(o.summary, s)
	}
}

// commit completes both files.
func (o *outputs) commit(s results.Summary) ([]string, error) {
	o.finish(s)
	if o.err != nil {
		o.abandon(s)
		return nil, fmt.Errorf("writing results: %w", o.err)
	}
	if err := o.ts.Commit(); err != nil {
		return nil, err
	}
	if err := o.summary.Commit(); err != nil {
		return nil, err
	}
	return []string{o.ts.Path(), o.summary.Path()}, nil
}

// abandon keeps what was measured under .partial names.
func (o *outputs) abandon(s results.Summary) []string {
	o.finish(s)
	a, _ := o.ts.Abandon()
	b, _ := o.summary.Abandon()
	return []string{a, b}
}

func printSummary(w io.Writer, p *bench.Prepared, o bench.Outcome) {
	s, sc := o.Summary, p.Scenario()
	fmt.Fprintf(w, "scenario %s · policy %s · seed %d", s.Scenario, s.Policy, s.Seed)
	if s.Droplets >= 0 {
		fmt.Fprintf(w, " · %d droplets on %d DWFM hosts", s.Droplets, o.Hosts)
	}
	fmt.Fprintln(w)
	end := o.Result.TriggerEnd
	if end > 0 {
		fmt.Fprintf(w, "trigger ends   %s (t=%s)\n", clockOr(p.Clock(end), ""), end)
	}
	if s.Recovered {
		fmt.Fprintf(w, "recovered      yes, %s after the trigger%s\n", dur(s.RecoveryS), clockOr(s.RecoveredClock, " at "))
	} else {
		fmt.Fprintf(w, "recovered      no, not by the end of the run (t=%s%s)\n", o.Result.End, clockOr(p.Clock(o.Result.End), ", "))
	}
	if s.IdealS == s.IdealS {
		fmt.Fprintf(w, "ideal          %s (the bound: backlog ÷ usable capacity)\n", dur(s.IdealS))
	}
	if r := s.Ratio(); r == r {
		fmt.Fprintf(w, "ratio          %.3f × ideal\n", r)
	}
	fmt.Fprintf(w, "peak queue     %d   wasted %.1f%%   amplification %.2f attempts/request\n", s.PeakQueue, 100*s.WastedFraction, s.Amplification)
	if s.Sojourn[0] == s.Sojourn[0] {
		fmt.Fprintf(w, "sojourn        mean %s   p50 %s   p99 %s   p99.9 %s\n", dur(s.Sojourn[0]), dur(s.Sojourn[1]), dur(s.Sojourn[2]), dur(s.Sojourn[3]))
	}
	fmt.Fprintf(w, "simulated      %s in %.1f s wall, %d events (%.1fM events/s)\n", sc.Horizon, s.WallS, s.Events, float64(s.Events)/s.WallS/1e6)
}

func clockOr(t time.Time, prefix string) string {
	if t.IsZero() {
		return ""
	}
	return prefix + t.Format("2006-01-02 15:04:05 -07:00")
}

// dur formats seconds as a duration rounded for reading.
func dur(s float64) string {
	d := time.Duration(s * 1e9)
	switch {
	case d >= time.Minute:
		return d.Round(time.Second).String()
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	default:
		return d.Round(time.Microsecond).String()
	}
}

// progress prints one updating line on stderr when stderr is a terminal and
// the run has taken more than a second.
type progress struct {
	w       io.Writer
	on      bool
	name    string
	horizon time.Duration
	start   time.Time
	last    time.Time
	printed bool
}

func newProgress(w io.Writer, name string, horizon time.Duration) *progress {
	p := &progress{w: w, name: name, horizon: horizon, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) update(t time.Duration, clock time.Time) {
	if !p.on {
		return
	}
	now := time.Now()
	if now.Sub(p.start) < time.Second || now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last, p.printed = now, true
	fmt.Fprintf(p.w, "\r%s: t=%s/%s (%3.0f%%)%s   ", p.name, t, p.horizon, 100*float64(t)/float64(p.horizon), clockOr(clock, " · "))
}

func (p *progress) done() {
	if p.printed {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
