package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/internal/docstest"
)

// sensitivity is every ASSUMED parameter of the us-east-1 preset at ×0.5 and
// ×1.5, as `loadgen sweep --vary` takes it (the README's "Sensitivity"
// table runs these at 10⁵ droplets). The lease TTL spread (max − min, 2h31m)
// is varied through its upper end: min + spread × 0.5 or × 1.5; the service
// time through its mean. The operator's throttle rate is a policy
// parameter, not a scenario key: see operatorRates.
var sensitivity = []Vary{
	{"dwfm.check_interval", []string{"90s", "270s"}},
	{"dwfm.lease_ttl_max", []string{"1h20m30s", "3h51m30s"}},
	{"dwfm.establish_timeout", []string{"15m", "45m"}},
	{"dwfm.droplets_per_host", []string{"500", "1500"}},
	{"service.workers", []string{"2", "6"}},
	{"service.service_time", []string{"lognormal(7.5s,0.25)", "lognormal(22.5s,0.25)"}},
	{"service.growth_per_queued", []string{"25ms", "75ms"}},
	{"service.max_service_time", []string{"5m", "15m"}},
}

// operatorRates are the operator throttle's rate (ASSUMED 0.8x, calibrated)
// at ×0.5 and ×1.5.
var operatorRates = []string{"0.4x", "1.2x"}

// TestUSEast1SensitivityToAssumptions (prediction, at equal start times): for
// every assumed parameter at ×0.5 and ×1.5, `none` never recovers, and
// queue-size recovers before the operators' intervention would if it began
// at the same moment (operator:at=02:25, when DNS returns). It logs the
// range of the operators' own recovery clock (at 04:14), the calibrated
// figure, across the cases.
func TestUSEast1SensitivityToAssumptions(t *testing.T) {
	type tcase struct {
		label string
		runs  []Run // none, queue-size, operator:at=02:25, operator
	}
	var cases []tcase
	base := usEast1(t)
	const droplets = 10_000
	add := func(label string, pt Point, opRate string) {
		op := "operator"
		if opRate != "" {
			op += ":rate=" + opRate
		}
		opEqual := "operator:at=02:25"
		if opRate != "" {
			opEqual += ",rate=" + opRate
		}
		c := tcase{label: label}
		for _, p := range []string{"none", "queue-size", opEqual, op} {
			c.runs = append(c.runs, Run{Scenario: pt.Scenario, Policy: p, Seed: 1, Droplets: droplets})
		}
		cases = append(cases, c)
	}
	for _, v := range sensitivity {
		pts, err := Grid(base, []Vary{v})
		if err != nil {
			t.Fatal(err)
		}
		for _, pt := range pts {
			add(pt.Label, pt, "")
		}
	}
	for _, r := range operatorRates {
		add("operator rate="+r, Point{Scenario: base}, r)
	}
	var runs []Run
	for _, c := range cases {
		runs = append(runs, c.runs...)
	}
	outs, err := Sweep(runs, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lo, hi time.Time
	var loCase, hiCase string
	for i, c := range cases {
		none, qs, opEqual, op := outs[4*i].Summary, outs[4*i+1].Summary, outs[4*i+2].Summary, outs[4*i+3].Summary
		if none.Recovered {
			t.Errorf("%s: none recovered after %s; the collapse should not depend on this assumption", c.label, time.Duration(none.RecoveryS*1e9).Round(time.Second))
		}
		switch {
		case !qs.Recovered:
			t.Errorf("%s: queue-size never recovered", c.label)
		case opEqual.Recovered && qs.RecoveryS >= opEqual.RecoveryS:
			t.Errorf("%s: queue-size recovered after %.0f s, %s after %.0f s: want queue-size first", c.label, qs.RecoveryS, opEqual.Policy, opEqual.RecoveryS)
		}
		clock := "never"
		if op.Recovered {
			clock = op.RecoveredClock.In(pdt).Format("15:04:05")
			if lo.IsZero() || op.RecoveredClock.Before(lo) {
				lo, loCase = op.RecoveredClock, c.label
			}
			if hi.IsZero() || op.RecoveredClock.After(hi) {
				hi, hiCase = op.RecoveredClock, c.label
			}
		}
		t.Logf("%-48s none %-5v  queue-size %.3f × ideal (%5.0f s)  %s %5.0f s  operator done %s", c.label, none.Recovered, qs.Ratio(), qs.RecoveryS,
			strings.TrimPrefix(opEqual.Policy, "operator:"), opEqual.RecoveryS, clock)
	}
	t.Logf("operator (04:14) recovered from %s (%s) to %s (%s)", lo.In(pdt).Format("15:04:05"), loCase, hi.In(pdt).Format("15:04:05"), hiCase)
}

// TestREADMESensitivityCommandMatchesTheTest: the docs' Sensitivity
// command varies exactly the cases this test asserts.
func TestREADMESensitivityCommandMatchesTheTest(t *testing.T) {
	_, text := docstest.Section(t, "## Sensitivity")
	for _, v := range sensitivity {
		if arg := v.Key + "=" + strings.Join(v.Values, ","); !strings.Contains(text, arg) {
			t.Errorf("README's Sensitivity command lacks --vary %s", arg)
		}
	}
	for _, r := range operatorRates {
		if !strings.Contains(text, "operator:at=02:25,rate="+r) || !strings.Contains(text, "operator:rate="+r) {
			t.Errorf("README's Sensitivity command lacks the operator at rate %s", r)
		}
	}
	if n := strings.Count(text, "--vary \"$v\""); n != 1 {
		t.Errorf("README's Sensitivity command: %d loops over --vary, want 1", n)
	}
}
