package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/results"
)

// cascadeRun is one cascade run of a sweep, as its tables need it: the
// outcome without its time series.
type cascadeRun struct {
	o cascade.Outcome
}

// cascadeRuns are the cascade runs of a sweep that finished, by run, grouped
// for the tables by policy and vary values in the order of the runs.
type cascadeRuns struct {
	mu     sync.Mutex
	runs   map[int]cascadeRun
	groups map[int]string // each run's group
	names  map[string]int // each group's first run
}

func newCascadeRuns() *cascadeRuns {
	return &cascadeRuns{runs: map[int]cascadeRun{}, groups: map[int]string{}, names: map[string]int{}}
}

// add keeps run i's outcome, if it is a cascade's.
func (c *cascadeRuns) add(i int, o bench.Outcome) {
	if o.Cascade == nil {
		return
	}
	co := *o.Cascade
	co.Series = nil // the tables need none of it, and a sweep of many runs would hold it all
	name := o.Summary.Policy
	if o.Summary.Vary != "" {
		name += " " + o.Summary.Vary
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.runs[i], c.groups[i] = cascadeRun{o: co}, name
	if f, ok := c.names[name]; !ok || i < f {
		c.names[name] = i
	}
}

// write prints the cascade's tables: nothing when no run was a cascade's.
func (c *cascadeRuns) write(w io.Writer, md bool) {
	if len(c.runs) == 0 {
		return
	}
	names := make([]string, 0, len(c.names))
	for n := range c.names {
		names = append(names, n)
	}
	sort.Slice(names, func(a, b int) bool { return c.names[names[a]] < c.names[names[b]] })
	idx := make([]int, 0, len(c.runs))
	for i := range c.runs {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	group := make(map[string]int, len(names))
	for k, n := range names {
		group[n] = k
	}
	per := make([][]cascadeRun, len(names))
	for _, i := range idx {
		k := group[c.groups[i]]
		per[k] = append(per[k], c.runs[i])
	}
	fmt.Fprintln(w)
	writeCascadeTables(w, names, per, md)
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

// impactRange is the NLB impact window over runs (nlbImpact): the range of
// its starts "to" the range of its ends, over the runs with errors above 1%;
// "none" when no run had any, "did not run" when no run's NLB stage ran,
// and how many runs had none or did not run when some did.
func impactRange(rs []cascadeRun) string {
	var hit []cascadeRun
	none, idle := 0, 0
	for _, r := range rs {
		switch {
		case !r.o.NLBRan:
			idle++
		case r.o.Milestones.NLBErrors < 0:
			none++
		default:
			hit = append(hit, r)
		}
	}
	var cell string
	switch {
	case idle == len(rs):
		return "did not run"
	case len(hit) == 0:
		cell = "none"
	default:
		cell = clockRange(hit, func(m cascade.Milestones) sim.Time { return m.NLBErrors }) + " to " + clockRange(hit, nlbImpactEnd)
	}
	if none > 0 && len(hit) > 0 {
		cell += fmt.Sprintf(" (%d of %d: none)", none, len(rs))
	}
	if idle > 0 {
		cell += fmt.Sprintf(" (%d of %d: did not run)", idle, len(rs))
	}
	return cell
}

// writeCascadeTables prints the milestone table and the measures table of a
// cascade sweep: one column (then row) per group of runs (a policy and its
// vary values), over the runs that finished.
func writeCascadeTables(w io.Writer, entries []string, per [][]cascadeRun, md bool) {
	head := []string{"milestone", "published", "label (operator)"}
	for i, e := range entries {
		head = append(head, fmt.Sprintf("%s (%s)", e, plural(len(per[i]), "run", "runs")))
	}
	var table [][]string
	for _, d := range cascade.MilestoneDefs {
		row := []string{d.Name + "_clock: " + d.What, publishedOf(d), string(d.Label)}
		for i := range entries {
			row = append(row, clockRange(per[i], d.At))
		}
		table = append(table, row)
	}
	row := []string{nlbImpactRow.name, nlbImpactRow.pub, nlbImpactRow.label}
	for i := range entries {
		row = append(row, impactRange(per[i]))
	}
	table = append(table, row)
	printTable(w, head, table, md)
	fmt.Fprintln(w)
	head = []string{"policies", "conn_error_share [95% CI]", "capacity_error_share", "unpropagated_error_share", "capacity_lost_target_h [95% CI]",
		"nlb_recovery [95% CI]", "failovers", "failovers_completed", "drained", "kept_in_dns_target_h", "flaps", "peak_prop_latency_s"}
	table = nil
	clamped := false
	for i, e := range entries {
		row := stageMeasures(e, per[i])
		for _, c := range row {
			clamped = clamped || strings.Contains(c, clampMark+",")
		}
		table = append(table, row)
	}
	printTable(w, head, table, md)
	if clamped {
		fmt.Fprintln(w, clampNote)
	}
}

// stageMeasures is group e's row of the measures table. The NLB's measures
// are over the runs whose NLB stage ran (DWFM recovered), the peak latency
// over those whose propagation did: a stage that never ran measured
// nothing, not zero.
func stageMeasures(e string, runs []cascadeRun) []string {
	var errs, lost, rec []float64
	var v [7]float64
	var peak []float64
	idle := 0 // runs whose NLB ran with nothing launched to it: nothing to recover from
	for _, r := range runs {
		if r.o.NetPropRan && !math.IsNaN(r.o.PeakLatency) {
			peak = append(peak, r.o.PeakLatency)
		}
		if !r.o.NLBRan {
			continue
		}
		t := r.o.NLBTotals
		errs, lost = append(errs, t.ConnErrorShare), append(lost, t.CapacityLostTargetH)
		switch {
		case r.o.Targets == 0: // summary.csv's nlb_recovery_s is empty
			idle++
		case r.o.NLB.Recovered:
			rec = append(rec, r.o.NLB.Recovery.Seconds())
		}
		for k, x := range []float64{t.CapacityErrorShare, t.UnpropagatedErrorShare, float64(t.Failovers), float64(t.FailoversCompleted), t.Drained, t.KeptInDNS, float64(t.Flaps)} {
			v[k] += x
		}
	}
	recovery := fmt.Sprintf("%d/%d recovered", len(rec), len(runs)-idle)
	if idle > 0 {
		recovery += fmt.Sprintf(" (%d with no launch)", idle)
	}
	if len(rec) == len(runs)-idle && len(rec) > 0 {
		ci := results.MeanCI(rec)
		lo := hm(ci.Lo())
		if ci.Lo() < 0 {
			lo = "0m" + clampMark
		}
		recovery = fmt.Sprintf("%s [%s, %s]", hm(ci.Mean), lo, hm(ci.Hi()))
	}
	if len(errs) < len(runs) {
		e += fmt.Sprintf(" (the NLB ran in %d of %d)", len(errs), len(runs))
	}
	row := []string{e, withCI(errs, 4)}
	mean := func(x float64) string {
		if len(errs) == 0 {
			return "-"
		}
		return g4(x / float64(len(errs)))
	}
	row = append(row, mean(v[0]), mean(v[1]), withCI(lost, 1), recovery)
	for _, x := range v[2:] {
		row = append(row, mean(x))
	}
	peakMean := "-"
	if len(peak) > 0 {
		peakMean = g4(results.MeanCI(peak).Mean)
	}
	return append(row, peakMean)
}

// g4 is x to 4 significant digits (a share's rounding error either side of
// 0 is 0).
func g4(x float64) string {
	if x > -1e-12 && x < 1e-12 {
		x = 0
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// clampMark follows an interval's lower end that the Student t interval put
// below 0 and the table shows as 0 (clampNote says so under the table).
const clampMark = "*"

// clampNote is the line under the measures table when an interval was
// clamped.
const clampNote = "*: the 95% interval (Student t over few seeds) reaches below 0, which a share, target-hours or a duration cannot: its lower end is shown as 0"

// withCI is the mean of xs with its 95% interval (Student t), dec decimals;
// a lower end below 0 (the measures here cannot be negative: a wide
// interval over few seeds) is shown as 0, marked clampMark.
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
	lo := f(ci.Lo())
	if ci.Lo() <= -1e-9 {
		lo = f(0) + clampMark
	}
	return fmt.Sprintf("%s [%s, %s]", f(ci.Mean), lo, f(ci.Hi()))
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
	t := results.Table{Rows: append([][]string{head}, rows...), Rule: " --- "}
	if md {
		t.Markdown(w)
		return
	}
	t.Text(w) // as given: policy specs are case-sensitive
}
