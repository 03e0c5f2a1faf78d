package predict

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
)

// Verdict is what the fluid model says of recovery after the trigger.
type Verdict uint8

// Verdicts.
const (
	StaysCollapsed Verdict = iota // no recovery by the horizon
	Recovers                      // the recovery condition holds from Recovery on
	Undefined                     // no trigger: recovery is not defined (generic)
	Undetermined                  // too few arrivals after the trigger to judge (generic), as the simulator says
)

func (v Verdict) String() string {
	switch v {
	case Recovers:
		return "recovers"
	case Undefined:
		return "undefined"
	case Undetermined:
		return "undetermined (too few arrivals)"
	}
	return "stays collapsed"
}

// Options are how a prediction is made.
type Options struct {
	// Droplets overrides a DWFM scenario's fleet (as bench.Run.Droplets);
	// 0: the scenario's.
	Droplets int
	// Trajectory records about 2,000 points of the predicted trajectory.
	Trajectory bool
}

// Prediction is the fluid model's answer for a scenario under a policy.
type Prediction struct {
	Model      string // "service" or "dwfm"
	Policy     string
	Verdict    Verdict
	Recovery   time.Duration // from TriggerEnd, when Recovers
	TriggerEnd time.Duration
	Fixed      FixedPoints // of the system after the trigger
	Trajectory []Point     // when Options.Trajectory
	Ledger     Ledger      // the conservation bookkeeping of the run
	Steps      int         // integration steps taken
	Step       time.Duration
	// Notes are warnings the prediction comes with: the policy's caveats
	// on the scenario (policy.Caveats, as the simulator prints them) and
	// where the prediction is outside the validation's claim.
	Notes []string
	// Outside says why the prediction is outside the validation's claim
	// (its verdict and its 15% on the recovery), when it is: a regime the
	// mean field is known to miss, detected in this run. Empty: within.
	Outside []string
}

// simRefused is the simulator's refusal of a run, as predict's error.
type simRefused struct{ err error }

func (e *simRefused) Error() string {
	return "predict: " + strings.TrimPrefix(e.err.Error(), "bench: ")
}

func (e *simRefused) Unwrap() error { return e.err }

// Predict runs the fluid model of sc under spec. The scenario must be
// valid (scenario.Parse or Load made it); what the fluid model cannot take
// is an error starting "predict: ", one line, with the numbers.
func Predict(sc *scenario.Scenario, spec string, o Options) (Prediction, error) {
	in := sc
	sc, err := prepare(sc, o.Droplets)
	if err != nil {
		return Prediction{}, err
	}
	// The simulator's own check of the run first: a spec it refuses (a
	// parameter out of range, a part that does not apply to the model) is
	// refused here too, before any fluid law is looked for.
	run := bench.Run{Scenario: in, Policy: spec, Seed: 1, Droplets: o.Droplets}
	if _, err := run.Estimate(); err != nil {
		return Prediction{}, &simRefused{err}
	}
	law, err := ParseLaw(spec, stationOf(sc))
	if err != nil {
		return Prediction{}, err
	}
	pr := Prediction{Policy: spec, Notes: run.Caveats()}
	if pr.Policy == "" {
		pr.Policy = "none"
	}
	if sc.DWFM.Enabled() {
		l, err := newLease(sc, law)
		if err != nil {
			return Prediction{}, err
		}
		pr.Model = "dwfm"
		pr.TriggerEnd = sec(l.end)
		r, err := l.run(o.Trajectory)
		if err != nil {
			return Prediction{}, err
		}
		pr.Steps, pr.Step = r.last+1, sec(r.dt)
		if r.recovered >= 0 {
			pr.Verdict, pr.Recovery = Recovers, sec(r.recovered)
		}
		pr.Trajectory, pr.Ledger = r.traj, r.led
		pr.Fixed = l.fixed()
		pr.Outside = l.outside(r, pr.Fixed)
		return pr, nil
	}
	g, err := newGeneric(sc, law)
	if err != nil {
		return Prediction{}, err
	}
	pr.Model = "service"
	pr.Fixed = g.fixed()
	if len(g.windows) == 0 {
		pr.Verdict = Undefined
		return pr, nil
	}
	from := g.triggerEnd()
	pr.TriggerEnd = sec(from)
	sep := pr.Fixed.Separatrix()
	if pr.Fixed.Regime() == "collapsed" { // no healthy state to return to
		sep = 0
	}
	r, err := g.run(o.Trajectory, sep)
	if err != nil {
		return Prediction{}, err
	}
	pr.Steps, pr.Step = r.steps, sec(r.dt)
	pr.Trajectory, pr.Ledger = r.traj, r.ledger()
	rec, v := g.judge(r, from)
	pr.Verdict = v
	if v == Recovers {
		pr.Recovery = sec(rec)
	}
	return pr, nil
}

func sec(s float64) time.Duration { return time.Duration(math.Round(s * 1e9)) }

// prepare checks what the fluid models take and applies the droplet count.
func prepare(in *scenario.Scenario, droplets int) (*scenario.Scenario, error) {
	if in == nil {
		return nil, fmt.Errorf("predict: no scenario")
	}
	sc := *in
	if droplets < 0 {
		return nil, fmt.Errorf("predict: droplets %d below 0", droplets)
	}
	if droplets > 0 {
		if !sc.DWFM.Enabled() {
			return nil, fmt.Errorf("predict: droplets %d given but scenario %s has no [dwfm] section", droplets, sc.Name)
		}
		sc.DWFM.Droplets = droplets
	}
	if err := sc.Validate(); err != nil {
		return nil, fmt.Errorf("predict: %w", err)
	}
	switch {
	case sc.NetProp.Enabled():
		return nil, fmt.Errorf("predict: scenario %s is a Network Manager (netprop) model; the fluid models cover the generic service and DWFM", sc.Name)
	case sc.NLB.Enabled():
		return nil, fmt.Errorf("predict: scenario %s is an NLB model; the fluid models cover the generic service and DWFM", sc.Name)
	}
	for i, t := range sc.Triggers {
		if t.Kind == model.DNSRace {
			return nil, fmt.Errorf("predict: scenario %s: trigger %d is a dns-race, whose outage each seed's race decides; give the outage as a dependency-outage to predict it", sc.Name, i+1)
		}
	}
	return &sc, nil
}

// stationOf is what a policy's parameters resolve against in sc.
func stationOf(sc *scenario.Scenario) Station {
	st := Station{Capacity: sc.Service.Capacity(), Workers: sc.Service.Workers, MeanService: sc.Service.ServiceTime.Mean().Duration(), Start: sc.Start}
	if sc.DWFM.Enabled() {
		st.Timeout = time.Duration(sc.DWFM.EstablishTimeout)
	} else {
		st.Timeout = time.Duration(sc.Clients.Timeout)
	}
	return st
}

// judge applies the generic recovery condition (model.Sustained) to the
// fluid run's health buckets: windows of W (100 buckets) from the trigger's
// end; a window is unhealthy when less than model.Healthy of its arrivals
// are good, healthy when at least that and at least model.MinEvidence
// arrivals, silent otherwise; recovery is the end of the first healthy
// window after the last unhealthy one, judged up to the horizon less one
// window (or, when the run settled early, with the settled state carried to
// the horizon). As the simulator's: StaysCollapsed when the last window
// judged is unhealthy, Undetermined when no window could be judged or every
// one after the last unhealthy one was silent (too few arrivals).
func (g *generic) judge(r *genRun, from float64) (float64, Verdict) {
	b := r.bucket
	first := int(math.Round(from / b))
	last := int(math.Floor((g.horizon - g.window) / b)) // the last window edge judged
	in, out := cursor{segs: r.buckets}, cursor{segs: r.buckets}
	firstGood, judged := -1, -1
	bad := false
	var sa, sg float64
	for e := first + 1; e <= last; e++ {
		i := e - 1 // the bucket entering the window
		a, gd, _ := in.at(i)
		sa += a
		sg += gd
		if o := i - model.WindowBuckets; o >= first {
			a, gd, _ := out.at(o)
			sa -= a
			sg -= gd
		}
		if e-first < model.WindowBuckets {
			continue
		}
		judged = e
		bad = sg < model.Healthy*sa-1e-9
		switch {
		case bad:
			firstGood = -1
		case sa >= model.MinEvidence && firstGood < 0:
			firstGood = e
		}
		// A window wholly inside a run of equal buckets is judged as every
		// later one inside it: go to the last such edge (its sums are these).
		_, _, end := in.at(i)
		if lo := i - model.WindowBuckets + 1; lo >= in.start() && end > i+1 {
			if end == math.MaxInt || end >= last {
				if bad {
					return 0, StaysCollapsed
				}
				break
			}
			e = end // the last edge inside; the loop's e++ enters bucket end
		}
	}
	switch {
	case judged < 0:
		return 0, Undetermined
	case bad:
		return 0, StaysCollapsed
	case firstGood < 0:
		return 0, Undetermined
	}
	return float64(firstGood-first) * b, Recovers
}

// cursor reads health buckets in increasing order from their segments;
// past the last one the last bucket holds (the run settled and stopped).
type cursor struct {
	segs []segment
	k    int
}

// at is bucket i's arrivals and good arrivals, and the end of the run of
// equal buckets holding it (math.MaxInt past the last segment).
func (c *cursor) at(i int) (arr, good float64, end int) {
	if len(c.segs) == 0 {
		return 0, 0, math.MaxInt
	}
	for c.k < len(c.segs)-1 && c.segs[c.k].from+c.segs[c.k].n <= i {
		c.k++
	}
	s := c.segs[c.k]
	if i >= s.from+s.n { // settled: the last bucket holds
		return s.arr, s.good, math.MaxInt
	}
	end = s.from + s.n
	if c.k == len(c.segs)-1 {
		end = math.MaxInt
	}
	return s.arr, s.good, end
}

// start is the first bucket of the run the cursor is in.
func (c *cursor) start() int {
	if len(c.segs) == 0 {
		return 0
	}
	return c.segs[c.k].from
}
