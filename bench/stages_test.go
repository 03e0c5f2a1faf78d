package bench

import (
	"math"
	"testing"

	"github.com/aftershock/aftershock/bench/scenario"
)

// TestStagePresetsRecover: the netprop and nlb presets have no [trigger]
// (the surge and the launches are theirs), yet their recovery is defined
// and reached under no policy.
func TestStagePresetsRecover(t *testing.T) {
	for _, name := range []string{"netprop", "nlb"} {
		sc, err := scenario.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		o, err := Run{Scenario: sc, Seed: 1}.Execute()
		if err != nil {
			t.Fatal(err)
		}
		if s := o.Summary; s.Undefined || !s.Recovered || math.IsNaN(s.RecoveryS) || s.RecoveryS <= 0 {
			t.Errorf("%s: undefined %v, recovered %v in %v s", name, s.Undefined, s.Recovered, s.RecoveryS)
		}
	}
}
