package results

import (
	"fmt"
	"strings"
)

// SweepGrid checks that rows, read in order from the shards of a sweep
// (sweep --shard I/N, concatenated in the order of I), are the runs of ONE
// sweep: the grid `loadgen sweep` runs and writes, in its order — the
// points of its --vary values outermost (each point's rows sharing its vary
// label), then its policies (the same list, in the same order, at every
// point), then its seeds 1..S innermost — one scenario throughout, one
// droplet count at each point (and the same at every point unless --vary
// sets dwfm.droplets), and each shard holding exactly the slice of the
// runs that results.Shard.Cells gives it. A shard of a sweep with other
// --droplets, --policies, --seeds, --vary or scenario breaks one of these.
//
// The grid is told from the rows alone (nothing but the rows is in a shard
// file, so that the shards concatenated are byte for byte the file one
// machine writes). What the rows cannot show is not checked: a scenario
// file edited between shards under the same name, or a shard of another
// sweep whose runs happen to be the very runs this one's would be (the
// same scenario, policy, seed and droplets: the same deterministic run).
//
// Rows are added one at a time (Add), in memory that grows with the
// points and policies, not the rows; Close checks the end and the slices.
type SweepGrid struct {
	k        int    // rows so far
	seeds    int    // S; 0 until known (the first row of seed 1 after the first)
	scenario string // every row's
	// The current block (one policy at one point, seeds 1..S).
	policy, vary string
	droplets     int
	// Points: the first point's policies, the current point's position in
	// them, and every point's label.
	policies  []string
	first     bool // the first point is still being read: its policies are being listed
	pos       int  // the current point's policy index
	labels    map[string]bool
	pDroplets int  // the first point's droplets
	byVary    bool // --vary sets dwfm.droplets: points may differ in droplets
	err       error
}

// gridHint is what a shard of another sweep differs in.
const gridHint = "the shards are not one sweep: run every shard with the same --scenario, --policies, --seeds, --vary and --droplets"

// Add checks row s, line line of file name, the next row of the sweep.
func (g *SweepGrid) Add(name string, line int, s Summary) error {
	if g.err != nil {
		return g.err
	}
	fail := func(format string, a ...any) error {
		g.err = fmt.Errorf("%q line %d (%s): %s; %s", name, line, KeyOf(s), fmt.Sprintf(format, a...), gridHint)
		return g.err
	}
	k := g.k
	g.k++
	if k == 0 {
		g.scenario, g.labels, g.first = s.Scenario, map[string]bool{}, true
	}
	if s.Scenario != g.scenario {
		return fail("scenario %q, the first shard's is %q", s.Scenario, g.scenario)
	}
	// Seeds: 1..S over and over; S is known at the second seed 1.
	switch {
	case g.seeds == 0 && k > 0 && s.Seed == 1:
		g.seeds = k
	case g.seeds == 0 && s.Seed != uint64(k+1):
		return fail("seed %d where seed %d comes (seeds run 1..N, policy by policy)", s.Seed, k+1)
	case g.seeds > 0 && s.Seed != uint64(k%g.seeds+1):
		return fail("seed %d where seed %d comes (%d seeds a policy)", s.Seed, k%g.seeds+1, g.seeds)
	}
	if k > 0 && s.Seed != 1 { // within a block: the block's policy, point and droplets
		switch {
		case s.Policy != g.policy:
			return fail("policy %q among the seeds of %q", s.Policy, g.policy)
		case s.Vary != g.vary:
			return fail("vary %q among the seeds of vary %q", s.Vary, g.vary)
		case s.Droplets != g.droplets:
			return fail("droplets %s among the seeds of a run of %s", gridDroplets(s.Droplets), gridDroplets(g.droplets))
		}
		return nil
	}
	// A new block: the next policy at this point, or the first of the next.
	newPoint := k == 0 || s.Vary != g.vary
	if newPoint {
		if k > 0 {
			if err := g.endPoint(fail); err != nil {
				return err
			}
			g.first = false
		}
		if g.labels[s.Vary] {
			return fail("vary %q again, after vary %q", s.Vary, g.vary)
		}
		g.labels[s.Vary] = true
		g.pos = 0
		if k == 0 {
			g.pDroplets = s.Droplets
			g.byVary = strings.Contains(s.Vary, "dwfm.droplets=")
		} else if !g.byVary && s.Droplets != g.pDroplets {
			return fail("droplets %s, the first shard's runs have %s", gridDroplets(s.Droplets), gridDroplets(g.pDroplets))
		}
	} else {
		if s.Droplets != g.droplets {
			return fail("droplets %s, the runs of vary %q before it have %s", gridDroplets(s.Droplets), g.vary, gridDroplets(g.droplets))
		}
		g.pos++
	}
	if g.first {
		for _, p := range g.policies {
			if p == s.Policy {
				return fail("policy %q again at the same point (policies run once each)", s.Policy)
			}
		}
		g.policies = append(g.policies, s.Policy)
	} else if g.pos >= len(g.policies) {
		return fail("policy %q, which the first point did not run (it ran %s; every point runs the same policies)", s.Policy, strings.Join(g.policies, ","))
	} else if g.policies[g.pos] != s.Policy {
		return fail("policy %q where %s comes (every point runs %s, in order)", s.Policy, g.want(), strings.Join(g.policies, ","))
	}
	g.policy, g.vary, g.droplets = s.Policy, s.Vary, s.Droplets
	return nil
}

// want names the policy the current point lacks.
func (g *SweepGrid) want() string { return fmt.Sprintf("%q", g.policies[g.pos]) }

// endPoint checks that the point ending has every policy.
func (g *SweepGrid) endPoint(fail func(string, ...any) error) error {
	if !g.first && g.pos != len(g.policies)-1 {
		g.pos++
		return fail("a new point, but vary %q lacks policy %s", g.vary, g.want())
	}
	return nil
}

// Close checks that the rows end with a whole grid and that shard i of the
// n = len(rows) shards holds rows[i] of them, its slice of the runs.
func (g *SweepGrid) Close(rows []int) error {
	if g.err != nil {
		return g.err
	}
	total := g.k
	seeds := g.seeds
	if seeds == 0 {
		seeds = max(total, 1)
	}
	switch {
	case total%seeds != 0:
		return fmt.Errorf("%d runs in all, not a whole number of policies of %d seeds; %s", total, seeds, gridHint)
	case total > 0 && !g.first && g.pos != len(g.policies)-1:
		return fmt.Errorf("the last point, vary %q, lacks policy %q; %s", g.vary, g.policies[g.pos+1], gridHint)
	}
	n := len(rows)
	for i, got := range rows {
		q, r := total/n, total%n
		want := q
		if i < r {
			want++
		}
		if got != want {
			return fmt.Errorf("shard %d of %d holds %d runs; of a sweep of %d runs it holds %d; %s", i, n, got, total, want, gridHint)
		}
	}
	return nil
}

// gridDroplets is a droplet count for a message.
func gridDroplets(d int) string {
	if d < 0 {
		return "none"
	}
	return fmt.Sprint(d)
}
