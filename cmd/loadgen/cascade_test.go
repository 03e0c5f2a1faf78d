package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/sim"
)

// TestSimCascade: the cascade preset runs its three stages, prints each
// one's milestones, and writes timeseries.csv (DWFM's columns and the
// stages') and summary.csv (the milestones, each stage's ideal and ratio)
// with no .partial left (package cascade tests that they are the same for
// the same seed).
func TestSimCascade(t *testing.T) {
	dir := t.TempDir()
	args := []string{"sim", "--scenario", "us-east-1-cascade", "--policy", "operator", "--policy", "nlb=velocity:cap=10%,window=5m", "--droplets", "5e3", "--seed", "2", "--out", dir}
	code, out, errs := runCLI(t, context.Background(), args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"dwfm_recovered_clock", "prop_normal_clock", "nlb_restored_clock", "event_end_clock", "held back: ", "policies operator (dwfm=operator nlb=velocity:cap=10%,window=5m)",
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
	if len(sum) != 2 || !slices.Equal(sum[0], cascade.SummaryHeader) {
		t.Fatalf("summary.csv: %v", sum)
	}
	row := map[string]string{}
	for i, k := range sum[0] {
		row[k] = sum[1][i]
	}
	for _, k := range []string{"dwfm_recovered_clock", "prop_normal_clock", "nlb_restored_clock", "event_end_clock", "dwfm_ideal_s", "dwfm_ratio", "prop_ideal_s"} {
		if row[k] == "" {
			t.Errorf("summary.csv: %s empty in %v", k, row)
		}
	}
	if row["nlb_ideal_s"] != "" || strings.HasPrefix(row["conn_error_share"], "-") || row["droplets"] != "5000" || row["seed"] != "2" {
		t.Errorf("summary.csv: nlb_ideal_s %q (no ideal), droplets %q, seed %q", row["nlb_ideal_s"], row["droplets"], row["seed"])
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.partial")); len(m) > 0 {
		t.Errorf("left %v", m)
	}
}

// TestSweepCascade: a cascade sweep runs every entry under every seed,
// prints the milestone table (a row per milestone, a column per entry) and
// the measures, and writes sweep.csv with the cascade summary's columns, a
// row per run in order.
func TestSweepCascade(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI(t, context.Background(), "sweep", "--scenario", "us-east-1-cascade", "--policies", "operator;dwfm=operator nlb=velocity:cap=2%,window=5m",
		"--seeds", "1", "--droplets", "5e3", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(out, "e-18") {
		t.Errorf("a rounding error printed as a share:\n%s", out)
	}
	for _, w := range []string{"operator (dwfm=operator nlb=failover-off) (seeds 1–1)", "dwfm=operator nlb=velocity:cap=2%,window=5m (seeds 1–1)",
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
	if len(recs) != 3 || !slices.Equal(recs[0], cascade.SummaryHeader) {
		t.Fatalf("sweep.csv: %d lines, header %v", len(recs), recs[0])
	}
	for i, want := range [][2]string{{"operator (dwfm=operator nlb=failover-off)", "1"}, {"dwfm=operator nlb=velocity:cap=2%,window=5m", "1"}} {
		if r := recs[i+1]; r[1] != want[0] || r[2] != want[1] || r[3] != "5000" {
			t.Errorf("row %d: %v, want policy %s seed %s droplets 5000", i+1, r[:4], want[0], want[1])
		}
	}
}

// The NLB impact window reads "none" when no connection error rose above
// 1%, not a window from nowhere; an end that never came reads "-".
func TestNLBImpactWindow(t *testing.T) {
	start := time.Date(2025, 10, 19, 23, 48, 0, 0, time.UTC)
	o := cascade.Outcome{Start: start, Milestones: cascade.Milestones{NLBErrors: -1, FailoverOn: sim.Time(14*time.Hour + 21*time.Minute)}}
	if got := nlbImpact(o); got != "none" {
		t.Errorf("no errors: %q", got)
	}
	o.Milestones.NLBErrors, o.Milestones.FailoverOn = sim.Time(6*time.Hour+39*time.Minute), -1
	if got := nlbImpact(o); got != "06:27–-" {
		t.Errorf("errors from 06:27, failover never back on: %q", got)
	}
}
