package bench

import (
	"testing"

	"github.com/aftershock/aftershock/bench/scenario"
)

// TestModelsTablePicksEachPresetsModel: the runner's table, not an if,
// chooses the model, and every registration is complete.
func TestModelsTablePicksEachPresetsModel(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Models() {
		if r.check() != nil || seen[r.Name] {
			t.Fatalf("registration %q incomplete or repeated", r.Name)
		}
		seen[r.Name] = true
	}
	for preset, want := range map[string]string{"us-east-1": "dwfm", "metastable": "service", "mm1": "service", "netprop": "netprop", "nlb": "nlb", "us-east-1-cascade": "cascade", "live-small": "dwfm"} {
		sc, err := scenario.Load(preset)
		if err != nil {
			t.Fatal(err)
		}
		if got := registration(sc).Name; got != want {
			t.Errorf("%s runs on model %q, want %q", preset, got, want)
		}
	}
}
