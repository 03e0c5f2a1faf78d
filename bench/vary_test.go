package bench

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseVarySplitsOutsideParentheses(t *testing.T) {
	v, err := ParseVary(" service.service_time = lognormal(7.5s,0.25), lognormal(22.5s,0.25) ,'a,b'")
	if err != nil {
		t.Fatal(err)
	}
	want := Vary{Key: "service.service_time", Values: []string{"lognormal(7.5s,0.25)", "lognormal(22.5s,0.25)", "'a,b'"}}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("got %+v, want %+v", v, want)
	}
	for in, msg := range map[string]string{"service.workers": "want KEY=v1,v2", "=2": "want KEY=", "k=1,,2": "an empty value", "k=": "an empty value", "k=1,1": "value 1 given twice"} {
		if _, err := ParseVary(in); err == nil || !strings.Contains(err.Error(), msg) || !strings.HasPrefix(err.Error(), "bench: ") {
			t.Errorf("ParseVary(%q): %v, want %q", in, err, msg)
		}
	}
}

// TestGridIsTheCrossProduct: the first Vary is outermost, labels name every
// value, and each point's scenario has its values set.
func TestGridIsTheCrossProduct(t *testing.T) {
	sc := usEast1(t)
	pts, err := Grid(sc, []Vary{{"dwfm.check_interval", []string{"90s", "270s"}}, {"service.workers", []string{"2", "4", "6"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 6 || pts[0].Label != "dwfm.check_interval=90s;service.workers=2" || pts[5].Label != "dwfm.check_interval=270s;service.workers=6" {
		t.Fatalf("points %d, first %q, last %q", len(pts), pts[0].Label, pts[len(pts)-1].Label)
	}
	if pts[4].Scenario.Service.Workers != 4 || pts[4].Scenario.DWFM.CheckInterval.String() != "4m30s" || sc.Service.Workers != 4 || sc.DWFM.CheckInterval.String() != "3m0s" {
		t.Fatalf("point 4: workers %d interval %v; original workers %d interval %v", pts[4].Scenario.Service.Workers, pts[4].Scenario.DWFM.CheckInterval, sc.Service.Workers, sc.DWFM.CheckInterval)
	}
	if one, err := Grid(sc, nil); err != nil || len(one) != 1 || one[0].Label != "" || one[0].Scenario != sc {
		t.Fatalf("no vary: %v %+v", err, one)
	}
	// Valid alone, invalid together: the TTL range must stay ordered.
	_, err = Grid(sc, []Vary{{"dwfm.lease_ttl_min", []string{"1m", "2h30m"}}, {"dwfm.lease_ttl_max", []string{"2h"}}})
	if err == nil || !strings.Contains(err.Error(), "combined with dwfm.lease_ttl_min=2h30m") {
		t.Fatalf("an invalid combination: %v", err)
	}
}
