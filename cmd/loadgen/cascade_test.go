package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/nlb"
	"github.com/aftershock/aftershock/bench/sim"
	"github.com/aftershock/aftershock/results"
)

// TestSimCascade: the cascade preset runs its three stages, prints each
// one's milestones, and writes timeseries.csv (DWFM's columns and the
// stages') and summary.csv (every run's columns, then the cascade's: the
// milestones as RFC 3339 clocks, each stage's ideal and ratio) with no
// .partial left (package cascade tests that they are the same for the same
// seed).
func TestSimCascade(t *testing.T) {
	dir := t.TempDir()
	args := []string{"sim", "--scenario", "us-east-1-cascade", "--policy", "operator", "--policy", "nlb=velocity:cap=10%,window=5m", "--droplets", "5e3", "--seed", "2", "--out", dir}
	code, out, errs := runCLI(t, context.Background(), args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"dwfm_recovered_clock", "prop_normal_clock", "nlb_restored_clock", "event_end_clock", "held back: ", "policy operator (dwfm=operator nlb=velocity:cap=10%,window=5m)", "recovered      yes,",
		"LABEL (under operator)", "calibrated", "scheduled", "predicted", "nlb_impact", "05:30–14:09", "05:30 (onset; detected 06:52)"} {
		if !strings.Contains(out, w) {
			t.Errorf("no %q in\n%s", w, out)
		}
	}
	read := func(name string) [][]string {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	ts := read("timeseries.csv")
	for _, c := range []string{"t_s", "leased", "expired", "prop_backlog", "prop_latency_s", "nlb_capacity_fraction", "hc_load", "failovers", "conn_error_rate", "capacity_error_rate"} {
		if !slices.Contains(ts[0], c) {
			t.Errorf("timeseries.csv has no column %s: %v", c, ts[0])
		}
	}
	if len(ts) != 14*60+32+1 { // 14h32m at 1 min, and the header
		t.Errorf("timeseries.csv has %d lines, want %d", len(ts), 14*60+32+1)
	}
	sum := read("summary.csv")
	if len(sum) != 2 || !slices.Equal(sum[0], append(slices.Clone(results.SummaryHeader), cascade.SummaryColumns...)) {
		t.Fatalf("summary.csv: %v", sum)
	}
	row := map[string]string{}
	for i, k := range sum[0] {
		row[k] = sum[1][i]
	}
	for _, k := range []string{"dwfm_recovered_clock", "prop_normal_clock", "nlb_restored_clock", "event_end_clock", "dwfm_ideal_s", "dwfm_ratio", "prop_ideal_s", "recovered_clock", "ideal_s"} {
		if row[k] == "" {
			t.Errorf("summary.csv: %s empty in %v", k, row)
		}
	}
	for _, k := range []string{"dwfm_recovered_clock", "event_end_clock", "prop_normal_clock"} {
		if _, err := time.Parse(time.RFC3339, row[k]); err != nil {
			t.Errorf("summary.csv: %s = %q: %v", k, row[k], err)
		}
	}
	if row["event_end_clock"] != row["recovered_clock"] || row["recovered"] != "true" {
		t.Errorf("summary.csv: the event ended at %q, recovered %q at %q", row["event_end_clock"], row["recovered"], row["recovered_clock"])
	}
	if row["nlb_ideal_s"] != "" || strings.HasPrefix(row["conn_error_share"], "-") || row["droplets"] != "5000" || row["seed"] != "2" {
		t.Errorf("summary.csv: nlb_ideal_s %q (no ideal), droplets %q, seed %q", row["nlb_ideal_s"], row["droplets"], row["seed"])
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.partial")); len(m) > 0 {
		t.Errorf("left %v", m)
	}
}

// TestSweepCascade: a cascade sweep runs every entry under every seed and
// --vary value (a link key and a stage's), ranks them as any sweep does,
// prints the milestone table (a row per milestone, a column per policy and
// point) and the measures, and writes sweep.csv with the cascade's own
// columns after the others, a row per run in order.
func TestSweepCascade(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI(t, context.Background(), "sweep", "--scenario", "us-east-1-cascade", "--policies", "operator;dwfm=operator nlb=velocity:cap=2%,window=5m",
		"--seeds", "1", "--droplets", "5e3", "--vary", "link.items_per_droplet_hour=0.0126,2.52", "--vary", "stages.nlb.nlb.check_interval=30s", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(out, "e-18") {
		t.Errorf("a rounding error printed as a share:\n%s", out)
	}
	for _, w := range []string{"operator (dwfm=operator nlb=failover-off) link.items_per_droplet_hour=2.52;stages.nlb.nlb.check_interval=30s (1 run)",
		"dwfm=operator nlb=velocity:cap=2%,window=5m link.items_per_droplet_hour=0.0126;stages.nlb.nlb.check_interval=30s (1 run)", "ratio to ideal", "rank",
		"dwfm_recovered_clock: every lease back", "conn_restored_clock", "capacity_error_share", "label (operator)", "nlb_impact", "conn_error_share [95% CI]",
		"capacity_lost_target_h [95% CI]", "nlb_recovery [95% CI]", "kept_in_dns_target_h"} {
		if !strings.Contains(out, w) {
			t.Errorf("no %q in\n%s", w, out)
		}
	}
	f, err := os.Open(filepath.Join(dir, "sweep.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || !slices.Equal(recs[0], append(slices.Clone(results.SweepHeader), cascade.SummaryColumns...)) {
		t.Fatalf("sweep.csv: %d lines, header %v", len(recs), recs[0])
	}
	for i, want := range [][3]string{{"operator (dwfm=operator nlb=failover-off)", "0.0126"}, {"dwfm=operator nlb=velocity:cap=2%,window=5m", "0.0126"},
		{"operator (dwfm=operator nlb=failover-off)", "2.52"}, {"dwfm=operator nlb=velocity:cap=2%,window=5m", "2.52"}} {
		if r := recs[i+1]; r[1] != want[0] || r[2] != "link.items_per_droplet_hour="+want[1]+";stages.nlb.nlb.check_interval=30s" || r[3] != "1" || r[4] != "5000" {
			t.Errorf("row %d: %v, want policy %s, items %s, seed 1, droplets 5000", i+1, r[:5], want[0], want[1])
		}
	}
	// 200 times the held-back work per droplet-hour at 5·10³ droplets is
	// the preset's backlog at 10⁶: the NLB flaps, as at full scale.
	held := slices.Index(recs[0], "held_back")
	if a, b := recs[1][held], recs[3][held]; len(b) < len(a)+2 {
		t.Errorf("held back %s at the preset's rate, %s at 200 times it", a, b)
	}
}

// The NLB impact window runs from the first errors above 1% to the later
// of their end and failover back on: errors that outlast the switch extend
// it, errors to the horizon (or a switch never turned back on) leave it
// open ("-"); it reads "none" when no connection error rose above 1% and
// "did not run" when the stage did not. A sweep's cell says the same over
// its runs.
func TestNLBImpactWindow(t *testing.T) {
	start := time.Date(2025, 10, 19, 23, 48, 0, 0, time.UTC)
	at := func(hhmm string) sim.Time { // a clock on the night of the run
		c, _ := time.Parse("15:04", hhmm)
		return sim.Time(time.Duration(c.Hour()+24)*time.Hour + time.Duration(c.Minute())*time.Minute - 23*time.Hour - 48*time.Minute)
	}
	ms := func(errs, restored, off, on string) cascade.Milestones {
		m := cascade.Milestones{NLBErrors: -1, ConnRestored: -1, FailoverOff: -1, FailoverOn: -1}
		for _, f := range []struct {
			p *sim.Time
			v string
		}{{&m.NLBErrors, errs}, {&m.ConnRestored, restored}, {&m.FailoverOff, off}, {&m.FailoverOn, on}} {
			if f.v != "" {
				*f.p = at(f.v)
			}
		}
		return m
	}
	for _, c := range []struct {
		name string
		ran  bool
		m    cascade.Milestones
		want string
	}{
		{"the stage did not run", false, ms("", "", "", ""), "did not run"},
		{"no error above 1%", true, ms("", "06:00", "09:36", "14:09"), "none"},
		{"errors end at the switch", true, ms("06:27", "09:36", "09:36", "14:09"), "06:27–14:09"},
		{"errors outlast failover back on", true, ms("06:27", "10:00", "08:00", "09:00"), "06:27–10:00"},
		{"errors to the horizon", true, ms("06:27", "", "08:00", "09:00"), "06:27–-"},
		{"no switch: the errors' end", true, ms("06:27", "10:00", "", ""), "06:27–10:00"},
		{"failover never back on", true, ms("06:27", "09:40", "09:36", ""), "06:27–-"},
	} {
		if got := nlbImpact(cascade.Outcome{Start: start, NLBRan: c.ran, Milestones: c.m}); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	run := func(ran bool, m cascade.Milestones) cascadeRun {
		return cascadeRun{o: cascade.Outcome{Start: start, NLBRan: ran, Milestones: m}}
	}
	for _, c := range []struct {
		runs []cascadeRun
		want string
	}{
		{[]cascadeRun{run(false, ms("", "", "", "")), run(false, ms("", "", "", ""))}, "did not run"},
		{[]cascadeRun{run(true, ms("", "06:00", "", "")), run(false, ms("", "", "", ""))}, "none (1 of 2: did not run)"},
		{[]cascadeRun{run(true, ms("06:27", "10:00", "08:00", "09:00")), run(true, ms("06:23", "", "08:00", "09:00")), run(true, ms("", "06:00", "08:00", "09:00"))},
			"06:23–06:27 to 10:00 (1 of 2: never) (1 of 3: none)"},
	} {
		if got := impactRange(c.runs); got != c.want {
			t.Errorf("sweep cell: %q, want %q", got, c.want)
		}
	}
}

// TestPlotCascade: plot draws cascade runs as one stacked timeline, the
// published milestones labelled calibrated, scheduled or predicted and each
// run's own marked; a run whose later stages never started (DWFM under none)
// plots, its empty panels saying so, and beside another run each of those
// panels names it (it would vanish unsaid); a cascade run with a run of one model
// is refused in one line; plot --kind ratio draws a cascade sweep (the
// event's recovery against its ideal), and compare ranks it by the same rule
// as any sweep.
func TestPlotCascade(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p := func(name string) string { return filepath.Join(dir, name) }
	for _, args := range [][]string{
		{"sim", "--scenario", "us-east-1-cascade", "--policy", "operator", "--droplets", "5e3", "--out", p("operator")},
		{"sim", "--scenario", "us-east-1-cascade", "--droplets", "5e3", "--out", p("none")},
		{"sim", "--droplets", "1000", "--out", p("single")},
		{"sweep", "--scenario", "us-east-1-cascade", "--policies", "operator;mitigated;dwfm=none", "--seeds", "2", "--droplets", "5e3", "--out", p("sweep")},
	} {
		if code, _, e := runCLI(t, ctx, args...); code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, e)
		}
	}
	code, _, stderr := runCLI(t, ctx, "plot", p("operator"), p("none"), "--out", p("cascade.svg"))
	if code != 0 || stderr != "wrote "+p("cascade.svg")+" (stacked cascade timeline)\n" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	svg, err := os.ReadFile(p("cascade.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"05:28 leases back (calibrated)", "05:30 NLB errors begin (predicted)", "06:21 latency up (calibrated)",
		"09:36 failover off, errors end (scheduled)", "06:52 NLB failures detected (a detection)", "10:36 latency normal (calibrated)", "14:09 failover on (scheduled)",
		"propagation backlog (items)", "NLB connection errors", "NLB capacity in DNS", "us-east-1-cascade / operator (dwfm=operator nlb=failover-off) / seed 1 / 5000 droplets",
		"us-east-1-cascade / dwfm=none / seed 1"} {
		if !strings.Contains(string(svg), w) {
			t.Errorf("cascade.svg lacks %q", w)
		}
	}
	if n := strings.Count(string(svg), "no values from us-east-1-cascade / dwfm=none / seed 1"); n != 4 {
		t.Errorf("cascade.svg names the run whose later stages never ran in %d panels, want 4 (every panel but DWFM's)", n)
	}
	if code, _, stderr := runCLI(t, ctx, "plot", p("none"), "--out", p("none.svg")); code != 0 {
		t.Fatalf("a cascade whose later stages never ran: exit %d: %s", code, stderr)
	}
	if svg, _ := os.ReadFile(p("none.svg")); strings.Count(string(svg), "no values: this stage did not run") != 4 {
		t.Errorf("none.svg: %d panels say their stage did not run, want 4", strings.Count(string(svg), "no values: this stage did not run"))
	}
	code, _, stderr = runCLI(t, ctx, "plot", p("operator"), p("single"), "--out", p("mixed.svg"))
	if code != 2 || !strings.Contains(stderr, "inputs mix cascade runs and runs of one model") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("mixed: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, ctx, "plot", "--kind", "ratio", p("sweep"), "--out", p("ratio.svg")); code != 0 || !strings.Contains(stderr, "(ratio)") {
		t.Fatalf("ratio: exit %d: %s", code, stderr)
	}
	code, out, stderr := runCLI(t, ctx, "compare", filepath.Join(p("sweep"), "sweep.csv"))
	if code != 0 || !strings.Contains(out, "mitigated (dwfm=queue-size netprop=queue-size nlb=velocity:cap=2%,window=5m)") || !strings.Contains(out, "0/2") {
		t.Errorf("compare: exit %d\n%s%s", code, out, stderr)
	}
}

// TestCascadeAssert: --assert judges a cascade's own columns as well as
// every run's (a number, a clock with == and !=), one line per failed
// assertion naming the column and the run (exit 1); over a sweep too.
func TestCascadeAssert(t *testing.T) {
	ctx := context.Background()
	code, _, stderr := runCLI(t, ctx, "sim", "--scenario", "us-east-1-cascade", "--policy", "operator", "--droplets", "5e3", "--out", "",
		"--assert", "recovered", "--assert", "conn_error_share<0.5", "--assert", "held_back>0", "--assert", "failover_off_clock==2025-10-20T09:36:00-07:00")
	if code != 0 {
		t.Fatalf("holding assertions: exit %d: %s", code, stderr)
	}
	code, _, stderr = runCLI(t, ctx, "sim", "--scenario", "us-east-1-cascade", "--policy", "operator", "--droplets", "5e3", "--out", "",
		"--assert", "held_back>1e9", "--assert", "failover_on_clock!=2025-10-20T14:09:00-07:00")
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if code != 1 || len(lines) != 2 || !strings.HasPrefix(lines[0], "loadgen: verdict: held_back>1e9 failed: held_back is ") ||
		!strings.Contains(lines[1], "failover_on_clock is 2025-10-20T14:09:00-07:00 (scenario us-east-1-cascade, policy operator (dwfm=operator nlb=failover-off), seed 1, 5000 droplets)") {
		t.Fatalf("failing assertions: exit %d, stderr\n%s", code, stderr)
	}
	code, _, stderr = runCLI(t, ctx, "sweep", "--scenario", "us-east-1-cascade", "--policies", "operator;dwfm=none", "--droplets", "5e3", "--out", "",
		"--assert", "dwfm_recovery_s<4h")
	if code != 1 || !strings.Contains(stderr, "dwfm_recovery_s<4h failed in 1 of 2 runs, first: dwfm_recovery_s is empty (scenario us-east-1-cascade, policy dwfm=none") {
		t.Fatalf("sweep: exit %d, stderr\n%s", code, stderr)
	}
}

// TestScenariosListsEveryPreset: loadgen scenarios lists every preset sim,
// serve and attack take, the defaults (live-small for serve and attack)
// and the cascade among them; each is shown as a file that sim runs by
// path, a cascade's included, as strictly as the preset.
func TestScenariosListsEveryPreset(t *testing.T) {
	ctx := context.Background()
	code, out, _ := runCLI(t, ctx, "scenarios")
	for _, w := range []string{"\nlive-small ", "(the default of serve and attack)", "\nus-east-1-cascade ", "(a cascade of us-east-1, netprop, nlb)",
		"\nus-east-1 ", "(the default of sim, sweep and boundary)", "\nmetastable ", "\nmm1 ", "\nnetprop ", "\nnlb "} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("scenarios: exit %d, no %q in\n%s", code, w, out)
		}
	}
	if defaultLiveScenario != "live-small" || defaultScenario != "us-east-1" {
		t.Fatalf("defaults %q, %q: the listing names them", defaultLiveScenario, defaultScenario)
	}
	dir := t.TempDir()
	for _, name := range []string{"live-small", "us-east-1-cascade"} {
		code, text, _ := runCLI(t, ctx, "scenarios", "show", name)
		if code != 0 {
			t.Fatalf("show %s: exit %d", name, code)
		}
		file := filepath.Join(dir, name+".toml")
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, _, e := runCLI(t, ctx, "sim", "--scenario", file, "--droplets", "1000", "--out", ""); code != 0 {
			t.Errorf("sim --scenario %s: exit %d: %s", file, code, e)
		}
		bad := filepath.Join(dir, "bad-"+name+".toml")
		os.WriteFile(bad, []byte(text+"\nzonez = 1\n"), 0o644)
		code, _, e := runCLI(t, ctx, "sim", "--scenario", bad, "--out", "")
		if code != 2 || !strings.Contains(e, bad) || !strings.Contains(e, "zonez") || strings.Count(e, "\n") != 1 {
			t.Errorf("%s with an unknown key: exit %d, %q", name, code, e)
		}
	}
}

// TestIntervalsClampedAtZero: over two seeds the Student t interval of a
// share or of target-hours can reach below 0, which they cannot: the table
// shows its lower end as 0, marked, and says so under the table; an
// interval that stays above 0 is printed as it is, with no note.
func TestIntervalsClampedAtZero(t *testing.T) {
	run := func(share, lost float64) cascadeRun {
		return cascadeRun{o: cascade.Outcome{NLBRan: true, NLBTotals: nlb.Totals{ConnErrorShare: share, CapacityLostTargetH: lost}}}
	}
	var b strings.Builder
	writeCascadeTables(&b, []string{"wide"}, [][]cascadeRun{{run(0, 100), run(0.02, 110)}}, false)
	out := b.String()
	ci := results.MeanCI([]float64{0, 0.02})
	if !(ci.Lo() < 0) {
		t.Fatalf("the test wants an interval below 0: %v", ci.Lo())
	}
	lost := results.MeanCI([]float64{100, 110})
	if !strings.Contains(out, fmt.Sprintf("0.0100 [0.0000*, %.4f]", ci.Hi())) || !strings.Contains(out, fmt.Sprintf("105.0 [%.1f, %.1f]", lost.Lo(), lost.Hi())) ||
		!strings.Contains(out, clampNote) {
		t.Errorf("share 0 and 0.02, lost 100 and 110 target-h: want the share's lower end 0, marked, the note, and target-hours as they are:\n%s", out)
	}
	b.Reset()
	writeCascadeTables(&b, []string{"narrow"}, [][]cascadeRun{{run(0.01, 100), run(0.011, 101)}}, false)
	if out := b.String(); strings.Contains(out, clampMark+",") || strings.Contains(out, clampNote) {
		t.Errorf("intervals above 0: marked or noted:\n%s", out)
	}
}

// A failover switch before the NLB stage's start is printed as such in the
// milestone table (the model ticks from virtual 0, the stage starts later);
// one after it is printed as a clock only.
func TestSwitchBeforeTheStage(t *testing.T) {
	start := time.Date(2025, 10, 19, 23, 48, 0, 0, time.UTC)
	o := cascade.Outcome{Start: start, NLBStart: sim.Time(5 * time.Hour), Milestones: cascade.Milestones{
		DWFMRecovered: sim.Time(5 * time.Hour), PropUp: -1, PropNormal: -1, NLBErrors: -1, NLBRestored: -1, EventEnd: -1,
		PropSlow: -1, NLBRemovals: -1, ConnRestored: -1, FailoverOff: sim.Time(4 * time.Hour), FailoverOn: sim.Time(6 * time.Hour)}}
	var b strings.Builder
	printCascade(&b, o)
	var off, on string
	for _, l := range strings.Split(b.String(), "\n") {
		switch {
		case strings.Contains(l, "failover_off_clock"):
			off = l
		case strings.Contains(l, "failover_on_clock"):
			on = l
		}
	}
	if !strings.Contains(off, o.Clock(sim.Time(4*time.Hour))+" (before the stage)") || strings.Contains(on, "before the stage") || !strings.Contains(on, o.Clock(sim.Time(6*time.Hour))) {
		t.Fatalf("switch off before the stage, on after it:\n%s\n%s", off, on)
	}
}

// TestNLBRecoveryLeavesOutRunsWithNoLaunch: a run whose NLB stage ran with
// nothing launched to it has nothing to recover from (summary.csv's
// nlb_recovery_s is empty), so the measures table does not count it among
// the runs that did not recover: of a run that recovered, one with no
// launch and one whose NLB did not run, "1/2 recovered (1 with no launch)"
// (it said 1/3); with every run that had launches recovered, the interval.
func TestNLBRecoveryLeavesOutRunsWithNoLaunch(t *testing.T) {
	run := func(ran bool, targets int, rec time.Duration) cascadeRun {
		o := cascade.Outcome{NLBRan: ran, Targets: targets}
		o.NLB.Recovered, o.NLB.Recovery = rec > 0, sim.Time(rec)
		return cascadeRun{o: o}
	}
	row := stageMeasures("p", []cascadeRun{run(true, 10, time.Hour), run(true, 0, 0), run(false, 0, 0)})
	if !slices.Contains(row, "1/2 recovered (1 with no launch)") {
		t.Errorf("recovered, no launch, did not run: %q", row)
	}
	row = stageMeasures("p", []cascadeRun{run(true, 10, time.Hour), run(true, 12, 2*time.Hour), run(true, 0, 0)})
	if slices.ContainsFunc(row, func(c string) bool { return strings.Contains(c, "recovered") }) || !slices.ContainsFunc(row, func(c string) bool { return strings.HasPrefix(c, "1h30m [") }) {
		t.Errorf("both runs with launches recovered: want the interval of their recoveries: %q", row)
	}
}
