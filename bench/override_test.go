package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
)

func TestWithSetsOneKeyAndLeavesTheOriginal(t *testing.T) {
	sc, err := scenario.Load("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		key, value string
		get        func(*scenario.Scenario) any
		want       any
	}{
		{"dwfm.check_interval", "90s", func(s *scenario.Scenario) any { return s.DWFM.CheckInterval }, model.Duration(90 * time.Second)},
		{"dwfm.check_interval", `"270s"`, func(s *scenario.Scenario) any { return s.DWFM.CheckInterval }, model.Duration(270 * time.Second)},
		{"service.workers", "6", func(s *scenario.Scenario) any { return s.Service.Workers }, 6},
		{"service.service_time", "lognormal(7.5s,0.25)", func(s *scenario.Scenario) any { return s.Service.ServiceTime.Mean().Duration() }, 7500 * time.Millisecond},
		{"horizon", "10h", func(s *scenario.Scenario) any { return s.Horizon }, model.Duration(10 * time.Hour)},
		{"trigger.1.duration", "20m", func(s *scenario.Scenario) any { return s.Triggers[0].Duration }, model.Duration(20 * time.Minute)},
		{"description", "edited", func(s *scenario.Scenario) any { return s.Description }, "edited"},
	} {
		before := c.get(sc)
		got, err := With(sc, c.key, c.value)
		if err != nil {
			t.Errorf("%s=%s: %v", c.key, c.value, err)
			continue
		}
		if v := c.get(got); v != c.want {
			t.Errorf("%s=%s: got %v, want %v", c.key, c.value, v, c.want)
		}
		if v := c.get(sc); v != before {
			t.Errorf("%s=%s changed the original: %v, was %v", c.key, c.value, v, before)
		}
	}
}

func TestWithErrorsNameTheKey(t *testing.T) {
	sc, err := scenario.Load("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ key, value, want string }{
		{"dwfm.chek_interval", "3m", `unknown key "dwfm.chek_interval" (with dwfm.chek_interval = "3m")`},
		{"dfwm.check_interval", "3m", `unknown key "dfwm" (with dfwm.check_interval = "3m")`},
		{"dwfm", "3m", `dwfm = 3m: dwfm is a section, not a value`},
		{"dwfm.droplets.x", "3", `dwfm.droplets is a value, not a section`},
		{"trigger.2.duration", "1h", `[[trigger]] is numbered 1..1 (e.g. trigger.1.duration)`},
		{"trigger.duration", "1h", `numbered 1..1`},
		{"dwfm.check_interval", "0s", `check_interval 0s below 1ms (with dwfm.check_interval = "0s")`},
		{"dwfm.check_interval", "90", `duration 90 has no unit`},
		{"service.workers", "four", `service.workers: incompatible types: TOML value has type string; destination has type integer (with service.workers = "four")`},
		{"service.workers", "2.5", `service.workers: incompatible types: TOML value has type float64; destination has type integer (with service.workers = 2.5)`},
		{"service.workers", "0", `workers`},
		{"clients.rate", "10", `[dwfm] and [clients] both set`},
		{"service.workers", "4\nname = \"x\"", `not one value`},
	} {
		_, err := With(sc, c.key, c.value)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "scenario: preset us-east-1: ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s=%q: %v, want one line from the scenario containing %q", c.key, c.value, err, c.want)
		}
	}
}
