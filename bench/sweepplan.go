package bench

// SweepPlan is a sweep's cells: each point of a grid (a scenario and its vary
// values) under each policy with each seed 1 … Seeds, points outermost, then
// policies, then seeds. Cell i is the i-th run one machine runs and writes;
// a shard runs a contiguous slice of them (results.Shard.Cells).
type SweepPlan struct {
	Points   []Point
	Policies []string // specs
	Seeds    int
	Droplets int         // Run.Droplets of every run
	Limits   Limits      // Run.Limits of every run
	Stop     func() bool // Run.Stop of every run, and SweepFunc's stop
}

// PlanRuns is the number of runs a sweep of policies × seeds over the
// cross product of vs would make, counted before the grid is built so that
// a cross product too large to hold is refused before it takes memory; combos
// is the number of points (capped just above limit).
func PlanRuns(vs []Vary, policies, seeds, limit int) (runs float64, combos int) {
	combos = 1
	for _, v := range vs {
		if combos > limit/max(len(v.Values), 1) {
			combos = limit + 1
			break
		}
		combos *= max(len(v.Values), 1)
	}
	return float64(combos) * float64(policies) * float64(seeds), combos
}

// Cells is the number of cells: points × policies × seeds.
func (p SweepPlan) Cells() int { return len(p.Points) * len(p.Policies) * p.Seeds }

// Cell is cell i's point, policy (indexes into Points and Policies) and seed.
func (p SweepPlan) Cell(i int) (point, policy int, seed uint64) {
	perPoint := len(p.Policies) * p.Seeds
	return i / perPoint, i % perPoint / p.Seeds, uint64(i%p.Seeds + 1)
}

// Run is cell i's run.
func (p SweepPlan) Run(i int) Run {
	pt, pol, seed := p.Cell(i)
	return Run{Scenario: p.Points[pt].Scenario, Policy: p.Policies[pol], Seed: seed, Droplets: p.Droplets, Stop: p.Stop, Limits: p.Limits}
}

// Events is the estimated events of cells [lo, hi), given each point's and
// policy's estimate by point then policy (events[point*len(Policies)+policy]).
func (p SweepPlan) Events(lo, hi int, events []float64) float64 {
	total := 0.0
	for i := lo; i < hi; i++ {
		pt, pol, _ := p.Cell(i)
		total += events[pt*len(p.Policies)+pol]
	}
	return total
}

// Sweep executes cells [lo, hi) with up to parallel at a time (SweepFunc,
// stopping when Stop returns true); done gets each cell's number and
// outcome, its Summary.Vary set to the point's label.
func (p SweepPlan) Sweep(lo, hi, parallel int, done func(i int, o Outcome)) error {
	return SweepFunc(hi-lo, parallel, func(j int) Run { return p.Run(lo + j) }, p.Stop, func(j int, o Outcome) {
		pt, _, _ := p.Cell(lo + j)
		o.Summary.Vary = p.Points[pt].Label
		done(lo+j, o)
	})
}
