package bench

import (
	"math"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench/dnsrace"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/bench/sim"
)

// raceScenario is us-east-1 with its published window replaced by the DNS
// race: the race may empty the record over the first 6 h.
func raceScenario(t *testing.T, variant string) *scenario.Scenario {
	t.Helper()
	sc := usEast1(t)
	for _, kv := range [][2]string{
		{"trigger.1.kind", "dns-race"}, {"trigger.1.duration", "6h"},
		{"trigger.1.enactor_delay", "lognormal(20s,1.5)"}, {"trigger.1.variant", variant},
	} {
		var err error
		if sc, err = With(sc, kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	return sc
}

// TestDNSRaceDrivesDWFM (model check): a dns-race scenario runs DWFM with
// the outage its race gives for the run's seed, the same as Expand gives;
// the fixed variant gives none, and every lease holds.
func TestDNSRaceDrivesDWFM(t *testing.T) {
	sc := raceScenario(t, "racy")
	var seed uint64
	var want []model.TriggerConfig
	for s := uint64(1); s <= 20 && len(want) == 0; s++ {
		got, err := dnsrace.Expand(sc.Triggers, s)
		if err != nil {
			t.Fatal(err)
		}
		seed, want = s, got
	}
	if len(want) == 0 {
		t.Fatal("no seed in 1..20 empties the record")
	}
	lapsed := 0
	o, err := Run{Scenario: sc, Seed: seed, Droplets: testDroplets, Observe: func(s model.Sample) {
		if s.Leased != testDroplets {
			lapsed++
		}
	}}.Execute()
	if err != nil {
		t.Fatal(err)
	}
	if lapsed == 0 {
		t.Errorf("seed %d: the race's outage %v lapsed no lease", seed, want)
	}
	if end := sim.Time(want[len(want)-1].At + want[len(want)-1].Duration); o.Result.TriggerEnd != end {
		t.Errorf("seed %d: trigger ends at %v, want the race's %v", seed, o.Result.TriggerEnd, end)
	}

	fixed := raceScenario(t, "fixed")
	lapsed = 0
	o, err = Run{Scenario: fixed, Seed: seed, Droplets: testDroplets, Observe: func(s model.Sample) {
		if s.Leased != testDroplets {
			lapsed++
		}
	}}.Execute()
	if err != nil {
		t.Fatal(err)
	}
	if o.Result.TriggerEnd != 0 || lapsed != 0 {
		t.Errorf("fixed: trigger end %v, %d samples with lapsed leases; want no outage", o.Result.TriggerEnd, lapsed)
	}
	if s := o.Summary; !s.Undefined || s.Recovered || !math.IsNaN(s.RecoveryS) || !math.IsNaN(s.IdealS) {
		t.Errorf("fixed: summary recovered %v undefined %v recovery %v ideal %v; want recovery not defined without a trigger", s.Recovered, s.Undefined, s.RecoveryS, s.IdealS)
	}
}

func TestDNSRaceScenarioErrors(t *testing.T) {
	const head = "name = \"x\"\nhorizon = \"1h\"\n[clients]\nrate = 10\ntimeout = \"1s\"\n[service]\nworkers = 2\nservice_time = \"exp(10ms)\"\n[[trigger]]\nkind = \"dns-race\"\nduration = \"1h\"\n"
	if _, err := scenario.Parse("race.toml", []byte(head+"enactor_delay = \"lognormal(2s,1.5)\"\nplan_interval = \"30s\"\ncleanup_generations = 5\nrepair = \"10m\"\nvariant = \"fixed\"\n")); err != nil {
		t.Fatalf("a valid dns-race trigger: %v", err)
	}
	for _, c := range []struct{ line, want string }{
		{"variant = \"safe\"", `variant "safe" unknown`},
		{"repair = \"1s\"", "repair 1s outside"},
		{"cleanup_generations = -2", "cleanup_generations -2 below 0"},
		{"enactor_delay = \"normal(1s)\"", "unknown kind"},
		{"plan_interval = \"48h\"", "plan_interval 48h0m0s outside"},
		{"factor = 2.0", "takes no factor"},
	} {
		_, err := scenario.Parse("race.toml", []byte(head+c.line+"\n"))
		if err == nil || !strings.HasPrefix(err.Error(), "scenario: race.toml") || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", c.line, err, c.want)
		}
	}
}
