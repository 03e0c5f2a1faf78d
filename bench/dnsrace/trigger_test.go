package dnsrace_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/dnsrace"
	. "github.com/aftershock/aftershock/bench/model"
)

func raceTrigger() TriggerConfig {
	return TriggerConfig{Kind: DNSRace, At: Duration(time.Minute), Duration: Duration(6 * time.Hour), EnactorDelay: MustParseDist("lognormal(20s,1.5)")}
}

func TestRaceDefaults(t *testing.T) {
	c := dnsrace.ConfigOf(TriggerConfig{Kind: DNSRace, Duration: 1})
	if c.Delay.String() != MustParseDist(dnsrace.DefaultDelay).String() || c.PlanInterval != dnsrace.DefaultPlanInterval ||
		c.Cleanup != dnsrace.DefaultCleanup || c.Repair != dnsrace.DefaultRepair || c.Variant != dnsrace.Racy {
		t.Errorf("defaults %+v", c)
	}
	if c.Repair != 2*time.Hour+37*time.Minute {
		t.Errorf("default repair %v, want the published 2h37m", c.Repair)
	}
}

// TestExpand: a dns-race trigger becomes the outages its race gives for the
// seed; other triggers stay; the input is not changed.
func TestExpand(t *testing.T) {
	spike := TriggerConfig{Kind: LoadSpike, Duration: 1, Factor: 2}
	ts := []TriggerConfig{spike, raceTrigger()}
	keep := append([]TriggerConfig(nil), ts...)
	var found bool
	for seed := uint64(1); seed <= 20 && !found; seed++ {
		got, err := dnsrace.Expand(ts, seed)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ts, keep) {
			t.Fatal("Expand changed its input")
		}
		if !reflect.DeepEqual(got[0], spike) {
			t.Fatalf("seed %d: the load-spike became %+v", seed, got[0])
		}
		again, _ := dnsrace.Expand(ts, seed)
		if !reflect.DeepEqual(got, again) {
			t.Fatalf("seed %d: %v then %v", seed, got, again)
		}
		for _, o := range got[1:] {
			if o.Kind != DependencyOutage || o.Duration != Duration(dnsrace.DefaultRepair) ||
				o.At < raceTrigger().At || o.At >= raceTrigger().At+raceTrigger().Duration {
				t.Fatalf("seed %d: outage %+v: want a 2h37m dependency-outage starting within the race's span", seed, o)
			}
			found = true
		}
		if _, err := Windows(got, LoadSpike, DependencyOutage); err != nil {
			t.Fatalf("seed %d: expanded triggers invalid: %v", seed, err)
		}
	}
	if !found {
		t.Fatal("no seed in 1..20 emptied the record with lognormal(20s,1.5) over 6h")
	}
	fixed := raceTrigger()
	fixed.Variant = string(dnsrace.Fixed)
	for seed := uint64(1); seed <= 20; seed++ {
		if got, _ := dnsrace.Expand([]TriggerConfig{fixed}, seed); len(got) != 0 {
			t.Fatalf("fixed, seed %d: %v", seed, got)
		}
	}
}

func TestRaceTriggerValidate(t *testing.T) {
	if err := raceTrigger().Validate(); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		edit func(*TriggerConfig)
		want string
	}{
		"factor":        {func(t *TriggerConfig) { t.Factor = 2 }, "takes no factor"},
		"workers":       {func(t *TriggerConfig) { t.Workers = 2 }, "takes no factor or workers"},
		"cleanup -1":    {func(t *TriggerConfig) { t.CleanupGenerations = -1 }, "cleanup_generations -1 below 0"},
		"cleanup big":   {func(t *TriggerConfig) { t.CleanupGenerations = 5000 }, "cleanup_generations 5000 outside"},
		"repair 10s":    {func(t *TriggerConfig) { t.Repair = Duration(10 * time.Second) }, "repair 10s outside"},
		"variant":       {func(t *TriggerConfig) { t.Variant = "safe" }, `variant "safe" unknown`},
		"interval long": {func(t *TriggerConfig) { t.PlanInterval = Duration(25 * time.Hour) }, "plan_interval 25h0m0s outside"},
		"many plans": {func(t *TriggerConfig) {
			t.PlanInterval, t.Duration = Duration(time.Millisecond), Duration(365*24*time.Hour)
		}, "above the limit"},
		"race keys elsewhere": {func(t *TriggerConfig) { t.Kind = DependencyOutage }, "are for dns-race triggers only"},
		"repair elsewhere": {func(t *TriggerConfig) {
			*t = TriggerConfig{Kind: LoadSpike, Duration: 1, Factor: 2, Repair: Duration(time.Hour)}
		}, "are for dns-race triggers only"},
	} {
		tc := raceTrigger()
		c.edit(&tc)
		err := tc.Validate()
		if err == nil {
			err = dnsrace.CheckTrigger(tc)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line ...%s", name, err, c.want)
		}
		if _, err := dnsrace.Expand([]TriggerConfig{tc}, 1); err == nil && tc.Kind == DNSRace {
			t.Errorf("%s: Expand accepted it", name)
		}
	}
	// Models never see a dns-race trigger: they support the kinds Expand makes.
	if _, err := Windows([]TriggerConfig{raceTrigger()}, DependencyOutage); err == nil {
		t.Error("Windows accepted a dns-race trigger that was not expanded")
	}
}
