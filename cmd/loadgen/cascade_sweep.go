package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
)

// cascadeSweepFlags are the sweep flags a cascade sweep takes.
var cascadeSweepFlags = map[string]bool{"scenario": true, "policies": true, "seeds": true, "droplets": true, "out": true, "parallel": true, "markdown": true}

// cascadeRun is one run of a cascade sweep.
type cascadeRun struct {
	entry int
	seed  uint64
	o     cascade.Outcome
	wallS float64
	err   error
	done  bool
}

// sweepCascade runs a cascade preset under each --policies entry (entries
// separated by ';', an entry's stage specs by spaces: "operator;
// dwfm=operator nlb=velocity:cap=5%,window=5m") with seeds 1..N, prints the
// milestone table (milestone, published, each entry's range over the seeds)
// and the stages' measures (means over the seeds), and writes DIR/sweep.csv
// with the cascade summary's columns, one row per run.
func (a app) sweepCascade(ctx context.Context, set func(func(string)), scn, pols string, seeds, droplets, par int, out string, md bool) error {
	var bad string
	given := false
	set(func(name string) {
		if !cascadeSweepFlags[name] && bad == "" {
			bad = name
		}
		given = given || name == "policies"
	})
	if !given {
		pols = "operator;mitigated"
	}
	if bad != "" {
		return cli.Flagf("sweep", "--%s is not supported by the cascade scenario %s (it takes --policies, --seeds, --droplets, --parallel, --markdown, --out)", bad, scn)
	}
	file, err := cascade.Load(scn)
	if err != nil {
		return cli.Usage(err)
	}
	var entries []cascade.Policies
	used := droplets
	seen := map[string]bool{}
	for _, e := range strings.Split(pols, ";") {
		if strings.TrimSpace(e) == "" {
			continue
		}
		p, err := cascade.ParsePolicies(strings.Fields(e))
		if err != nil {
			return cli.Usage(fmt.Errorf("sweep: %w", err))
		}
		if seen[p.String()] {
			return cli.Flagf("sweep", "policies %q given twice", p.String())
		}
		seen[p.String()] = true
		pr, err := cascade.Run{File: file, Policy: p.DWFM, NetPropPolicy: p.NetProp, NLBPolicy: p.NLB, Seed: 1, Droplets: droplets}.Prepare()
		if err != nil {
			return cli.Usage(fmt.Errorf("sweep: %s: %w", p, err))
		}
		used = pr.Droplets()
		entries = append(entries, p)
	}
	if len(entries) == 0 {
		return cli.Flagf("sweep", "--policies is empty (a cascade takes entries separated by ';', e.g. \"operator;mitigated\")")
	}
	var f *results.File
	if out != "" {
		if f, err = results.CreateWrapped(out, "sweep.csv", a.wrapFor("sweep.csv")); err != nil {
			return cli.Usage(fmt.Errorf("--out %s: %w", out, err))
		}
	}
	runs := make([]cascadeRun, len(entries)*seeds)
	for i := range runs {
		runs[i].entry, runs[i].seed = i/seeds, uint64(i%seeds+1)
	}
	prog := cli.NewProgress(a.stderr, cli.IsTerminal(a.stderr))
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		finished int
		next     int
	)
	for range min(par, len(runs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(runs) || ctx.Err() != nil {
					return
				}
				r := &runs[i]
				p := entries[r.entry]
				wall := time.Now()
				r.o, r.err = cascade.Run{File: file, Policy: p.DWFM, NetPropPolicy: p.NetProp, NLBPolicy: p.NLB, Seed: r.seed, Droplets: droplets}.Execute()
				r.wallS, r.done = time.Since(wall).Seconds(), true
				mu.Lock()
				finished++
				prog.Println(fmt.Sprintf("[%d/%d] %s seed %d: event end %s", finished, len(runs), p, r.seed, r.o.Clock(r.o.Milestones.EventEnd)))
				prog.Update(float64(finished)/float64(len(runs)), fmt.Sprintf("sweep %s: %d of %d runs", file.Name, finished, len(runs)))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	prog.Done()
	var rows []cascade.SummaryRow
	for _, r := range runs {
		if r.err != nil {
			if f != nil {
				f.Abandon()
			}
			return fmt.Errorf("sweep: %s seed %d: %w", entries[r.entry], r.seed, r.err)
		}
		if r.done {
			rows = append(rows, cascade.SummaryRow{Scenario: file.Name, Policies: entries[r.entry], Seed: r.seed, Droplets: used, WallS: r.wallS, Outcome: r.o})
		}
	}
	if f != nil {
		if err := cascade.WriteSummary(f, rows...); err != nil {
			f.Abandon()
			return fmt.Errorf("sweep: %w", err)
		}
	}
	writeCascadeTables(a.stdout, entries, runs, seeds, md)
	if len(rows) < len(runs) {
		where := ""
		if f != nil {
			name, err := f.Abandon()
			if err != nil {
				return fmt.Errorf("sweep: %w", err)
			}
			where = "; the finished ones in " + name
		}
		return fmt.Errorf("sweep: %w after %d of %d runs%s", cli.ErrInterrupted, len(rows), len(runs), where)
	}
	if f != nil {
		if err := f.Commit(); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		fmt.Fprintf(a.stderr, "wrote %s\n", f.Path())
	}
	return nil
}

// clockRange is the range of a milestone's clocks over runs: "05:26",
// "10:24–10:31", or "-" when it never happened in any of them ("-" inside a
// range: not in every run).
func clockRange(rs []cascadeRun, at func(cascade.Milestones) sim.Time) string {
	lo, hi := sim.Time(math.MaxInt64), sim.Time(-1)
	missing := 0
	var o cascade.Outcome
	for _, r := range rs {
		t := at(r.o.Milestones)
		if t < 0 {
			missing++
			continue
		}
		o = r.o
		lo, hi = min(lo, t), max(hi, t)
	}
	if hi < 0 {
		return "-"
	}
	r := o.Clock(lo) + "–" + o.Clock(hi)
	if o.Clock(lo) == o.Clock(hi) {
		r = o.Clock(lo)
	}
	if missing > 0 {
		r += fmt.Sprintf(" (%d of %d: never)", missing, len(rs))
	}
	return r
}

// writeCascadeTables prints the milestone table and the measures table of a
// cascade sweep (only the runs that finished count).
func writeCascadeTables(w io.Writer, entries []cascade.Policies, runs []cascadeRun, seeds int, md bool) {
	per := make([][]cascadeRun, len(entries))
	for _, r := range runs {
		if r.done && r.err == nil {
			per[r.entry] = append(per[r.entry], r)
		}
	}
	head := []string{"milestone", "published", "label (operator)"}
	for _, e := range entries {
		head = append(head, fmt.Sprintf("%s (seeds 1–%d)", e, seeds))
	}
	var table [][]string
	for _, d := range cascade.MilestoneDefs {
		pub := d.Published
		switch {
		case pub == "":
			pub = "-"
		case d.Name == "nlb_removals":
			pub += " (onset; detected " + cascade.Published.NLBDetected + ")"
		}
		row := []string{d.Name + "_clock: " + d.What, pub, string(d.Label)}
		for i := range entries {
			row = append(row, clockRange(per[i], d.At))
		}
		table = append(table, row)
	}
	row := []string{nlbImpactRow.name, nlbImpactRow.pub, nlbImpactRow.label}
	for i := range entries {
		row = append(row, clockRange(per[i], func(m cascade.Milestones) sim.Time { return m.NLBErrors })+" to "+
			clockRange(per[i], func(m cascade.Milestones) sim.Time { return m.FailoverOn }))
	}
	table = append(table, row)
	printTable(w, head, table, md)
	fmt.Fprintln(w)
	head = []string{"policies", "conn_error_share [95% CI]", "capacity_error_share", "unpropagated_error_share", "capacity_lost_target_h [95% CI]",
		"nlb_recovery [95% CI]", "failovers", "failovers_completed", "drained", "kept_in_dns_target_h", "flaps", "peak_prop_latency_s"}
	table = nil
	for i, e := range entries {
		var errs, lost, rec []float64
		var v [8]float64
		for _, r := range per[i] {
			t := r.o.NLBTotals
			errs, lost = append(errs, t.ConnErrorShare), append(lost, t.CapacityLostTargetH)
			if r.o.NLB.Recovered && r.o.Milestones.DWFMRecovered >= 0 {
				rec = append(rec, r.o.NLB.Recovery.Seconds())
			}
			for k, x := range []float64{t.CapacityErrorShare, t.UnpropagatedErrorShare, float64(t.Failovers), float64(t.FailoversCompleted), t.Drained, t.KeptInDNS, float64(t.Flaps), r.o.PeakLatency} {
				if !math.IsNaN(x) {
					v[k] += x / float64(len(per[i]))
				}
			}
		}
		recovery := fmt.Sprintf("%d/%d recovered", len(rec), len(per[i]))
		if len(rec) == len(per[i]) && len(rec) > 0 {
			ci := results.MeanCI(rec)
			recovery = fmt.Sprintf("%s [%s, %s]", hm(ci.Mean), hm(ci.Lo()), hm(ci.Hi()))
		}
		row := []string{e.String(), withCI(errs, 4), g4(v[0]), g4(v[1]), withCI(lost, 1), recovery}
		for _, x := range v[2:] {
			row = append(row, g4(x))
		}
		table = append(table, row)
	}
	printTable(w, head, table, md)
}

// g4 is x to 4 significant digits (a share's rounding error either side of
// 0 is 0).
func g4(x float64) string {
	if x > -1e-12 && x < 1e-12 {
		x = 0
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// withCI is the mean of xs with its 95% interval (Student t), dec decimals.
func withCI(xs []float64, dec int) string {
	ci := results.MeanCI(xs)
	if ci.N == 0 {
		return "-"
	}
	f := func(x float64) string {
		if x < 0 && x > -1e-9 {
			x = 0
		}
		return strconv.FormatFloat(x, 'f', dec, 64)
	}
	return fmt.Sprintf("%s [%s, %s]", f(ci.Mean), f(ci.Lo()), f(ci.Hi()))
}

// hm is s seconds as hours and minutes ("4h15m").
func hm(s float64) string {
	d := time.Duration(s * float64(time.Second)).Round(time.Minute)
	if d == 0 {
		return "0m"
	}
	return strings.TrimSuffix(d.String(), "0s")
}

// printTable prints a table as aligned text or Markdown.
func printTable(w io.Writer, head []string, rows [][]string, md bool) {
	if md {
		fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat(" --- |", len(head)))
		for _, r := range rows {
			fmt.Fprintf(w, "| %s |\n", strings.Join(r, " | "))
		}
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(head, "\t")) // as given: policy specs are case-sensitive
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
}
