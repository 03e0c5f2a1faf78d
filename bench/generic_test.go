package bench

import (
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench/scenario"
)

// genericPolicies is every policy of a sweep that applies to a generic
// model (failover-off does not), with the operators acting at an offset
// (the generic presets have no clock for the default 04:14).
func genericPolicies() []string {
	var ps []string
	for _, p := range AllPolicies() {
		if strings.Contains(p, "failover-off") {
			continue
		}
		ps = append(ps, strings.Replace(p, "operator", "operator:at=20s", 1))
	}
	return ps
}

// cutWithGrowth is a second generic scenario: a capacity cut on a service
// whose service time grows with its queue.
const cutWithGrowth = `
name = "cut-growth"
horizon = "40s"
interval = "1s"
[clients]
rate = 600
timeout = "200ms"
max_attempts = 3
[service]
workers = 8
service_time = "exp(10ms)"
growth_per_queued = "100us"
max_service_time = "1s"
[[trigger]]
kind = "capacity-cut"
at = "5s"
duration = "2s"
workers = 4
`

// TestGenericIdealIsPolicyFreeAndNeverBeaten: on metastable and on a
// capacity cut with growth, every policy and seed gets the same ideal, and
// no run recovers faster than it. On metastable, none does not recover.
func TestGenericIdealIsPolicyFreeAndNeverBeaten(t *testing.T) {
	meta, err := scenario.Load("metastable")
	if err != nil {
		t.Fatal(err)
	}
	cut, err := scenario.Parse("cut-growth", []byte(cutWithGrowth))
	if err != nil {
		t.Fatal(err)
	}
	seeds := []uint64{1, 2, 3}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, sc := range []*scenario.Scenario{meta, cut} {
		ideal, recovered := -1.0, 0
		for _, p := range genericPolicies() {
			for _, seed := range seeds {
				o, err := Run{Scenario: sc, Policy: p, Seed: seed}.Execute()
				if err != nil {
					t.Fatalf("%s %s seed %d: %v", sc.Name, p, seed, err)
				}
				s := o.Summary
				if !(s.IdealS > 0) {
					t.Fatalf("%s %s seed %d: no ideal (%v)", sc.Name, p, seed, s.IdealS)
				}
				if ideal < 0 {
					ideal = s.IdealS
				}
				if s.IdealS != ideal {
					t.Errorf("%s %s seed %d: ideal %v, another policy's %v", sc.Name, p, seed, s.IdealS, ideal)
				}
				if s.Recovered {
					recovered++
					if r := s.Ratio(); !(r >= 1) {
						t.Errorf("%s %s seed %d: recovered in %v s, ratio %v below 1", sc.Name, p, seed, s.RecoveryS, r)
					}
				}
				if sc == meta && p == "none" && s.Recovered {
					t.Errorf("metastable none seed %d: recovered in %v s; want collapsed", seed, s.RecoveryS)
				}
			}
		}
		if recovered == 0 {
			t.Errorf("%s: no run recovered; the test checks nothing", sc.Name)
		}
		t.Logf("%s: ideal %v s, %d runs recovered", sc.Name, ideal, recovered)
	}
}
