package bench

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/results"
)

// broken is a model whose result breaks conservation: one attempt too many.
type broken struct{}

func (broken) Run(o model.Options) (model.Result, error) {
	return model.Result{End: o.Horizon, Ideal: -1, Amplification: math.NaN(), Totals: model.Counts{Attempts: 1}}, nil
}

// A run that breaks an invariant is no result: Execute returns the violation
// naming the run, and the summary says incomplete.
func TestExecuteReportsAViolation(t *testing.T) {
	sc, err := scenario.Load("metastable")
	if err != nil {
		t.Fatal(err)
	}
	p := &Prepared{run: Run{Scenario: sc, Policy: "codel", Seed: 7}, model: broken{}, sc: *sc}
	o, err := p.Execute()
	var v *model.Violation
	if !errors.As(err, &v) || v.Invariant != model.InvariantConserved {
		t.Fatalf("Execute: %v, want the conservation violation", err)
	}
	if o.Violation == nil || o.Summary.Complete || o.Summary.Scenario != "metastable" {
		t.Fatalf("outcome: violation %v, complete %t, scenario %q; want the run's row, incomplete", o.Violation, o.Summary.Complete, o.Summary.Scenario)
	}
	if msg := err.Error(); !strings.Contains(msg, "metastable/codel/seed 7") {
		t.Fatalf("%q does not name the run", msg)
	}
}

func TestCheckIdealsFindsAPolicyWithItsOwnBound(t *testing.T) {
	nan := math.NaN()
	row := func(policy string, seed uint64, ideal float64) results.Summary {
		return results.Summary{Scenario: "s", Policy: policy, Vary: "k=1", Droplets: 10, Seed: seed, IdealS: ideal}
	}
	ok := []results.Summary{row("a", 1, 5), row("b", 1, 5), row("a", 2, 6), row("b", 2, 6), row("a", 3, nan), row("b", 3, nan)}
	if err := CheckIdeals(ok); err != nil {
		t.Fatalf("equal ideals per seed: %v", err)
	}
	bad := append(ok, row("c", 2, 6.001))
	var v *model.Violation
	if err := CheckIdeals(bad); !errors.As(err, &v) || v.Invariant != InvariantSameIdeal || !strings.Contains(err.Error(), "seed 2") {
		t.Fatalf("policy c's own ideal at seed 2: %v", err)
	}
	if err := CheckIdeals(append(ok, row("c", 3, 1))); err == nil {
		t.Fatal("an ideal where the others have none passed")
	}
}
