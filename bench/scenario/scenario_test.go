package scenario

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/internal/docstest"
)

func TestPresetsParse(t *testing.T) {
	names := Presets()
	if len(names) < 3 {
		t.Fatalf("presets %v, want at least us-east-1, metastable and mm1", names)
	}
	for _, n := range names {
		sc, err := Load(n)
		if err != nil {
			t.Fatalf("preset %s: %v", n, err)
		}
		if sc.Name != n {
			t.Errorf("preset file %s.toml names itself %q", n, sc.Name)
		}
		if sc.Description == "" {
			t.Errorf("preset %s has no description", n)
		}
	}
}

// TestShownTextParsesBackToThePreset: the text `scenarios show` prints, read
// as a user's file, is the same scenario as the preset.
func TestShownTextParsesBackToThePreset(t *testing.T) {
	for _, n := range Presets() {
		text, err := PresetText(n)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(text), "#") {
			t.Errorf("%s: the shown text does not start with its comments", n)
		}
		preset, _ := Load(n)
		file, err := Parse("mine.toml", text)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		file.Source = preset.Source
		if !reflect.DeepEqual(file, preset) {
			t.Errorf("%s: shown text parses to\n%+v\nwant\n%+v", n, file, preset)
		}
	}
}

func TestUSEast1EncodesThePublishedFacts(t *testing.T) {
	sc, err := Load("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	pdt := time.FixedZone("", -7*3600)
	if want := time.Date(2025, 10, 19, 23, 48, 0, 0, pdt); !sc.Start.Equal(want) {
		t.Errorf("start %v, want %v", sc.Start, want)
	}
	if end := sc.Start.Add(time.Duration(sc.Horizon)); !end.Equal(time.Date(2025, 10, 20, 14, 20, 0, 0, pdt)) {
		t.Errorf("horizon ends at %v, want 14:20 PDT", end)
	}
	if len(sc.Triggers) != 1 || sc.Triggers[0].Kind != "dependency-outage" || time.Duration(sc.Triggers[0].Duration) != 2*time.Hour+37*time.Minute {
		t.Errorf("triggers %+v, want one 2h37m dependency outage", sc.Triggers)
	}
	// Leases decay over the published 23:48 -> 02:24 window.
	if time.Duration(sc.DWFM.LeaseTTLMax) != 2*time.Hour+36*time.Minute {
		t.Errorf("lease_ttl_max %v, want 2h36m", sc.DWFM.LeaseTTLMax)
	}
	text, _ := PresetText("us-east-1")
	if n := strings.Count(string(text), "ASSUMED"); n < 5 {
		t.Errorf("us-east-1.toml marks %d assumptions, want every assumed parameter marked", n)
	}
}

const head = "name = \"x\"\nhorizon = \"1h\"\n"

// TestBadFilesGiveOneLineNamingFileAndKey: each class of bad input is an
// error of one line that starts with "scenario: ", names the file, and says
// what is wrong where.
func TestBadFilesGiveOneLineNamingFileAndKey(t *testing.T) {
	generic := head + "[service]\nworkers = 1\nservice_time = \"exp(1ms)\"\n[clients]\n"
	dwfm := head + "[service]\nworkers = 4\nservice_time = \"exp(15s)\"\n[dwfm]\ndroplets = 1000\ndroplets_per_host = 100\n" +
		"check_interval = \"3m\"\nlease_ttl_min = \"5m\"\nlease_ttl_max = \"10m\"\nestablish_timeout = \"30m\"\n"
	for _, c := range []struct{ text, want string }{
		{generic + "rate = 5\nrat = 5\n", `line 8: unknown key "clients.rat"`},
		{head + "[clientz]\nrate = 5\n", `line 3: unknown key "clientz"`},
		{generic + "Rate = 5\n", `line 7: unknown key "clients.Rate"`},
		{"name = \"x\"\n", `horizon missing`},
		{generic + "rate = 5\n[[trigger]]\nkind = \"load-spike\"\nat = \"2h\"\nduration = \"1s\"\nfactor = 2\n", "[[trigger]] 1: at 2h0m0s, not before the horizon 1h0m0s"},
		{generic + "rate = 5\n[[trigger]]\nkind = \"load-spike\"\nduration = \"1s\"\nfactor = 2\nbogus = 1\n", `unknown key "trigger.bogus"`},
		{generic + "rate = 5\nrate = 6\n", "line 8: clients.rate: Key 'clients.rate' has already been defined"},
		{"name = \"x\"\nhorizon = 3600\n", "line 2: horizon: model: duration 3600 has no unit"},
		{"name = \"x\"\nhorizon = \"3600\"\n", "line 2: horizon: model: duration 3600 has no unit"},
		{"name = \"x\"\nhorizon = \"-1h\"\n", "horizon: model: duration -1h0m0s below 0"},
		{"name = x\nhorizon = 1h\n", `line 1: not TOML (values that are text or durations are quoted: horizon = "14h32m"); see 'loadgen scenarios show us-east-1'`},
		{"name = \"x\"\nhorizon = 1h\n", "line 2: not TOML"},
		{generic + "rate = 5\n[[trigger]]\nkind = load-spike\n", "line 9: not TOML"},
		{generic + "rate = 5\n[service]\nworkers = 2\n", "has already been defined"},
		{head + "[clients]\nrate = 5\n[service]\nworkers = 1\nservice_time = \"gauss(1s)\"\n", `service_time: model: distribution "gauss(1s)": unknown kind`},
		{head + "[clients]\nrate = 5\n[service]\nworkers = \"4\"\n", "incompatible types"},
		{head, "no load"},
		{generic + "rate = 5\n[dwfm]\ndroplets = 10\n", "[dwfm] and [clients] both set"},
		{"horizon = \"1h\"\n[clients]\nrate = 1\n", "name missing"},
		{generic + "rate = -10\n", "[clients]: service: rate -10 outside [0, 1e+06] per second"},
		{generic + "rate = 1e308\n", "rate 1e+308 outside [0, 1e+06]"},
		{generic + "rate = nan\n", "rate NaN outside"},
		{generic + "schedule = \"0s=5, 1h=1e9\"\n", "schedule rate 1e+09 outside"},
		{generic + "rate = 5\ntimeout = \"1000000h\"\n", "timeout 1000000h0m0s above the limit 8784h0m0s"},
		{generic + "rate = 5\n[[trigger]]\nkind = \"load-spike\"\nduration = \"1s\"\nfactor = 1e300\n", "[[trigger]] 1: model: load-spike factor 1e+300 outside (0, 1000]"},
		{generic + "rate = 5\n[[trigger]]\nkind = \"capacity-cut\"\nduration = \"1s\"\nfactor = 1e300\n", "capacity-cut factor 1e+300 outside [1, 100]"},
		{generic + "rate = 5\n[[trigger]]\nkind = \"earthquake\"\nduration = \"1s\"\n", `kind "earthquake" unknown`},
		{"name = \"x\"\nhorizon = \"1h\"\ninterval = \"1ns\"\n[service]\nworkers = 1\nservice_time = \"exp(1ms)\"\n[clients]\nrate = 5\n", "interval 1ns below 1ms"},
		{"name = \"x\"\nhorizon = \"8000h\"\ninterval = \"1ms\"\n[service]\nworkers = 1\nservice_time = \"exp(1ms)\"\n[clients]\nrate = 5\n", "samples, above the limit 10000000"},
		{"name = \"x\"\nhorizon = \"1h\"\ninterval = \"2h\"\n[service]\nworkers = 1\nservice_time = \"exp(1ms)\"\n[clients]\nrate = 5\n", "interval 2h0m0s above the limit 1h0m0s"},
		{strings.Replace(dwfm, "droplets_per_host = 100", "droplets_per_host = 9223372036854775807", 1), "[dwfm]: dwfm: droplets_per_host 9223372036854775807 outside 1..16777216"},
		{dwfm + "[service]\n", "already been defined"},
		{strings.Replace(dwfm, "workers = 4\n", "workers = 4\ngrowth_per_queued = \"2562047h\"\n", 1), "growth_per_queued 2562047h0m0s above the limit 1s"},
		{strings.Replace(dwfm, "workers = 4\n", "workers = 4\ngrowth_per_queued = \"50ms\"\n", 1), "without max_service_time"},
		{strings.Replace(dwfm, "\"3m\"", "\"1ns\"", 1), "check_interval 1ns below 1ms"},
		{strings.Replace(dwfm, "exp(15s)", "exp(1000h)", 1), "not a duration with a unit in [0s, 24h0m0s]"},
		{head + "\x00", "t.toml: line"},
		{strings.Replace(dwfm, "droplets_per_host = 100\n", "droplets_per_host = 100\nzones = 6\n", 1), `line 9: key "dwfm.zones" was removed: it was validated and changed nothing`},
	} {
		_, err := Parse("t.toml", []byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", c.text, err, c.want)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "scenario: t.toml:") || strings.ContainsAny(msg, "\n\r") {
			t.Errorf("error %q: want one line starting with \"scenario: t.toml:\"", msg)
		}
	}
	if _, err := Load("no-such-preset-or-file"); err == nil || !strings.Contains(err.Error(), "us-east-1") {
		t.Errorf("Load of a missing name: %v, want an error listing the presets", err)
	}
}

// FuzzDecode fuzzes Parse: no input makes it panic, and every error is one
// line that starts with "scenario: " and the file.
func FuzzDecode(f *testing.F) {
	for _, n := range Presets() {
		b, _ := PresetText(n)
		f.Add(b)
	}
	f.Add([]byte("name = us-east-1\nhorizon = 14h32m\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := Parse("f.toml", b)
		if err == nil {
			return
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "scenario: f.toml") || strings.ContainsAny(msg, "\n\r") {
			t.Fatalf("error %q: want one line starting with \"scenario: f.toml\"", msg)
		}
	})
}

// TestREADMEExampleParses: the complete example in the docs' Scenarios
// and policies section, its first toml block, is a valid scenario.
func TestREADMEExampleParses(t *testing.T) {
	f, section := docstest.Section(t, "## Scenarios and policies")
	blocks := docstest.BlocksOf(section, "toml")
	if len(blocks) == 0 {
		t.Fatalf("%s: Scenarios and policies has no ```toml example", f.Path)
	}
	sc, err := Parse(f.Path+" example", []byte(blocks[0].Text+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "my-service" || len(sc.Triggers) != 1 || sc.Clients.Jitter != "full" {
		t.Errorf("%s example parsed to %+v", f.Path, sc)
	}
}

// The netprop and nlb presets start when every lease was back (05:28 PDT)
// and turn NLB failover off and on at the published clock times; the nlb
// preset leaves the health-check settings to NLB's documented defaults.
func TestStagePresetsEncodeThePublishedFacts(t *testing.T) {
	pdt := time.FixedZone("", -7*3600)
	start := time.Date(2025, 10, 20, 5, 28, 0, 0, pdt)
	for _, n := range []string{"netprop", "nlb"} {
		sc, err := Load(n)
		if err != nil {
			t.Fatal(err)
		}
		if !sc.Start.Equal(start) {
			t.Errorf("%s: start %v, want %v", n, sc.Start, start)
		}
	}
	sc, _ := Load("nlb")
	for what, c := range map[string]struct {
		at   time.Duration
		want time.Time
	}{
		"failover off": {time.Duration(sc.NLB.FailoverOffAt), time.Date(2025, 10, 20, 9, 36, 0, 0, pdt)},
		"failover on":  {time.Duration(sc.NLB.FailoverOnAt), time.Date(2025, 10, 20, 14, 9, 0, 0, pdt)},
	} {
		if got := sc.Start.Add(c.at); !got.Equal(c.want) {
			t.Errorf("%s at %v, want %v", what, got, c.want)
		}
	}
	if sc.NLB.Interval != 0 || sc.NLB.Timeout != 0 || sc.NLB.HealthyThreshold != 0 || sc.NLB.UnhealthyThreshold != 0 ||
		sc.NLB.MinHealthy != 0 || sc.NLB.TTL != 0 {
		t.Errorf("the nlb preset sets health-check fields (%+v): leave them to NLB's documented defaults", sc.NLB)
	}
}

// A [netprop] or [nlb] scenario takes its load from its own section: no
// [[trigger]], no [clients], no second model section.
func TestStageSectionsStandAlone(t *testing.T) {
	text, _ := PresetText("nlb")
	for add, want := range map[string]string{
		"\n[[trigger]]\nkind = \"load-spike\"\nat = \"1m\"\nduration = \"1m\"\nfactor = 2\n": "[nlb] takes no [[trigger]]",
		"\n[clients]\nrate = 5\n":  "[nlb] and [clients] both set",
		"\n[netprop]\nsurge = 5\n": "2 set, at most one",
		"\n[dwfm]\ndroplets = 5\n": "2 set, at most one",
	} {
		_, err := Parse("x.toml", append(append([]byte{}, text...), add...))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("nlb preset plus %q: %v, want %q", add, err, want)
		}
	}
}

// TestHorizonInsideTrigger: a horizon that ends before (or as) a trigger
// ends is refused, naming both; one that ends after it is fine.
func TestHorizonInsideTrigger(t *testing.T) {
	const head = "name = \"x\"\n[clients]\nrate = 10\ntimeout = \"1s\"\n[service]\nworkers = 2\nservice_time = \"exp(10ms)\"\n[[trigger]]\nkind = \"load-spike\"\nat = \"10m\"\nduration = \"1h\"\nfactor = 2.0\n"
	for horizon, ok := range map[string]bool{"30m": false, "1h10m": false, "1h10m1s": true, "2h": true} {
		_, err := Parse("h.toml", []byte("horizon = \""+horizon+"\"\n"+head))
		if (err == nil) != ok || !ok && !strings.Contains(err.Error(), "ends at 1h10m0s (at 10m0s + duration 1h0m0s), not before the horizon") {
			t.Errorf("horizon %s: %v, want ok=%v", horizon, err, ok)
		}
	}
}
