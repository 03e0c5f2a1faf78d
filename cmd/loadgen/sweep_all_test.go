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
func TestAllLeavesOutPoliciesTheScenarioCannotTake(t *testing.T) {
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
		got := buildable(&w, sc, specs)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: kept %v, want %v", c.preset, got, c.want)
		}
		if note := strings.Contains(w.String(), "leaving out operator, deadline-drop+operator"); note != c.note {
			t.Errorf("%s: note %q", c.preset, w.String())
		}
	}
}

// mm1's clients have no timeout, and deadline-drop's default is theirs: it is
// left out of --policies all with its reason, the rest kept.
func TestAllLeavesOutAPolicyWithoutItsDefault(t *testing.T) {
	sc, err := scenario.Load("mm1")
	if err != nil {
		t.Fatal(err)
	}
	var w bytes.Buffer
	got := buildable(&w, sc, []string{"none", "deadline-drop", "queue-size", "deadline-drop:timeout=1s"})
	if want := []string{"none", "queue-size", "deadline-drop:timeout=1s"}; !slices.Equal(got, want) {
		t.Errorf("kept %v, want %v", got, want)
	}
	if !strings.Contains(w.String(), "leaving out deadline-drop: ") || !strings.Contains(w.String(), "timeout") {
		t.Errorf("note %q does not name deadline-drop and why", w.String())
	}
}
