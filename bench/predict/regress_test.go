package predict

import (
	"fmt"
	"math"
	"testing"

	"github.com/aftershock/aftershock/bench/scenario"
)

// metastableWith is the metastable preset with its clients on schedule (a
// clients.schedule value) instead of its constant 700/s.
func metastableWith(t testing.TB, schedule string, kv ...string) *scenario.Scenario {
	t.Helper()
	text := fmt.Sprintf(`name = "metastable-schedule"
horizon = "60s"
interval = "1s"
[clients]
schedule = %q
timeout = "100ms"
max_attempts = 3
[service]
workers = 10
service_time = "exp(10ms)"
[[trigger]]
kind = "load-spike"
at = "10s"
duration = "1s"
factor = 2
`, schedule)
	sc, err := scenario.Parse("metastable-schedule", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = withAll(sc, kv...); err != nil {
		t.Fatal(err)
	}
	return sc
}

// A change of the clients' schedule after the trigger decides the verdict:
// the run may not call the system settled before a whole check interval has
// run under the final inputs, and the fixed points are those of the final
// inputs. The simulator's figures (5 seeds) are the red-team's.
func TestScheduleChangeAfterTrigger(t *testing.T) {
	for _, c := range []struct {
		schedule string
		recovers bool
		sim      float64 // the simulator's mean recovery (s), when it recovers
		regime   string
	}{
		// Back to 700/s at 11 s, then 1,500/s from 30 s: past capacity (1,000/s). Simulator 0/5.
		{"0s=700, 11s=100, 30s=1500", false, 0, "collapsed"},
		// Collapsed by the spike; the load falls to 100/s at 20 s and the queue drains. Simulator 5/5, 26.94 s.
		{"0s=700, 20s=100", true, 26.94, "healthy"},
		// No clients from 11 s to 30 s: the station empties; at 30 s it is healthy again. Simulator 5/5, 19.02 s.
		{"0s=700, 11s=0, 30s=700", true, 19.02, "bistable"},
	} {
		pr, err := Predict(metastableWith(t, c.schedule), "none", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := pr.Verdict == Recovers; got != c.recovers {
			t.Errorf("%q: predicted %v, the simulator says recovers=%v", c.schedule, pr.Verdict, c.recovers)
			continue
		}
		if c.recovers && math.Abs(pr.Recovery.Seconds()/c.sim-1) > 0.15 {
			t.Errorf("%q: predicted recovery %v, the simulator's mean %.2fs", c.schedule, pr.Recovery, c.sim)
		}
		if r := pr.Fixed.Regime(); r != c.regime {
			t.Errorf("%q: fixed points %v, want the final inputs' regime %s", c.schedule, pr.Fixed, c.regime)
		}
	}
}

// Clients that stop or trickle after the trigger leave every later window
// silent (fewer than model.MinEvidence arrivals): the simulator's verdict
// is undetermined, and so is the prediction's, not "stays collapsed".
func TestTooFewArrivalsIsUndetermined(t *testing.T) {
	for _, schedule := range []string{"0s=700, 11s=0", "0s=700, 11s=1"} {
		pr, err := Predict(metastableWith(t, schedule), "none", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if pr.Verdict != Undetermined {
			t.Errorf("%q: predicted %v, want undetermined (the simulator's: too few arrivals)", schedule, pr.Verdict)
		}
	}
	// Enough arrivals again later: judged as before.
	pr, _ := Predict(metastableWith(t, "0s=700, 11s=0, 30s=700"), "none", Options{})
	if pr.Verdict != Recovers {
		t.Errorf("arrivals resume at 30 s: predicted %v, want recovers", pr.Verdict)
	}
}
