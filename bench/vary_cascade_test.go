package bench

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
)

// TestWithCascadeKeys: With sets a cascade's link keys and its stages' keys
// (stages.NAME. and the key's path in the stage's file, a [[trigger]]
// numbered as anywhere), leaving the scenario it was given and the other
// stages as they were; a key the cascade replaces is refused in one line.
func TestWithCascadeKeys(t *testing.T) {
	sc, err := scenario.Load("us-east-1-cascade")
	if err != nil {
		t.Fatal(err)
	}
	c, err := With(sc, "link.items_per_droplet_hour", "0.02")
	if err != nil || c.Link.ItemsPerDropletHour != 0.02 || c.Link.NLBEvery != sc.Link.NLBEvery {
		t.Fatalf("link: %+v, %v", c.Link, err)
	}
	c, err = With(c, "stages.dwfm.dwfm.check_interval", "90s")
	if err != nil {
		t.Fatal(err)
	}
	if c.Stages.DWFM.DWFM.CheckInterval != model.Duration(90*time.Second) || c.Link.ItemsPerDropletHour != 0.02 ||
		c.Stages.DWFM.DWFM.Droplets != sc.Stages.DWFM.DWFM.Droplets || !reflect.DeepEqual(c.Stages.NLB.NLB, sc.Stages.NLB.NLB) {
		t.Errorf("dwfm stage %+v, link %+v", c.Stages.DWFM.DWFM, c.Link)
	}
	if sc.Stages.DWFM.DWFM.CheckInterval != model.Duration(3*time.Minute) {
		t.Errorf("the scenario given changed: %v", sc.Stages.DWFM.DWFM.CheckInterval)
	}
	c, err = With(c, "stages.dwfm.trigger.1.duration", "3h")
	if err != nil || c.Stages.DWFM.Triggers[0].Duration != model.Duration(3*time.Hour) || c.Stages.DWFM.DWFM.CheckInterval != model.Duration(90*time.Second) {
		t.Errorf("trigger: %+v, %v", c.Stages.DWFM.Triggers, err)
	}
	if c, err = With(sc, "stages.netprop.service.workers", "24"); err != nil || c.Stages.NetProp.Service.Workers != 24 {
		t.Errorf("netprop workers: %v", err)
	}
	for _, k := range []struct{ key, value, want string }{
		{"stages.nlb.nlb.launches", "1", "the cascade replaces stage nlb's nlb.launches"},
		{"stages.netprop.netprop.surge", "1", "the cascade replaces stage netprop's netprop.surge"},
		{"stages.netprop.interval", "1m", "the cascade replaces stage netprop's interval"},
		{"stages.dwfm.dwfm.check_interval", "0s", "[stages.dwfm]: [dwfm]: dwfm: check_interval 0s below 1ms"},
		{"link.nlb_every", "-1", "nlb_every -1 below 1"},
		{"horizon", "1h", "a cascade runs on its dwfm stage's timeline"},
	} {
		_, err := With(sc, k.key, k.value)
		if err == nil || !strings.Contains(err.Error(), k.want) || !strings.HasPrefix(err.Error(), "scenario: ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s=%s: %v, want one line with %q", k.key, k.value, err, k.want)
		}
	}
}

// TestCascadeDropletsOverride: --droplets sets the cascade's dwfm stage's
// droplets for the run, not the scenario's shared stage; and the run's
// summary says so.
func TestCascadeDropletsOverride(t *testing.T) {
	sc, err := scenario.Load("us-east-1-cascade")
	if err != nil {
		t.Fatal(err)
	}
	o, err := Run{Scenario: sc, Policy: "dwfm=queue-size", Seed: 1, Droplets: 2000}.Execute()
	if err != nil {
		t.Fatal(err)
	}
	if o.Summary.Droplets != 2000 || o.Hosts != 2 || sc.Stages.DWFM.DWFM.Droplets != 1_000_000 {
		t.Errorf("droplets %d on %d hosts; the scenario's stage now has %d", o.Summary.Droplets, o.Hosts, sc.Stages.DWFM.DWFM.Droplets)
	}
	if !o.Summary.Recovered || o.Summary.Policy != "dwfm=queue-size" || o.Cascade == nil {
		t.Errorf("summary %+v", o.Summary)
	}
}

// TestWithCascadeNLBZones: a cascade's NLB stage takes another number of
// zones than its preset's three, although the preset's launch_weights (one
// per zone, which the cascade ignores: it spreads the launches over the
// zones in turn) are three and cannot be set; its NLB stage runs and gets
// targets. Setting launch_weights is still refused.
func TestWithCascadeNLBZones(t *testing.T) {
	sc, err := scenario.Load("us-east-1-cascade")
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Stages.NLB.NLB.LaunchWeights) != 3 {
		t.Fatalf("the preset's nlb stage has %d launch weights; the test wants 3", len(sc.Stages.NLB.NLB.LaunchWeights))
	}
	for _, zones := range []int{1, 2, 4} {
		c, err := With(sc, "stages.nlb.nlb.zones", strconv.Itoa(zones))
		if err != nil {
			t.Fatalf("zones %d: %v", zones, err)
		}
		if c.Stages.NLB.NLB.Zones != zones || len(sc.Stages.NLB.NLB.LaunchWeights) != 3 {
			t.Fatalf("zones %d: stage has %d zones; the scenario given now has %d launch weights", zones, c.Stages.NLB.NLB.Zones, len(sc.Stages.NLB.NLB.LaunchWeights))
		}
		o, err := Run{Scenario: c, Policy: "operator", Seed: 1, Droplets: 2000}.Execute()
		if err != nil {
			t.Fatalf("zones %d: %v", zones, err)
		}
		if o.Cascade == nil || !o.Cascade.NLBRan || o.Cascade.Targets == 0 {
			t.Fatalf("zones %d: the NLB stage did not run or got no target: %+v", zones, o.Cascade)
		}
	}
	if _, err := With(sc, "stages.nlb.nlb.launch_weights", "[1.0]"); err == nil || !strings.Contains(err.Error(), "the cascade replaces stage nlb's nlb.launch_weights") {
		t.Errorf("launch_weights set: %v, want refused", err)
	}
}
