package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench/scenario"
)

// TestAllLeavesOutClockPoliciesWithoutAClock: on a scenario with no start
// clock, --policies all drops the specs whose clock times cannot resolve and
// says which; on us-east-1 it keeps them.
func TestAllLeavesOutClockPoliciesWithoutAClock(t *testing.T) {
	specs := []string{"none", "operator", "queue-size", "deadline-drop+operator", "operator:at=20s"}
	for _, c := range []struct {
		preset string
		want   []string
		note   bool
	}{
		{"metastable", []string{"none", "queue-size", "operator:at=20s"}, true},
		{"us-east-1", specs, false},
	} {
		sc, err := scenario.Load(c.preset)
		if err != nil {
			t.Fatal(err)
		}
		var w bytes.Buffer
		got := withClock(&w, sc, specs)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: kept %v, want %v", c.preset, got, c.want)
		}
		if note := strings.Contains(w.String(), "leaving out operator, deadline-drop+operator"); note != c.note {
			t.Errorf("%s: note %q", c.preset, w.String())
		}
	}
}
