package bench

import (
	"fmt"
	"math"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/results"
)

// InvariantSameIdeal: the ideal bound depends only on the scenario and the
// seed (every droplet's phase, lease and work are the seed's draws), never
// on the policy, so runs of one seed at one point share it.
const InvariantSameIdeal = "ideal_s is the same for every policy of a seed"

// CheckIdeals tests InvariantSameIdeal over runs: among those of one
// scenario, vary values, droplets and seed, every ideal_s is the same (or
// every one missing). It returns a *model.Violation naming two runs that
// differ, nil when none do.
func CheckIdeals(ss []results.Summary) error {
	type point struct {
		scenario, vary string
		droplets       int
		seed           uint64
	}
	first := map[point]int{}
	for i, s := range ss {
		k := point{s.Scenario, s.Vary, s.Droplets, s.Seed}
		j, ok := first[k]
		if !ok {
			first[k] = i
			continue
		}
		a, b := ss[j].IdealS, s.IdealS
		if a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
			return &model.Violation{Invariant: InvariantSameIdeal, Detail: fmt.Sprintf("seed %d%s: ideal_s %g under %s, %g under %s",
				s.Seed, varyLabel(s.Vary), a, ss[j].Policy, b, s.Policy)}
		}
	}
	return nil
}

func varyLabel(v string) string {
	if v == "" {
		return ""
	}
	return " (" + v + ")"
}
