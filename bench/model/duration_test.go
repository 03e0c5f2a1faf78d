package model

import (
	"strings"
	"testing"
	"time"
)

func TestDurationNeedsAUnit(t *testing.T) {
	var d Duration
	if err := d.UnmarshalText([]byte("14h32m")); err != nil || time.Duration(d) != 14*time.Hour+32*time.Minute {
		t.Fatalf("14h32m: %v, %v", d, err)
	}
	for text, want := range map[string]string{
		"3600":   "has no unit",
		"1.5":    "has no unit",
		"-1s":    "below 0",
		"soon":   "is not a duration",
		"":       "is not a duration",
		"1h\n2h": "is not a duration",
	} {
		if err := d.UnmarshalText([]byte(text)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error containing %q", text, err, want)
		}
	}
}

func TestStationConfigValidate(t *testing.T) {
	ok := StationConfig{Workers: 4, ServiceTime: MustParseDist("lognormal(15s,0.25)"), PerQueued: Duration(50 * time.Millisecond), MaxService: Duration(10 * time.Minute)}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(*StationConfig){
		"no workers":      func(c *StationConfig) { c.Workers = 0 },
		"too many":        func(c *StationConfig) { c.Workers = MaxWorkers + 1 },
		"no service time": func(c *StationConfig) { c.ServiceTime = Dist{} },
		"growth overflow": func(c *StationConfig) { c.PerQueued = Duration(2562047 * time.Hour) },
		"busy overflow":   func(c *StationConfig) { c.PerBusy = MaxPerBusy + 1 },
		"uncapped growth": func(c *StationConfig) { c.MaxService = 0 },
		"cap below mean":  func(c *StationConfig) { c.MaxService = Duration(time.Second) },
	} {
		c := ok
		mut(&c)
		if err := c.Validate(); err == nil || !strings.HasPrefix(err.Error(), "model: ") {
			t.Errorf("%s: %v, want a model: error", name, err)
		}
	}
}

func TestTriggerConfigValidate(t *testing.T) {
	for _, c := range []TriggerConfig{
		{Kind: LoadSpike, Duration: 1},
		{Kind: LoadSpike, Duration: 1, Factor: 1e300},
		{Kind: CapacityCut, Duration: 1, Factor: 0.5},
		{Kind: CapacityCut, Duration: 1, Factor: 1e300},
		{Kind: CapacityCut, Duration: 1},
		{Kind: DependencyOutage},
		{Kind: DependencyOutage, Duration: MaxSpan + 1},
		{Kind: "flood", Duration: 1},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
	if _, err := Windows([]TriggerConfig{{Kind: LoadSpike, Duration: 1, Factor: 2}}, DependencyOutage); err == nil {
		t.Error("a load-spike accepted by a model supporting only dependency outages")
	}
}
