package bench

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
)

// liveHeap is the live heap after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestEstimateBoundsWhatARunTakes: for the presets' models, under a policy
// that collapses and one that recovers, the estimate is at least the events
// the run fired and the live heap it held at its peak (sampled after a
// collection every few intervals).
func TestEstimateBoundsWhatARunTakes(t *testing.T) {
	for _, c := range []struct {
		preset, policy string
		droplets       int
	}{
		{"us-east-1", "none", 20_000},
		{"us-east-1", "queue-size", 20_000},
		{"metastable", "none", 0},
		{"mm1", "none", 0},
	} {
		sc, err := scenario.Load(c.preset)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		var peak uint64
		base := liveHeap()
		observe := func(model.Sample) {
			if n++; n%25 == 0 {
				peak = max(peak, liveHeap()-min(base, liveHeap()))
			}
		}
		r := Run{Scenario: sc, Policy: c.policy, Seed: 1, Droplets: c.droplets, Observe: observe}
		e, err := r.Estimate()
		if err != nil {
			t.Fatal(err)
		}
		o, err := r.Execute()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %s: estimate %.3g events, %s; ran %d events, peak live heap %s",
			c.preset, c.policy, e.Events, Bytes(e.Bytes), o.Result.Events, Bytes(float64(peak)))
		if float64(o.Result.Events) > e.Events {
			t.Errorf("%s %s: %d events, estimate %.0f", c.preset, c.policy, o.Result.Events, e.Events)
		}
		if float64(peak) > e.Bytes {
			t.Errorf("%s %s: peak live heap %d bytes, estimate %.0f", c.preset, c.policy, peak, e.Bytes)
		}
	}
}

// TestRunawaysAreRefusedBeforeTheyStart: runs whose estimate exceeds the
// default limits fail in Prepare with a *TooLargeError naming the flag, and
// lifting the limit lets the same run past the check.
func TestRunawaysAreRefusedBeforeTheyStart(t *testing.T) {
	long := func(preset, horizon string) *scenario.Scenario {
		sc, err := scenario.Parse("long", []byte(replaceHorizon(t, preset, horizon)))
		if err != nil {
			t.Fatal(err)
		}
		return sc
	}
	for _, c := range []struct {
		name string
		run  Run
		what string
	}{
		{"a year of 10⁶ droplets", Run{Scenario: long("us-east-1", "8000h"), Droplets: 1_000_000}, "events"},
		{"10⁷ droplets in 1 GiB", Run{Scenario: long("us-east-1", "14h32m"), Droplets: 10_000_000, Limits: Limits{Bytes: 1 << 30}}, "memory"},
		{"a year of mm1", Run{Scenario: long("mm1", "8000h")}, "events"},
		{"10 ms rows over 14h32m", Run{Scenario: long("us-east-1", "14h32m"), Droplets: 1000, Interval: 10e6, WritesRows: true}, "rows"},
	} {
		_, err := c.run.Prepare()
		var tl *TooLargeError
		if !errors.As(err, &tl) || tl.What != c.what {
			t.Fatalf("%s: Prepare: %v, want too much %s", c.name, err, c.what)
		}
		t.Logf("%s: %v", c.name, err)
		c.run.Limits = Limits{Events: 1e300, Bytes: 1e300, Rows: 1e300}
		if _, err := c.run.Estimate(); err != nil {
			t.Fatalf("%s: Estimate: %v", c.name, err)
		}
		if err := c.run.Limits.Check(mustEstimate(t, c.run)); err != nil {
			t.Fatalf("%s: lifted limits still refuse: %v", c.name, err)
		}
	}
}

func mustEstimate(t *testing.T, r Run) Estimate {
	e, err := r.Estimate()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// replaceHorizon is the preset's text with another horizon.
func replaceHorizon(t *testing.T, preset, horizon string) string {
	b, err := scenario.PresetText(preset)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "horizon ") {
			lines[i] = "horizon = \"" + horizon + "\""
			return strings.Join(lines, "\n")
		}
	}
	t.Fatalf("preset %s has no horizon line", preset)
	return ""
}
