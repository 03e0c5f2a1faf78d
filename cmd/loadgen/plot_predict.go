package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/predict"
	"github.com/aftershock/aftershock/results"
	"github.com/aftershock/aftershock/results/figure"
)

// predictedEdges is the predicted edge for plot --kind phase --predict: for
// each panel (scenario, policy, droplets of a sweep varying two keys), the
// fluid model's edge along the second key at each value of the first,
// found once per panel over the second key's range in the sweep. scn names
// the scenario the sweep ran when the runs' own name is not a preset (a
// file). A panel whose policy has no fluid law gets no line.
func predictedEdges(scn string, ss []results.Summary) (figure.EdgeFunc, error) {
	keys, xs, ys := phaseAxes(ss)
	if len(keys) != 2 {
		return nil, fmt.Errorf("--predict: want a sweep varying two keys (sweep --vary twice)")
	}
	lo, hi, ok := numericRange(ys)
	if !ok {
		return nil, fmt.Errorf("--predict: %s's values (%s) are not numbers or durations", keys[1], strings.Join(ys, ", "))
	}
	type panel struct {
		scenario, policy string
		droplets         int
	}
	edges := map[panel]map[string]float64{}
	for _, s := range ss {
		k := panel{s.Scenario, s.Policy, s.Droplets}
		if _, done := edges[k]; done {
			continue
		}
		ref := scn
		if ref == "" {
			ref = s.Scenario
		}
		sc, err := loadScenario("plot", ref)
		if err != nil {
			return nil, fmt.Errorf("--predict: scenario %q: %w (name the file with --scenario)", ref, err)
		}
		y, err := bench.ParseParam(sc, keys[1], lo, hi)
		if err != nil {
			return nil, fmt.Errorf("--predict: %w", err)
		}
		droplets := max(k.droplets, 0)
		pes, err := predict.PhaseEdges(predict.Query{Scenario: sc, Spec: k.policy, Options: predict.Options{Droplets: droplets}, Param: y, Tol: (y.Hi - y.Lo) / 200}, keys[0], xs)
		edges[k] = map[string]float64{}
		if err != nil {
			continue // no fluid law for this policy: no line
		}
		for _, pe := range pes {
			if pe.Edge.Found {
				edges[k][pe.X] = pe.Edge.Value()
			}
		}
	}
	return func(run results.Summary, x string) (float64, bool) {
		v, ok := edges[panel{run.Scenario, run.Policy, run.Droplets}][x]
		return v, ok
	}, nil
}

// phaseAxes are the two keys a sweep varies and the values of each.
func phaseAxes(ss []results.Summary) (keys, xs, ys []string) {
	for _, s := range ss {
		var vals []string
		var ks []string
		for _, kv := range strings.Split(s.Vary, ";") {
			k, v, _ := strings.Cut(kv, "=")
			ks, vals = append(ks, k), append(vals, v)
		}
		if keys == nil {
			keys = ks
		}
		if len(vals) == 2 {
			if !slices.Contains(xs, vals[0]) {
				xs = append(xs, vals[0])
			}
			if !slices.Contains(ys, vals[1]) {
				ys = append(ys, vals[1])
			}
		}
	}
	return keys, xs, ys
}

// numericRange is the least and the greatest of vs by their numbers (a
// number, or a duration), as written; ok false when one is neither.
func numericRange(vs []string) (lo, hi string, ok bool) {
	var fl, fh float64
	for i, v := range vs {
		f, isNum := vary2float(v)
		if !isNum {
			return "", "", false
		}
		if i == 0 || f < fl {
			lo, fl = v, f
		}
		if i == 0 || f > fh {
			hi, fh = v, f
		}
	}
	return lo, hi, len(vs) > 0
}

func vary2float(v string) (float64, bool) {
	v = strings.Trim(v, `"`)
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return f, true
	}
	if d, err := time.ParseDuration(v); err == nil {
		return d.Seconds(), true
	}
	return 0, false
}
