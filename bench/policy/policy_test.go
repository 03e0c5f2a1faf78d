package policy

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

var env = Env{Capacity: 0.25, Workers: 4, Timeout: 30 * time.Minute,
	Start: time.Date(2025, 10, 19, 23, 48, 0, 0, time.FixedZone("PDT", -7*3600))}

func TestBuildResolvesDefaultsAndUnits(t *testing.T) {
	h, err := Build("operator", env)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Interventions) != 1 || !h.Interventions[0].Restart || h.Admit != nil {
		t.Fatalf("operator hooks %+v: want one restart intervention and no initial throttle", h)
	}
	// 04:14 is 4h26m after 23:48 the day before.
	if got, want := h.Interventions[0].At, sim.Time(4*time.Hour+26*time.Minute); got != want {
		t.Errorf("operator at %v, want %v", got, want)
	}
	h, _ = Build("operator:at=1h", env)
	if h.Interventions[0].At != sim.Time(time.Hour) {
		t.Errorf("operator:at=1h at %v", h.Interventions[0].At)
	}
	h, err = Build("queue-size+operator:restart=false", env)
	if err != nil || h.Admit == nil || h.Interventions[0].Restart {
		t.Fatalf("composition: %+v, %v", h, err)
	}
	// Each station gets its own control.
	if a, b := h.Admit(0), h.Admit(1); a == b {
		t.Error("stations share one admission control")
	}
}

func TestParseErrors(t *testing.T) {
	for spec, want := range map[string]string{
		"":                           "empty policy",
		"magic":                      `unknown policy "magic"`,
		"queue-size:":                "empty parameter list",
		"queue-size:limit":           "want key=value",
		"queue-size:lim=3":           `unknown parameter "lim"`,
		"queue-size:limit=0":         "whole number",
		"vegas:probe-multiplier=-1":  "whole number from 0 to 1048576",
		"queue-size:limit=3,limit=4": "given twice",
		"token-bucket:rate=fast":     "rate above 0",
		"operator:at=25:00":          "clock time",
		"operator:restart=yes":       "true or false",
		"none+queue-size":            "cannot be combined",
		"queue-size+token-bucket":    "both set the admission role",
		"Queue-Size":                 "want name",
	} {
		_, err := Parse(spec)
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, ErrSpec) {
			t.Errorf("Parse(%q) = %v, want ErrSpec containing %q", spec, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("Parse(%q): multi-line error %q", spec, err)
		}
	}
}

func TestEveryRegisteredPolicyBuildsWithDefaults(t *testing.T) {
	for _, n := range Names() {
		if _, err := Build(n, env); err != nil {
			t.Errorf("%s with defaults: %v", n, err)
		}
		d, _ := Lookup(n)
		if d.Doc == "" || d.Source == "" {
			t.Errorf("%s lacks doc or source", n)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"none", "operator", "queue-size:rate=2x,limit=16", "token-bucket:rate=0.5,burst=3+operator:at=04:14", "a:b=c,d", "x+y+z", ":=,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		parts, err := Parse(spec)
		if err != nil {
			if !errors.Is(err, ErrSpec) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Parse(%q): %v", spec, err)
			}
			return
		}
		if _, err := Build(spec, env); err != nil && !errors.Is(err, ErrSpec) {
			t.Fatalf("Build(%q) after a clean Parse (%v): %v", spec, parts, err)
		}
	})
}

// TestCountsTakeMultiplesOfTheWorkers: a count parameter given as "Nw" is N
// times a station's workers, as the defaults are written, and a bad
// multiple is refused with the parameter named.
func TestCountsTakeMultiplesOfTheWorkers(t *testing.T) {
	h, err := Build("bounded:capacity=3w", env)
	if err != nil {
		t.Fatal(err)
	}
	if h.Queue.Capacity != 3*env.Workers {
		t.Errorf("bounded:capacity=3w gives capacity %d, want %d", h.Queue.Capacity, 3*env.Workers)
	}
	for _, bad := range []string{"bounded:capacity=0w", "bounded:capacity=xw", "bounded:capacity=2000000w"} {
		if _, err := Build(bad, env); err == nil || !strings.Contains(err.Error(), "multiple of the workers") {
			t.Errorf("%s: %v, want a refusal naming multiples of the workers", bad, err)
		}
	}
}

// The velocity policy paces capacity removal: its cap is a share of the
// capacity in service (a count of units is refused: a count small against a
// large fleet is all of a small one), its window is shared with its retry
// part, and single targets are paced only when asked (targets=true).
func TestVelocityCapIsAShareOfCapacityInService(t *testing.T) {
	now := time.Unix(0, 0)
	for spec, want := range map[string]float64{
		"velocity:cap=10%,window=5m":  10, // of 100 in service
		"velocity:cap=0.5%,window=5m": 0.5,
		"velocity:cap=100%":           100,
		"velocity":                    10, // the 10% default
	} {
		h, err := Build(spec, env)
		if err != nil {
			t.Fatal(err)
		}
		if h.Velocity == nil || h.Retry == nil || h.VelocityTargets {
			t.Fatalf("%s: velocity %v, retry gate %v, targets %v: want both parts, AZ failover only", spec, h.Velocity != nil, h.Retry != nil, h.VelocityTargets)
		}
		v := h.Velocity()
		if got := v.Remaining(now, 100); got < want-1e-9 || got > want+1e-9 {
			t.Errorf("%s with 100 in service: %v may leave, want %v", spec, got, want)
		}
		if got := v.Remaining(now, 1000); got < 10*want-1e-9 || got > 10*want+1e-9 {
			t.Errorf("%s with 1000 in service: %v may leave, want %v", spec, got, 10*want)
		}
	}
	h, err := Build("velocity:cap=2%,window=5m,targets=true", env)
	if err != nil || !h.VelocityTargets || h.Velocity().Window() != 5*time.Minute {
		t.Fatalf("targets=true: %v, targets %v", err, h.VelocityTargets)
	}
	for _, spec := range []string{"velocity:cap=0%", "velocity:cap=101%", "velocity:cap=0", "velocity:cap=7", "velocity:cap=ten"} {
		if _, err := Parse(spec); err == nil || !errors.Is(err, ErrSpec) {
			t.Errorf("Parse(%q) = %v, want ErrSpec", spec, err)
		}
	}
}

// failover-off switches failover off and back on at the published clock
// times by default; until must come after at.
func TestFailoverOffAtThePublishedTimes(t *testing.T) {
	h, err := Build("failover-off", env)
	if err != nil {
		t.Fatal(err)
	}
	// 09:36 and 14:09 are 9h48m and 14h21m after 23:48 the day before.
	if len(h.Interventions) != 2 || h.Interventions[0].At != sim.Time(9*time.Hour+48*time.Minute) ||
		h.Interventions[1].At != sim.Time(14*time.Hour+21*time.Minute) ||
		h.Interventions[0].Failover != model.FailoverOff || h.Interventions[1].Failover != model.FailoverOn {
		t.Fatalf("failover-off interventions %+v", h.Interventions)
	}
	if _, err := Build("failover-off:at=2h,until=1h", env); err == nil || !errors.Is(err, ErrSpec) {
		t.Fatalf("until before at: %v", err)
	}
	if _, err := Build("failover-off:at=14:30,until=14:09", env); err == nil || !errors.Is(err, ErrSpec) {
		t.Fatalf("until 14:09 given, before at 14:30: %v", err)
	}
}

// TestFailoverOffLateWithoutUntil: a switch at or after the default until
// (14:09) with no until given stays off to the horizon (one intervention),
// rather than being refused for an until the spec never set; before 14:09
// the default until still applies.
func TestFailoverOffLateWithoutUntil(t *testing.T) {
	for _, at := range []string{"14:09", "14:30", "15h"} {
		h, err := Build("failover-off:at="+at, env)
		if err != nil {
			t.Fatalf("at=%s without until: %v", at, err)
		}
		if len(h.Interventions) != 1 || h.Interventions[0].Failover != model.FailoverOff {
			t.Errorf("at=%s without until: %+v, want failover off only", at, h.Interventions)
		}
	}
	h, err := Build("failover-off:at=12:00", env)
	if err != nil || len(h.Interventions) != 2 || h.Interventions[1].At != sim.Time(14*time.Hour+21*time.Minute) {
		t.Errorf("at=12:00 without until: %+v, %v; want back on at 14:09", h.Interventions, err)
	}
}
