package bench

import (
	"math"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
)

// TestStagePresetsRecover: the netprop and nlb presets have no [trigger]
// (the surge and the launches are theirs), yet their recovery is defined
// and reached under no policy (on smaller inputs, for -race).
func TestStagePresetsRecover(t *testing.T) {
	for _, name := range []string{"netprop", "nlb"} {
		sc, err := scenario.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if sc.NetProp.Enabled() {
			sc.NetProp.Surge, sc.NetProp.SurgeOver = min(sc.NetProp.Surge, 5000), model.Duration(5*time.Minute)
		} else {
			sc.NLB.TargetsPerZone, sc.NLB.Launches, sc.NLB.LaunchOver = min(sc.NLB.TargetsPerZone, 20), min(sc.NLB.Launches, 60), min(sc.NLB.LaunchOver, model.Duration(30*time.Minute))
			sc.NLB.FailoverOffAt, sc.NLB.FailoverOnAt = 0, 0
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
