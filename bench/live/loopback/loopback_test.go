package loopback_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/live/loopback"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func realtime(t *testing.T, spec string, seed uint64) *live.Setup {
	t.Helper()
	sc, err := live.LoadScenario(live.RealtimeName)
	if err != nil {
		t.Fatal(err)
	}
	set, err := live.Resolve(sc, spec, 0, seed)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestRealtimeNoneCollapsesQueueSizeRecovers runs live-realtime in real
// time (scale 1) on loopback, in this process: under none the surge after
// the 5 s dependency outage collapses the hosts (nearly every attempt
// times out, while the abandoned ones are still worked), and it is still
// collapsed 23 s after the outage, where the test stops it (the preset's
// horizon is 90 s; `loadgen attack --scenario live-realtime --time-scale 1`
// runs it whole); under queue-size every droplet holds a lease again within
// seconds. Bounded: about 40 s of wall time, the preset's 600 droplets.
func TestRealtimeNoneCollapsesQueueSizeRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("40 s of wall time")
	}
	none, err := loopback.Run(context.Background(), loopback.Config{Setup: realtime(t, "none", 1), Scale: 1, Until: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("none: %+v", none)
	if none.Recovered || none.Leased > none.Droplets/2 || none.TimedOut < 10*none.OK {
		t.Errorf("none: recovered %v, %d of %d leased, %d attempts timed out for %d leases: want a collapse",
			none.Recovered, none.Leased, none.Droplets, none.TimedOut, none.OK)
	}
	qs, err := loopback.Run(context.Background(), loopback.Config{Setup: realtime(t, "queue-size", 1), Scale: 1, StopWhenLeased: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("queue-size: %+v", qs)
	if !qs.Recovered || qs.Recovery > 20*time.Second || qs.TimedOut > qs.Attempts/10 {
		t.Errorf("queue-size: recovered %v in %v, %d of %d attempts timed out: want a recovery within 20 s", qs.Recovered, qs.Recovery, qs.TimedOut, qs.Attempts)
	}
}
