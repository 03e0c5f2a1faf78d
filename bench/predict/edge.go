package predict

import (
	"fmt"
	"math"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/scenario"
)

// Edge is where the predicted verdict changes along one scenario key: the
// fluid model recovers at Recovers and stays collapsed (or cannot tell, too
// few arrivals: Undetermined counts as not recovering) at Collapses, at
// most the tolerance apart. When Found is false the verdict is the same at
// both ends of the range and RecoversAtLo says which.
type Edge struct {
	Key                 string
	Found               bool
	Recovers, Collapses float64 // in the key's unit (seconds for a duration)
	RecoversAtLo        bool
	Predictions         int // fluid runs made
}

// Query is a search along one scenario key under a policy: the scenario,
// the policy spec, the fluid model's options, the key with its range (Param)
// and the tolerance to search to, in the key's unit.
type Query struct {
	Scenario *scenario.Scenario
	Spec     string
	Options  Options
	Param    bench.Param
	Tol      float64
}

// Value is the edge's midpoint.
func (e Edge) Value() float64 { return (e.Recovers + e.Collapses) / 2 }

// Verdicts is the predicted verdict of sc with p's key set to x.
func verdictAt(sc *scenario.Scenario, spec string, o Options, p bench.Param, x float64) (Verdict, error) {
	at, err := bench.With(sc, p.Key, p.Value(x))
	if err != nil {
		return 0, err
	}
	pr, err := Predict(at, spec, o)
	if err != nil {
		return 0, err
	}
	switch pr.Verdict {
	case Undefined:
		return 0, fmt.Errorf("predict: %s=%s: recovery not defined (no trigger)", p.Key, p.Value(x))
	case Undetermined: // too few arrivals to tell: not a recovery
		return StaysCollapsed, nil
	}
	return pr.Verdict, nil
}

// FindEdge bisects p's range for the value where the predicted verdict
// changes, to tol (in p's unit; 0: 1/1000 of the range), as bench.Boundary
// does with the simulator. The fluid model is deterministic, so one edge
// stands for every seed.
func FindEdge(sc *scenario.Scenario, spec string, o Options, p bench.Param, tol float64) (Edge, error) {
	if !(p.Lo < p.Hi) {
		return Edge{}, fmt.Errorf("predict: edge of %s: range [%v, %v] is empty", p.Key, p.Lo, p.Hi)
	}
	if tol <= 0 {
		tol = (p.Hi - p.Lo) / 1000
	}
	if p.Kind == bench.Whole {
		tol = max(tol, 1)
	}
	e := Edge{Key: p.Key}
	lo, hi := p.Lo, p.Hi
	vlo, err := verdictAt(sc, spec, o, p, lo)
	if err != nil {
		return e, err
	}
	vhi, err := verdictAt(sc, spec, o, p, hi)
	if err != nil {
		return e, err
	}
	e.Predictions = 2
	e.RecoversAtLo = vlo == Recovers
	if vlo == vhi {
		return e, nil
	}
	for hi-lo > tol && e.Predictions < 200 {
		m := (lo + hi) / 2
		if p.Kind == bench.Whole {
			m = math.Floor(m)
			if m <= lo {
				break
			}
		}
		v, err := verdictAt(sc, spec, o, p, m)
		if err != nil {
			return e, err
		}
		e.Predictions++
		if v == vlo {
			lo = m
		} else {
			hi = m
		}
	}
	e.Found = true
	e.Recovers, e.Collapses = lo, hi
	if !e.RecoversAtLo {
		e.Recovers, e.Collapses = hi, lo
	}
	return e, nil
}

// Start is the bracket bench.Boundary starts its bisection from: the
// predicted edge widened by margin (a share of the edge's value, at least
// q.Tol each side), clipped to q.Param's range. ok is false when the fluid model
// finds no edge in the range (the search then runs as without one).
func Start(q Query, margin float64) (lo, hi float64, ok bool, err error) {
	p, tol := q.Param, q.Tol
	e, err := FindEdge(q.Scenario, q.Spec, q.Options, p, tol/4)
	if err != nil || !e.Found {
		return 0, 0, false, err
	}
	v := e.Value()
	w := max(math.Abs(v)*margin, tol)
	lo, hi = max(p.Lo, p.Round(v-w, tol)), min(p.Hi, p.Round(v+w, tol))
	if !(lo < hi) {
		return 0, 0, false, nil
	}
	return lo, hi, true, nil
}

// Band is a range of one key where the post-trigger system is bistable:
// both a healthy and a collapsed state are stable, and a trigger large enough
// decides which the system is in. Lo and Hi are its edges, each to tol;
// OpenLo and OpenHi say the band reaches the end of the range searched.
type Band struct {
	Lo, Hi         float64
	OpenLo, OpenHi bool
}

// Bands scans q.Param's range at points fixed points (at least 8) for the
// regime of the post-trigger system, and refines each change of regime into
// or out of bistability by bisection to q.Tol (0: 1/1000 of the range).
func Bands(q Query, points int) ([]Band, error) {
	sc, spec, o, p, tol := q.Scenario, q.Spec, q.Options, q.Param, q.Tol
	if !(p.Lo < p.Hi) {
		return nil, fmt.Errorf("predict: band of %s: range [%v, %v] is empty", p.Key, p.Lo, p.Hi)
	}
	points = max(points, 8)
	if tol <= 0 {
		tol = (p.Hi - p.Lo) / 1000
	}
	bistable := func(x float64) (bool, error) {
		at, err := bench.With(sc, p.Key, p.Value(x))
		if err != nil {
			return false, err
		}
		pr, err := Predict(at, spec, Options{Droplets: o.Droplets})
		if err != nil {
			return false, err
		}
		return pr.Fixed.Regime() == "bistable", nil
	}
	refine := func(a, b float64, atA bool) (float64, error) {
		for b-a > tol {
			m := (a + b) / 2
			v, err := bistable(m)
			if err != nil {
				return 0, err
			}
			if v == atA {
				a = m
			} else {
				b = m
			}
		}
		return (a + b) / 2, nil
	}
	var bands []Band
	var cur *Band
	prevX := p.Lo
	prev, err := bistable(prevX)
	if err != nil {
		return nil, err
	}
	if prev {
		cur = &Band{Lo: p.Lo, OpenLo: true}
	}
	for i := 1; i < points; i++ {
		x := p.Lo + (p.Hi-p.Lo)*float64(i)/float64(points-1)
		v, err := bistable(x)
		if err != nil {
			return nil, err
		}
		if v != prev {
			edge, err := refine(prevX, x, prev)
			if err != nil {
				return nil, err
			}
			if v {
				cur = &Band{Lo: edge}
			} else {
				cur.Hi = edge
				bands = append(bands, *cur)
				cur = nil
			}
		}
		prevX, prev = x, v
	}
	if cur != nil {
		cur.Hi, cur.OpenHi = p.Hi, true
		bands = append(bands, *cur)
	}
	return bands, nil
}

// PhaseEdge is the predicted edge in yKey at each value of xKey, for a
// phase diagram (loadgen plot --kind phase) to draw over simulated points.
type PhaseEdge struct {
	X    string // xKey's value, as the sweep's vary column writes it
	Edge Edge
}

// PhaseEdges finds the predicted edge along y (q.Param, its range and
// q.Tol in y's unit) at each value xs of xKey.
func PhaseEdges(y Query, xKey string, xs []string) ([]PhaseEdge, error) {
	var out []PhaseEdge
	for _, x := range xs {
		at, err := bench.With(y.Scenario, xKey, x)
		if err != nil {
			return nil, err
		}
		e, err := FindEdge(at, y.Spec, y.Options, y.Param, y.Tol)
		if err != nil {
			return nil, err
		}
		out = append(out, PhaseEdge{X: x, Edge: e})
	}
	return out, nil
}
