package scenario

import (
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/internal/docstest"
)

const cascadeHead = "name = \"c\"\n[link]\nitems_per_droplet_hour = 0.0126\nnlb_every = 100\n"

// TestCascadeStages: a stage is a preset's name, or a table that starts
// from a preset and sets keys of it (tables merged, a [[trigger]] list
// replaced whole), or a whole scenario; the cascade runs on its dwfm
// stage's timeline.
func TestCascadeStages(t *testing.T) {
	sc, err := Load("us-east-1-cascade")
	if err != nil {
		t.Fatal(err)
	}
	us, _ := Load("us-east-1")
	if !sc.Stages.Enabled() || sc.Stages.DWFM.Name != "us-east-1" || sc.Stages.NetProp.Name != "netprop" || sc.Stages.NLB.Name != "nlb" {
		t.Fatalf("stages %+v", sc.Stages)
	}
	if !sc.Start.Equal(us.Start) || sc.Horizon != us.Horizon || sc.Interval != us.Interval {
		t.Errorf("timeline %v %v %v, want the dwfm stage's %v %v %v", sc.Start, sc.Horizon, sc.Interval, us.Start, us.Horizon, us.Interval)
	}
	text := cascadeHead + `[stages]
nlb = "nlb"
[stages.dwfm]
preset = "us-east-1"
interval = "5m"
dwfm.check_interval = "90s"
[[stages.dwfm.trigger]]
kind = "dependency-outage"
at = "10m"
duration = "1h"
[stages.netprop]
name = "mine"
horizon = "1h"
netprop.base_rate = 1
netprop.normal_latency = "1m"
service.workers = 3
service.service_time = "exp(1s)"
`
	c, err := Parse("mine.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	d := c.Stages.DWFM
	if d.DWFM.CheckInterval != model.Duration(90*time.Second) || d.DWFM.Droplets != us.DWFM.Droplets || d.Service != us.Service {
		t.Errorf("dwfm stage: check interval %v, droplets %d, service %+v: want the preset's with the check interval set", d.DWFM.CheckInterval, d.DWFM.Droplets, d.Service)
	}
	if len(d.Triggers) != 1 || d.Triggers[0].At != model.Duration(10*time.Minute) {
		t.Errorf("dwfm stage triggers %+v, want the file's one (replacing the preset's)", d.Triggers)
	}
	if c.Interval != model.Duration(5*time.Minute) || d.Source != "mine.toml [stages.dwfm]" {
		t.Errorf("interval %v, stage source %q", c.Interval, d.Source)
	}
	if p := c.Stages.NetProp; p.Name != "mine" || p.Service.Workers != 3 || c.Stages.NLB.Source != "preset nlb" {
		t.Errorf("netprop stage %+v, nlb stage from %q", p, c.Stages.NLB.Source)
	}
}

// TestCascadeBadFiles: each bad cascade file is an error of one line that
// names the file, and the stage and key where there is one.
func TestCascadeBadFiles(t *testing.T) {
	three := "[stages]\ndwfm = \"us-east-1\"\nnetprop = \"netprop\"\nnlb = \"nlb\"\n"
	for _, c := range []struct{ text, want string }{
		{cascadeHead + three + "nlb_evry = 1\n", `unknown key "stages.nlb_evry"`},
		{cascadeHead + "zones = 1\n" + three, `unknown key "link.zones"`},
		{cascadeHead + "[stages]\nnetprop = \"netprop\"\nnlb = \"nlb\"\n[stages.dwfm]\npreset = \"us-east-1\"\ndwfm.zonez = 1\n", `c.toml [stages.dwfm]: unknown key "dwfm.zonez"`},
		{cascadeHead + "[stages]\nnetprop = \"netprop\"\nnlb = \"nlb\"\n[stages.dwfm]\npreset = \"us-east-1\"\ndwfm.zones = 6\n", `key "dwfm.zones" was removed`},
		{cascadeHead + "[stages]\nnetprop = \"netprop\"\nnlb = \"nlb\"\n[stages.dwfm]\npreset = \"us-east-1\"\ndwfm.droplets = 0\n", "[stages.dwfm]: no load"},
		{cascadeHead + "[stages]\nnetprop = \"netprop\"\nnlb = \"nlb\"\n[stages.dwfm]\npreset = 3\n", "preset = 3: want a preset's name"},
		{cascadeHead + "[stages]\nnetprop = \"netprop\"\nnlb = \"nlb\"\n[stages.dwfm]\npreset = \"us-east-2\"\n", `"us-east-2" is not a preset`},
		{cascadeHead + "[stages]\ndwfm = \"../us-east-1.toml\"\nnetprop = \"netprop\"\nnlb = \"nlb\"\n", `c.toml [stages.dwfm]: "../us-east-1.toml" is not a preset`},
		{cascadeHead + "[stages]\ndwfm = 3\nnetprop = \"netprop\"\nnlb = \"nlb\"\n", "stage dwfm = 3: want a preset's name"},
		{cascadeHead + "[stages]\ndwfm = \"us-east-1\"\nnlb = \"nlb\"\n", "[stages] needs dwfm, netprop and nlb (missing: netprop)"},
		{cascadeHead + "[stages]\ndwfm = \"netprop\"\nnetprop = \"netprop\"\nnlb = \"nlb\"\n", "stage dwfm: scenario netprop has no [dwfm] section"},
		{cascadeHead + "[stages]\ndwfm = \"us-east-1-cascade\"\nnetprop = \"netprop\"\nnlb = \"nlb\"\n", "stage dwfm: us-east-1-cascade is a cascade itself"},
		{"horizon = \"1h\"\n" + cascadeHead + three, "horizon: a cascade runs on its dwfm stage's timeline"},
		{"start = 2025-10-19T23:48:00-07:00\n" + cascadeHead + three, "start: a cascade runs on its dwfm stage's timeline"},
		{cascadeHead + three + "[dwfm]\ncheck_interval = \"1m\"\n", "[dwfm]: a cascade's models are its stages"},
		{cascadeHead + three + "[service]\nworkers = 0\n", "[service]: a cascade's models are its stages"},
		{strings.Replace(cascadeHead, "nlb_every = 100", "nlb_every = 0", 1) + three, "[link]: cascade: nlb_every 0 below 1"},
		{strings.Replace(cascadeHead, "0.0126", "0", 1) + three, "[link]: cascade: items_per_droplet_hour 0 outside"},
		{cascadeHead + "failover_off_at = \"2h\"\nfailover_on_at = \"1h\"\n" + three, "failover_on_at 1h0m0s not after failover_off_at 2h0m0s"},
		{cascadeHead + "reach_before = 1.5\n" + three, "reach_before 1.5 outside 0..1"},
		{cascadeHead + "release_over = \"-1h\"\n" + three, "release_over"},
		{cascadeHead + "[stages]\ndwfm = \"us-east-1\"\nnetprop = \"netprop\"\n[stages.nlb]\nname = \"mine\"\nhorizon = \"1h\"\nnlb.zones = 2\nnlb.targets_per_zone = 3\nnlb.load = 0.5\nnlb.no_failover = true\nservice.workers = 1\nservice.service_time = \"exp(1s)\"\n", "stage nlb: scenario mine sets no_failover"},
		{cascadeHead + "[stages]\ndwfm = \"us-east-1\"\nnetprop = \"netprop\"\n[stages.nlb]\npreset = \"nlb\"\nnlb.no_failover = true\nnlb.failover_off_at = \"0s\"\n", "nlb.failover_off_at: the cascade replaces stage nlb's nlb.failover_off_at"},
		{"name = \"x\"\nhorizon = \"1h\"\n[clients]\nrate = 1\n[service]\nworkers = 1\nservice_time = \"exp(1s)\"\n[link]\nnlb_every = 2\n", "[link] without [stages]"},
		{"stages = 3\n" + cascadeHead, "[stages] is a section"},
		{cascadeHead + "[stages]\ndwfm = \"us-east-1\"\nnetprop = \"netprop\"\n[stages.nlb]\npreset = \"nlb\"\nnlb.launches = 5\n", "nlb.launches: the cascade replaces stage nlb's nlb.launches"},
		{cascadeHead + "[stages]\ndwfm = \"us-east-1\"\nnlb = \"nlb\"\n[stages.netprop]\npreset = \"netprop\"\nhorizon = \"20h\"\n", "horizon: the cascade replaces stage netprop's horizon"},
	} {
		_, err := Parse("c.toml", []byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "scenario: ") || strings.ContainsAny(err.Error(), "\n\r") || !strings.Contains(err.Error(), "c.toml") {
			t.Errorf("%q:\n%v\nwant one line starting scenario:, naming c.toml, with %q", c.text, err, c.want)
		}
	}
}

// TestExpandStage: a stage written out in full is its preset's keys with
// the table's set over them, and a preset's name is the preset's keys.
func TestExpandStage(t *testing.T) {
	full, err := ExpandStage("dwfm", map[string]any{"preset": "us-east-1", "dwfm": map[string]any{"check_interval": "90s"}})
	if err != nil {
		t.Fatal(err)
	}
	d := full["dwfm"].(map[string]any)
	if d["check_interval"] != "90s" || d["droplets"] != int64(1000000) || full["name"] != "us-east-1" || full["preset"] != nil {
		t.Errorf("expanded %v", full)
	}
	byName, err := ExpandStage("nlb", "nlb")
	if err != nil || byName["name"] != "nlb" {
		t.Errorf("by name: %v, %v", byName, err)
	}
}

// TestREADMECascadeExample: the docs' cascade file is a valid cascade:
// the us-east-1 preset with its checks every 90 s as the dwfm stage.
func TestREADMECascadeExample(t *testing.T) {
	for _, block := range docstest.Blocks(t, "toml") {
		if !strings.Contains(block.Text, "[stages]") {
			continue
		}
		sc, err := Parse(block.File+" cascade", []byte(block.Text+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if !sc.Stages.Enabled() || sc.Stages.DWFM.DWFM.CheckInterval != model.Duration(90*time.Second) || sc.Stages.DWFM.DWFM.Droplets != 1_000_000 {
			t.Errorf("%s:%d: the cascade parsed to %+v", block.File, block.Line, sc.Stages.DWFM.DWFM)
		}
		return
	}
	t.Fatal("no file of README.md and docs/*.md has a cascade file (a ```toml block with [stages])")
}
