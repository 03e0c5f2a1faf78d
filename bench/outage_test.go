package bench

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/results"
)

// The us-east-1 tests are of three kinds, and each says which:
//
//   - Calibration check: the figure an assumed parameter was fitted to. The
//     operators' 05:28 is one (the throttle rate, 0.8× capacity, and the
//     capacity itself, 4 workers × 15 s, were chosen against the published
//     04:14 → 05:28 window), and so is the collapse without intervention (the
//     backlog growth was chosen to reproduce the published "no forward
//     progress"). Passing shows the fit holds, not that the model predicts.
//   - Prediction: a figure no parameter was fitted to. Tests of predictions
//     that compare policies compare them at equal start times (the operators'
//     intervention moved to 02:25, when DNS returns, with operator:at=02:25),
//     since a policy active from 02:25 beats one starting at 04:14 by its head
//     start alone.
//   - Model check: a property of the model (scale, determinism), not of the
//     event.
//
// TestUSEast1SensitivityToAssumptions (sensitivity_test.go) reruns the
// predictions with every assumed parameter at ×0.5 and ×1.5.

// testDroplets keeps the us-east-1 tests fast under -race: 20 DWFM hosts of
// 1,000 droplets, the same per-host dynamics as the 10⁶-droplet default.
const testDroplets = 20_000

func usEast1(t testing.TB) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func outcome(t testing.TB, policy string, droplets int, seed uint64) Outcome {
	t.Helper()
	o, err := Run{Scenario: usEast1(t), Policy: policy, Seed: seed, Droplets: droplets}.Execute()
	if err != nil {
		t.Fatal(err)
	}
	if !o.Summary.Complete {
		t.Fatalf("%s: run incomplete", policy)
	}
	return o
}

// pdt is the incident's local zone.
var pdt = time.FixedZone("PDT", -7*3600)

// TestUSEast1WithoutInterventionNeverRecovers is a calibration check
// (qualitative): the backlog growth was chosen so that DWFM makes no forward
// progress on its own, as published. That it survives ±50% on every assumed
// parameter is checked by TestUSEast1SensitivityToAssumptions.
func TestUSEast1WithoutInterventionNeverRecovers(t *testing.T) {
	o := outcome(t, "none", testDroplets, 1)
	s := o.Summary
	if s.Recovered {
		t.Fatalf("policy none recovered at %v; the published DWFM did not recover by itself", s.RecoveredClock)
	}
	// Collapse, not slowness: by the horizon most of the fleet is still
	// unleased and nearly all work is wasted on attempts already given up.
	if s.WastedFraction < 0.9 || s.Amplification < 5 {
		t.Errorf("wasted %.2f, amplification %.1f: want a congestive collapse (>0.9, >5)", s.WastedFraction, s.Amplification)
	}
}

// TestUSEast1OperatorsRecoverNear0528 is a calibration check: the
// operator's throttle rate (and the hosts' capacity) were fitted to the
// published 05:28, so this shows the fit, not a prediction.
func TestUSEast1OperatorsRecoverNear0528(t *testing.T) {
	s := outcome(t, "operator", testDroplets, 1).Summary
	want := time.Date(2025, 10, 20, 5, 28, 0, 0, pdt)
	if !s.Recovered {
		t.Fatal("operator: never recovered")
	}
	if d := s.RecoveredClock.Sub(want); d < -15*time.Minute || d > 15*time.Minute {
		t.Fatalf("operator: every lease back at %s, want 05:28 ±15 min (off by %v)", s.RecoveredClock.In(pdt).Format("15:04:05"), d)
	}
}

// TestUSEast1QueueSizeRecoversNearTheBoundAndBeforeOperators is a
// prediction, at equal start times: queue-size acts from 02:25, so it is
// compared with the operators' intervention moved to 02:25
// (operator:at=02:25); against the real 04:14 start it would win by its
// 109-minute head start alone.
func TestUSEast1QueueSizeRecoversNearTheBoundAndBeforeOperators(t *testing.T) {
	qs := outcome(t, "queue-size", testDroplets, 1).Summary
	op := outcome(t, "operator:at=02:25", testDroplets, 1).Summary
	if !qs.Recovered || qs.Ratio() > 1.25 {
		t.Fatalf("queue-size: recovered=%v ratio %.3f (recovery %.0f s, ideal %.0f s), want ratio <= 1.25", qs.Recovered, qs.Ratio(), qs.RecoveryS, qs.IdealS)
	}
	if !op.Recovered {
		t.Fatal("operator:at=02:25 never recovered")
	}
	if qs.RecoveryS >= op.RecoveryS {
		t.Fatalf("queue-size recovered after %.0f s, operator:at=02:25 after %.0f s: want queue-size first at equal start", qs.RecoveryS, op.RecoveryS)
	}
}

// TestUSEast1RecoveryDoesNotDependOnScale (model check): hosts scale with
// droplets, so a 10× larger fleet recovers in the same time (within 5%).
func TestUSEast1RecoveryDoesNotDependOnScale(t *testing.T) {
	small := outcome(t, "queue-size", 10_000, 1).Summary
	large := outcome(t, "queue-size", 100_000, 1).Summary
	if rel := math.Abs(large.RecoveryS-small.RecoveryS) / small.RecoveryS; rel > 0.05 {
		t.Fatalf("recovery %.0f s at 10⁴ droplets, %.0f s at 10⁵: %.1f%% apart, want <= 5%%", small.RecoveryS, large.RecoveryS, rel*100)
	}
}

// TestRunsAreDeterministic (model check): the same seed gives byte-identical time series and
// summaries (but for wall_s); another seed gives different rows.
func TestRunsAreDeterministic(t *testing.T) {
	csv := func(seed uint64) (ts, sum []byte) {
		var b bytes.Buffer
		p, err := Run{Scenario: usEast1(t), Policy: "queue-size", Seed: seed, Droplets: 5_000}.Prepare()
		if err != nil {
			t.Fatal(err)
		}
		w, err := results.NewTimeSeriesWriter(&b)
		if err != nil {
			t.Fatal(err)
		}
		p.run.Observe = func(s model.Sample) {
			if err := w.Write(p.Row(s)); err != nil {
				t.Fatal(err)
			}
		}
		o, err := p.Execute()
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		o.Summary.WallS = 0
		var sb bytes.Buffer
		if err := results.WriteSummaries(&sb, o.Summary); err != nil {
			t.Fatal(err)
		}
		return b.Bytes(), sb.Bytes()
	}
	ts1, s1 := csv(1)
	ts2, s2 := csv(1)
	ts3, _ := csv(2)
	if !bytes.Equal(ts1, ts2) || !bytes.Equal(s1, s2) {
		t.Fatal("seed 1 twice gave different CSVs")
	}
	if bytes.Equal(ts1, ts3) {
		t.Fatal("seeds 1 and 2 gave identical time series")
	}
}

// TestGenericPresetsRun (model check): the metastable preset collapses
// without a control and recovers under queue-size.
func TestGenericPresetsRun(t *testing.T) {
	sc, err := scenario.Load("metastable")
	if err != nil {
		t.Fatal(err)
	}
	o, err := Run{Scenario: sc, Policy: "none", Seed: 1}.Execute()
	if err != nil {
		t.Fatal(err)
	}
	if o.Summary.Recovered || o.Summary.Droplets != -1 {
		t.Fatalf("metastable under none: recovered=%v droplets=%d, want collapsed and no droplet count", o.Summary.Recovered, o.Summary.Droplets)
	}
	// The announced mitigation keeps the queue short enough to absorb the spike.
	o, err = Run{Scenario: sc, Policy: "queue-size", Seed: 1}.Execute()
	if err != nil {
		t.Fatal(err)
	}
	if !o.Summary.Recovered {
		t.Fatal("metastable under queue-size did not recover")
	}
}

// TestEveryPolicyRunsOnUSEast1 (predictions, every policy from 02:25): each
// policy of the sweep runs to the horizon at a small scale, and the ones that
// keep the hosts' queues short recover near the bound (the README's table
// shows them all, over 5 seeds).
func TestEveryPolicyRunsOnUSEast1(t *testing.T) {
	runs := []Run{}
	for _, p := range Applicable(usEast1(t), AllPolicies()) {
		runs = append(runs, Run{Scenario: usEast1(t), Policy: p, Seed: 1, Droplets: 3_000})
	}
	outs, err := Sweep(runs, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		s := o.Summary
		if !s.Complete || s.Events == 0 {
			t.Errorf("%s: complete=%v events=%d", s.Policy, s.Complete, s.Events)
		}
		switch s.Policy {
		case "queue-size", "vegas", "bounded":
			if !s.Recovered || s.Ratio() > 1.25 {
				t.Errorf("%s: recovered=%v ratio %.3f, want <= 1.25", s.Policy, s.Recovered, s.Ratio())
			}
			if s.Policy == "bounded" && s.QueueDrops <= 0 {
				t.Errorf("bounded refused %d attempts; want > 0", s.QueueDrops)
			}
		case "none":
			if s.Recovered {
				t.Errorf("none recovered; the collapse should persist")
			}
			if s.AdmitRefusals != -1 || s.ClientRefusals != -1 || s.RetryRefusals != -1 || s.QueueDrops != -1 {
				t.Errorf("none: refusal counts %d, %d, %d, %d; want all -1 (no control in any role)", s.AdmitRefusals, s.ClientRefusals, s.RetryRefusals, s.QueueDrops)
			}
		case "retry-budget":
			// Its floor of 10 retries/s per host is far above a host's
			// retry rate here (1,000 droplets retrying every 30 min), so
			// it never refuses: its outcome is none's, and no finding.
			if s.RetryRefusals != 0 {
				t.Errorf("retry-budget refused %d retries on us-east-1; want 0 (it never acts there)", s.RetryRefusals)
			}
		case "aws-quota", "velocity":
			if s.RetryRefusals <= 0 {
				t.Errorf("%s refused %d retries; want > 0", s.Policy, s.RetryRefusals)
			}
		case "sre-throttle", "circuit-breaker":
			if s.ClientRefusals <= 0 {
				t.Errorf("%s refused %d attempts; want > 0", s.Policy, s.ClientRefusals)
			}
		case "codel", "fb-codel", "deadline-drop":
			if s.QueueDrops <= 0 {
				t.Errorf("%s dropped %d attempts; want > 0", s.Policy, s.QueueDrops)
			}
		}
	}
}

// TestRetryBudgetActsWhereRetriesOutrunIt: on metastable, clients retry at
// once after a 100 ms timeout, far above the budget's 10/s floor plus 20% of
// requests, so the budget refuses retries and the run differs from none's.
func TestRetryBudgetActsWhereRetriesOutrunIt(t *testing.T) {
	sc, err := scenario.Load("metastable")
	if err != nil {
		t.Fatal(err)
	}
	none, err := Run{Scenario: sc, Policy: "none", Seed: 1}.Execute()
	if err != nil {
		t.Fatal(err)
	}
	budget, err := Run{Scenario: sc, Policy: "retry-budget", Seed: 1}.Execute()
	if err != nil {
		t.Fatal(err)
	}
	if none.Summary.RetryRefusals != -1 {
		t.Errorf("none: retry refusals %d, want -1 (no retry gate)", none.Summary.RetryRefusals)
	}
	if budget.Summary.RetryRefusals <= 0 {
		t.Fatalf("retry-budget refused %d retries on metastable; want > 0", budget.Summary.RetryRefusals)
	}
	if budget.Result.Totals == none.Result.Totals {
		t.Errorf("retry-budget refused %d retries but its totals equal none's: %+v", budget.Summary.RetryRefusals, none.Result.Totals)
	}
}
