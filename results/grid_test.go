package results

import (
	"fmt"
	"strings"
	"testing"
)

// sweepRows are the rows one machine writes for a sweep: points (vary
// labels) outermost, then policies, then seeds 1..seeds; droplets per
// point.
func sweepRows(scenario string, policies []string, seeds int, points []string, droplets func(point int) int) []Summary {
	var out []Summary
	for j, v := range points {
		for _, p := range policies {
			for s := 1; s <= seeds; s++ {
				out = append(out, Summary{Scenario: scenario, Policy: p, Vary: v, Seed: uint64(s), Droplets: droplets(j), Complete: true})
			}
		}
	}
	return out
}

// split cuts rows into n shards as Shard.Cells does.
func split(rows []Summary, n int) [][]Summary {
	var out [][]Summary
	q, r := len(rows)/n, len(rows)%n
	lo := 0
	for i := range n {
		hi := lo + q
		if i < r {
			hi++
		}
		out = append(out, rows[lo:hi])
		lo = hi
	}
	return out
}

// checkGrid runs shards through a SweepGrid.
func checkGrid(shards [][]Summary) error {
	var g SweepGrid
	var counts []int
	for i, sh := range shards {
		for k, s := range sh {
			if err := g.Add(fmt.Sprintf("sweep.shard-%d-of-%d.csv", i, len(shards)), k+2, s); err != nil {
				return err
			}
		}
		counts = append(counts, len(sh))
	}
	return g.Close(counts)
}

func same(d int) func(int) int { return func(int) int { return d } }

// TestSweepGridOneSweep: the shards of one sweep pass, whatever the number
// of shards (empty ones too), seeds, policies and points, with droplets
// varied by --vary dwfm.droplets.
func TestSweepGridOneSweep(t *testing.T) {
	for _, rows := range [][]Summary{
		sweepRows("us-east-1", []string{"none", "queue-size"}, 4, []string{""}, same(10000)),
		sweepRows("us-east-1", []string{"none"}, 1, []string{""}, same(10000)),
		sweepRows("us-east-1", []string{"none", "aimd", "reserve"}, 1, []string{""}, same(-1)),
		sweepRows("spiky", []string{"none", "queue-size"}, 2, []string{"trigger.1.duration=100ms", "trigger.1.duration=1s"}, same(-1)),
		sweepRows("us-east-1", []string{"none", "queue-size"}, 3, []string{"dwfm.droplets=1000", "dwfm.droplets=2000"},
			func(j int) int { return 1000 * (j + 1) }),
		nil,
	} {
		for _, n := range []int{1, 2, 3, 7, 13} {
			if err := checkGrid(split(rows, n)); err != nil {
				t.Errorf("%d rows in %d shards: %v", len(rows), n, err)
			}
		}
	}
}

// TestSweepGridRefusesAnotherSweep: a shard of a sweep with other
// --droplets, --policies, --seeds, --vary or scenario, in place of this
// sweep's, is refused with one line naming the file, its row and what is
// off.
func TestSweepGridRefusesAnotherSweep(t *testing.T) {
	pols := []string{"none", "queue-size"}
	base := sweepRows("us-east-1", pols, 4, []string{""}, same(10000))
	for _, c := range []struct {
		name  string
		other []Summary
		want  string
	}{
		{"droplets", sweepRows("us-east-1", pols, 4, []string{""}, same(20000)), "droplets 20000"},
		{"policies", sweepRows("us-east-1", []string{"none", "reserve", "queue-size"}, 4, []string{""}, same(10000)), "policy"},
		{"seeds", sweepRows("us-east-1", pols, 3, []string{""}, same(10000)), "seed"},
		{"scenario", sweepRows("metastable", pols, 4, []string{""}, same(10000)), "scenario"},
		{"vary", sweepRows("us-east-1", pols, 2, []string{"service.workers=2", "service.workers=4"}, same(10000)), ""},
	} {
		shards := split(base, 3)
		shards[1] = split(c.other, 3)[1]
		err := checkGrid(shards)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "not one sweep") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v; want one line naming %q", c.name, err, c.want)
		}
	}
	// The runs of the sweep, but not each shard's slice: 8 runs in 3
	// shards are 3, 3, 2, not 2, 4, 2.
	if err := checkGrid([][]Summary{base[:2], base[2:6], base[6:]}); err == nil || !strings.Contains(err.Error(), "shard 0 of 3 holds 2 runs") {
		t.Errorf("slices 2, 4, 2: %v", err)
	}
	// A point that lacks a policy, and a point given twice.
	v := sweepRows("spiky", pols, 1, []string{"x=1", "x=2"}, same(-1))
	if err := checkGrid([][]Summary{append(v[:1:1], v[2:]...)}); err == nil || !strings.Contains(err.Error(), "which the first point did not run") {
		t.Errorf("a point without queue-size: %v", err)
	}
	if err := checkGrid([][]Summary{append(append([]Summary{}, v...), v[:2]...)}); err == nil || !strings.Contains(err.Error(), "again") {
		t.Errorf("a point twice: %v", err)
	}
}

// TestSweepGridNamesTheMissingPolicy: a later point that ends without one
// of the first point's policies is named.
func TestSweepGridNamesTheMissingPolicy(t *testing.T) {
	v := sweepRows("spiky", []string{"none", "queue-size"}, 1, []string{"x=1", "x=2", "x=3"}, same(-1))
	if err := checkGrid([][]Summary{append(v[:3:3], v[4:]...)}); err == nil || !strings.Contains(err.Error(), `vary "x=2" lacks policy "queue-size"`) {
		t.Errorf("x=2 without queue-size: %v", err)
	}
	if err := checkGrid([][]Summary{v[:5]}); err == nil || !strings.Contains(err.Error(), `the last point, vary "x=3", lacks policy "queue-size"`) {
		t.Errorf("x=3 without queue-size: %v", err)
	}
}
