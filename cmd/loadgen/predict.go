package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/predict"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
)

const predictUsage = `Usage: loadgen predict [flags]

Predict recovery without simulating: the fluid (mean-field) model of the
scenario (the generic service or DWFM) under a policy, in milliseconds. It
prints the verdict (recovers, stays collapsed, or undetermined: too few
arrivals after the trigger), the recovery time from the trigger's end, the
fixed points of the system after the trigger under its final inputs
(healthy, unstable, collapsed; a regime healthy, collapsed or bistable),
the policy's caveats (note), where the prediction is outside its validated
claim and why (outside), and how long the prediction took. A spec the
simulator refuses is refused, and so is a policy part without a fluid law
(codel, lifo, the client throttles, the retry gates, gradient2,
envoy-gradient, failover-off), with its reason; netprop, nlb and the
cascade have no fluid model. Every flag is checked before anything is
printed.

--vary KEY=VALUE sets one scenario key (repeatable; keys as sweep --vary
takes them). --band KEY=LO:HI finds, along that key, where the predicted
verdict changes (the edge) and where the system after the trigger is
bistable. --with-sim N runs seeds 1..N of the simulator beside the
prediction and prints both, with the simulator's 95% interval and the ratio
of the predicted recovery to the simulated mean.

Examples:
  loadgen predict                                             # us-east-1 under none
  loadgen predict --policy queue-size --droplets 1e5 --with-sim 5
  loadgen predict --scenario metastable --vary trigger.1.duration=150ms --with-sim 10
  loadgen predict --scenario metastable --band clients.rate=300:1500
  loadgen predict --droplets 1e4 --band trigger.1.duration=20m:2h37m
`

// predictOpts are predict's flags.
type predictOpts struct {
	scen, spec, band string
	droplets, sims   int
	varies           []string
}

func (a app) predict(ctx context.Context, args []string) error {
	o, done, err := a.parsePredict(args)
	if done || err != nil {
		return err
	}
	return a.runPredict(ctx, o)
}

// parsePredict parses predict's flags; done: help was printed.
func (a app) parsePredict(args []string) (o predictOpts, done bool, err error) {
	fs := cli.NewFlagSet("predict")
	fs.StringVar(&o.scen, "scenario", defaultScenario, "preset `name` or scenario file (a value with a slash is a file)")
	fs.StringVar(&o.spec, "policy", defaultPolicy, "policy `spec` (see loadgen policies)")
	fs.Var(cli.Int{P: &o.droplets}, "droplets", "DWFM `droplets` (0: the scenario's)")
	fs.Func("vary", "set scenario key `KEY=VALUE` (repeatable)", func(v string) error {
		o.varies = append(o.varies, v)
		return nil
	})
	fs.StringVar(&o.band, "band", "", "find the edge and the bistable band along `KEY=LO:HI`")
	fs.Var(cli.Int{P: &o.sims}, "with-sim", "also run `N` seeds of the simulator and compare")
	if done, err := cli.Parse(fs, args, 0, a.stdout, predictUsage); done || err != nil {
		return o, done, err
	}
	switch {
	case o.droplets < 0:
		return o, false, cli.Flagf("predict", "--droplets %d below 0", o.droplets)
	case o.sims < 0 || o.sims > 1000:
		return o, false, cli.Flagf("predict", "--with-sim %d outside 0..1000", o.sims)
	case strings.TrimSpace(o.spec) == "":
		return o, false, cli.Flagf("predict", "--policy is empty (none is no policy)")
	}
	return o, false, nil
}

func (a app) runPredict(ctx context.Context, o predictOpts) error {
	sc, param, err := predictInputs(o)
	if err != nil {
		return err
	}
	opts := predict.Options{Droplets: o.droplets}
	start := time.Now()
	pr, err := predict.Predict(sc, o.spec, opts)
	elapsed := time.Since(start)
	if err != nil {
		return cli.Usage(err)
	}
	var bandOut string
	if param != nil {
		if bandOut, err = predictBand(sc, o.spec, opts, *param); err != nil {
			return cli.Usage(err)
		}
	}
	writePrediction(a.stdout, sc, o.droplets, pr, elapsed)
	fmt.Fprint(a.stdout, bandOut)
	if o.sims > 0 {
		return a.predictSim(ctx, sc, o, pr)
	}
	return nil
}

// predictInputs is the scenario with --vary's values and --band's range,
// every flag checked before anything is printed: the band's key and range,
// and the simulator's runs (their spec and estimated cost).
func predictInputs(o predictOpts) (*scenario.Scenario, *bench.Param, error) {
	sc, err := loadScenario("predict", o.scen)
	if err != nil {
		return nil, nil, err
	}
	for _, v := range o.varies {
		key, val, ok := strings.Cut(v, "=")
		if !ok || strings.TrimSpace(key) == "" || strings.TrimSpace(val) == "" {
			return nil, nil, cli.Flagf("predict", "--vary %q: want KEY=VALUE, e.g. trigger.1.duration=1h", v)
		}
		if sc, err = bench.With(sc, strings.TrimSpace(key), strings.TrimSpace(val)); err != nil {
			return nil, nil, cli.Usage(err)
		}
	}
	var param *bench.Param
	if o.band != "" {
		key, rng, ok := strings.Cut(o.band, "=")
		lo, hi, ok2 := strings.Cut(rng, ":")
		if !ok || !ok2 {
			return nil, nil, cli.Flagf("predict", "--band %q: want KEY=LO:HI, e.g. trigger.1.duration=20m:2h37m", o.band)
		}
		p, err := bench.ParseParam(sc, key, lo, hi)
		if err != nil {
			return nil, nil, cli.Usage(err)
		}
		param = &p
	}
	if o.sims > 0 {
		est, err := bench.Run{Scenario: sc, Policy: o.spec, Seed: 1, Droplets: o.droplets}.Estimate()
		if err == nil {
			err = bench.Limits{}.Check(est)
		}
		if err != nil {
			return nil, nil, cli.Usage(fmt.Errorf("predict: --with-sim: %w", err))
		}
	}
	return sc, param, nil
}

// writePrediction prints the prediction, and how long it took.
func writePrediction(w io.Writer, sc *scenario.Scenario, droplets int, pr predict.Prediction, elapsed time.Duration) {
	fmt.Fprintf(w, "scenario %s · policy %s · fluid model %s", sc.Name, pr.Policy, pr.Model)
	if droplets > 0 {
		fmt.Fprintf(w, " · %d droplets", droplets)
	}
	fmt.Fprintln(w)
	switch pr.Verdict {
	case predict.Recovers:
		fmt.Fprintf(w, "predicted      recovers in %v after the trigger's end (t=%v)\n", pr.Recovery.Round(time.Millisecond), pr.TriggerEnd)
	case predict.Undefined:
		fmt.Fprintf(w, "predicted      no trigger: recovery not defined\n")
	case predict.Undetermined:
		fmt.Fprintf(w, "predicted      undetermined: too few arrivals after the trigger to judge recovery (fewer than %d a window)\n", model.MinEvidence)
	default:
		fmt.Fprintf(w, "predicted      stays collapsed to the horizon (%v)\n", time.Duration(sc.Horizon))
	}
	fmt.Fprintf(w, "fixed points   %s\n", pr.Fixed)
	for _, n := range pr.Notes {
		fmt.Fprintf(w, "note           %s\n", n)
	}
	for _, n := range pr.Outside {
		fmt.Fprintf(w, "outside        %s\n", n)
	}
	fmt.Fprintf(w, "elapsed        %.2f ms (%d steps of %v)\n", float64(elapsed.Microseconds())/1000, pr.Steps, pr.Step)
}

// predictBand is the edge and the bistable bands along p, as printed.
func predictBand(sc *scenario.Scenario, spec string, o predict.Options, p bench.Param) (string, error) {
	start := time.Now()
	e, err := predict.FindEdge(sc, spec, o, p, p.DefaultTol()/10)
	if err != nil {
		return "", err
	}
	bands, err := predict.Bands(predict.Query{Scenario: sc, Spec: spec, Options: o, Param: p, Tol: p.DefaultTol() / 10}, 16)
	if err != nil {
		return "", err
	}
	var w strings.Builder
	if e.Found {
		fmt.Fprintf(&w, "edge           %s: recovers at %s, stays collapsed at %s\n", p.Key, p.Value(p.Round(e.Recovers, p.DefaultTol()/10)), p.Value(p.Round(e.Collapses, p.DefaultTol()/10)))
	} else {
		v := "stays collapsed"
		if e.RecoversAtLo {
			v = "recovers"
		}
		fmt.Fprintf(&w, "edge           %s: none in [%s, %s] (%s throughout)\n", p.Key, p.Value(p.Lo), p.Value(p.Hi), v)
	}
	if len(bands) == 0 {
		fmt.Fprintf(&w, "bistable       nowhere in [%s, %s]\n", p.Value(p.Lo), p.Value(p.Hi))
	}
	for _, b := range bands {
		l, h := p.Value(p.Round(b.Lo, p.DefaultTol())), p.Value(p.Round(b.Hi, p.DefaultTol()))
		if b.OpenLo {
			l += " (the range's end)"
		}
		if b.OpenHi {
			h += " (the range's end)"
		}
		fmt.Fprintf(&w, "bistable       %s from %s to %s\n", p.Key, l, h)
	}
	fmt.Fprintf(&w, "elapsed        %.1f ms (%d predictions for the edge)\n", float64(time.Since(start).Microseconds())/1000, e.Predictions)
	return w.String(), nil
}

// predictSim runs seeds 1..n of the simulator and prints them beside the
// prediction: how many recovered (and were undetermined), their mean
// recovery with its 95% interval (clamped at 0: a recovery time is not
// negative), the ratio, and whether the verdicts agree with the simulator's
// majority.
func (a app) predictSim(ctx context.Context, sc *scenario.Scenario, po predictOpts, pr predict.Prediction) error {
	spec, droplets, n := po.spec, po.droplets, po.sims
	start := time.Now()
	var rec []float64
	runs, undetermined, undefined := 0, 0, 0
	for seed := 1; seed <= n; seed++ {
		o, err := bench.Run{Scenario: sc, Policy: spec, Seed: uint64(seed), Droplets: droplets, Stop: func() bool { return ctx.Err() != nil }}.Execute()
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		runs++
		if o.Summary.Recovered {
			rec = append(rec, o.Summary.RecoveryS)
		}
		if o.Summary.Undetermined {
			undetermined++
		}
		if o.Summary.Undefined {
			undefined++
		}
	}
	w := a.stdout
	fmt.Fprintf(w, "simulated      %d/%d recovered", len(rec), runs)
	if undetermined > 0 {
		fmt.Fprintf(w, ", %d undetermined", undetermined)
	}
	if undefined > 0 {
		fmt.Fprintf(w, ", %d without a trigger (recovery not defined)", undefined)
	}
	if len(rec) > 0 {
		ci := results.MeanCI(rec)
		ms := func(s float64) time.Duration { return time.Duration(s * 1e9).Round(time.Millisecond) }
		fmt.Fprintf(w, ", mean %v", ms(ci.Mean))
		if len(rec) > 1 {
			fmt.Fprintf(w, " [%v, %v]", ms(max(0, ci.Lo())), ms(ci.Hi()))
		}
		if pr.Verdict == predict.Recovers {
			fmt.Fprintf(w, "; predicted/simulated %.3f", pr.Recovery.Seconds()/ci.Mean)
		}
	}
	fmt.Fprintf(w, " (seeds 1-%d, %.1f s)\n", n, time.Since(start).Seconds())
	var line string
	switch {
	case pr.Verdict == predict.Undefined:
		line = "nothing to compare: recovery is not defined without a trigger"
	case pr.Verdict == predict.Undetermined:
		line = map[bool]string{true: "agree (the simulator's majority is undetermined too)", false: "differ from the simulator's majority (the prediction is undetermined)"}[2*undetermined > runs]
	default:
		agree := (pr.Verdict == predict.Recovers) == (2*len(rec) > runs)
		line = map[bool]string{true: "agree (the simulator's majority)", false: "differ from the simulator's majority"}[agree]
	}
	fmt.Fprintf(w, "verdicts       %s\n", line)
	return nil
}
