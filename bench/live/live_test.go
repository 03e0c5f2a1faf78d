package live_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/scenario"
)

// TestSurgeShardsPartition: shards split the surge without overlap or loss,
// and in us-east-1 every lease lapses in the outage and asks after it.
func TestSurgeShardsPartition(t *testing.T) {
	sc, err := scenario.Load("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	set, err := live.Resolve(sc, "none", 3000, 1)
	if err != nil {
		t.Fatal(err)
	}
	all := set.Surge(live.Shard{})
	if len(all.Droplet) != 3000 {
		t.Fatalf("surge of %d droplets, want all 3000", len(all.Droplet))
	}
	end, P := set.TriggerEnd(), time.Duration(set.DWFM.CheckInterval)
	if !slices.IsSorted(all.At) || all.At[0] < end || all.At[len(all.At)-1] >= end+P {
		t.Errorf("asks from %v to %v, want sorted within one check interval after %v", all.At[0], all.At[len(all.At)-1], end)
	}
	if all.Lapsed(end) != 3000 || all.Lapsed(0) != 0 {
		t.Errorf("lapsed by the end %d, at 0 %d", all.Lapsed(end), all.Lapsed(0))
	}
	var got []int
	for i := range 3 {
		sh := live.Shard{I: i, N: 3}
		s := set.Surge(sh)
		if len(s.Droplet) != sh.Count(3000) {
			t.Errorf("shard %v: %d droplets, want %d", sh, len(s.Droplet), sh.Count(3000))
		}
		for _, d := range s.Droplet {
			if !sh.Has(d) {
				t.Fatalf("shard %v holds droplet %d", sh, d)
			}
		}
		for _, n := range []int{0, 1, 2, 3001, 3002} {
			has := 0
			for d := range n {
				if sh.Has(d) {
					has++
				}
			}
			if sh.Count(n) != has {
				t.Errorf("shard %v of %d droplets: Count %d, Has %d", sh, n, sh.Count(n), has)
			}
		}
		got = append(got, s.Droplet...)
	}
	slices.Sort(got)
	want := slices.Clone(all.Droplet)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Error("shards do not partition the surge")
	}
}

func TestResolveRefuses(t *testing.T) {
	dw, _ := scenario.Load("us-east-1")
	gen, _ := scenario.Load("mm1")
	for _, c := range []struct {
		sc   *scenario.Scenario
		spec string
		want string
	}{
		{gen, "none", "no [dwfm] section"},
		{dw, "nope", "nope"},
	} {
		if _, err := live.Resolve(c.sc, c.spec, 0, 1); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: %v, want %q", c.sc.Name, c.spec, err, c.want)
		}
	}
}

func TestClock(t *testing.T) {
	c := live.Clock{Start: time.Unix(100, 0), Scale: 60}
	if m := c.Model(time.Unix(101, 0)); m != time.Minute {
		t.Errorf("model %v, want 1m", m)
	}
	if w := c.Wall(time.Minute); !w.Equal(time.Unix(101, 0)) {
		t.Errorf("wall %v", w)
	}
	if m := c.Model(time.Unix(100, 0).AddDate(200, 0, 0)); m != math.MaxInt64 {
		t.Errorf("200 years at 60x: %v, want the saturated maximum", m)
	}
	if err := live.CheckScale(0); err == nil {
		t.Error("scale 0 accepted")
	}
}

// TestPresets: live mode's presets parse, serve the DWFM model, and are
// what LoadScenario loads by name; live-realtime is meant for scale 1
// and its whole run lasts about 90 s of wall time.
func TestPresets(t *testing.T) {
	ps := live.Presets()
	if len(ps) != 2 || ps[0].Name != live.SmallName || ps[1].Name != live.RealtimeName || ps[1].Scale != 1 {
		t.Fatalf("presets %+v", ps)
	}
	for _, p := range ps {
		sc, err := live.LoadScenario(p.Name)
		if err != nil || !live.IsPreset(p.Name) || p.Description == "" || len(p.Text) == 0 {
			t.Fatalf("%s: %v", p.Name, err)
		}
		set, err := live.Resolve(sc, "none", 0, 1)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		if wall := time.Duration(float64(set.Horizon()) / p.Scale); wall > 100*time.Second {
			t.Errorf("%s: %v of wall time at scale %g", p.Name, wall, p.Scale)
		}
	}
	if live.IsPreset("us-east-1") {
		t.Error("us-east-1 is the simulator's preset")
	}
	if _, err := live.LoadScenario("us-east-1"); err != nil {
		t.Errorf("a simulator's preset: %v", err)
	}
}
