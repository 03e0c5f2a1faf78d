package scenario

import (
	"errors"
	"strings"
	"testing"
	"time"
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
			t.Errorf("preset file %s.scn names itself %q", n, sc.Name)
		}
		if sc.Description == "" {
			t.Errorf("preset %s has no description", n)
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
	if end := sc.Start.Add(sc.Horizon); !end.Equal(time.Date(2025, 10, 20, 14, 20, 0, 0, pdt)) {
		t.Errorf("horizon ends at %v, want 14:20 PDT", end)
	}
	if len(sc.Triggers) != 1 || sc.Triggers[0].Kind != "dependency-outage" || sc.Triggers[0].Duration != 2*time.Hour+37*time.Minute {
		t.Errorf("triggers %+v, want one 2h37m dependency outage", sc.Triggers)
	}
	// Leases decay over the published 23:48 -> 02:24 window.
	if sc.DWFM.LeaseTTLMax != 2*time.Hour+36*time.Minute {
		t.Errorf("lease_ttl_max %v, want 2h36m", sc.DWFM.LeaseTTLMax)
	}
	text, _ := PresetText("us-east-1")
	if n := strings.Count(string(text), "ASSUMED"); n < 5 {
		t.Errorf("us-east-1.scn marks %d assumptions, want every assumed parameter marked", n)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"name = x\nhorizon = 1h\n", "no load"},
		{"name = x\nhorizon = 1h\n[clients]\nrate = 5\n[dwfm]\ndroplets = 10\n", "[dwfm] and [clients] both set"},
		{"name = x\nhorizon = 1h\n[clientz]\n", "unknown section [clientz]"},
		{"horizon = 1h\n[clients]\nrate = 1\n", `missing required key "name"`},
	} {
		_, err := Parse("t.scn", []byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want error containing %q", c.text, err, c.want)
		}
	}
	if _, err := Load("no-such-preset-or-file"); err == nil || !strings.Contains(err.Error(), "us-east-1") {
		t.Errorf("Load of a missing name: %v, want an error listing the presets", err)
	}
	_, err := Parse("t.scn", []byte("name = x\nhorizon = 1h\n[clients]\nrate = 1\nbogus = 2\n"))
	if !errors.Is(err, ErrSyntax) {
		t.Errorf("unknown key error %v is not ErrSyntax", err)
	}
}
