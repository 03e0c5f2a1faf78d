package predict

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/scenario"
)

// The validation: predicted against simulated, on the presets and on a grid
// of 51 points, 5 seeds each (about 2 min on one core):
//
//	go test ./bench/predict -run XXX -bench Validate -benchtime 1x -v
//
// It prints the tables the README shows and fails unless the Done figures
// hold: at every grid point farther from the predicted edge than the
// model's margin, the predicted verdict is the simulator's majority over the
// seeds; where both recover, the predicted recovery is within 15% of the
// simulator's mean at 90% of the points or more.

// simPoint is what the simulator says at one point over seeds.
type simPoint struct {
	runs, recovered int
	recovery        []float64 // seconds, the runs that recovered
}

func (s simPoint) majority() bool { return 2*s.recovered > s.runs }

func (s simPoint) mean() (m, lo, hi float64) {
	if len(s.recovery) == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	if len(s.recovery) == 1 {
		return s.recovery[0], s.recovery[0], s.recovery[0]
	}
	return meanCI(s.recovery)
}

func simulate(sc *scenario.Scenario, spec string, droplets, seeds int) (simPoint, error) {
	var sp simPoint
	for seed := 1; seed <= seeds; seed++ {
		o, err := bench.Run{Scenario: sc, Policy: spec, Seed: uint64(seed), Droplets: droplets}.Execute()
		if err != nil {
			return sp, err
		}
		sp.runs++
		if o.Summary.Recovered {
			sp.recovered++
			sp.recovery = append(sp.recovery, o.Summary.RecoveryS)
		}
	}
	return sp, nil
}

// gridPoint is one point of the validation grid.
type gridPoint struct {
	family          string // service, dwfm, metafor
	x, y            string // the two keys' values
	edgeDist        float64
	predicted       Prediction
	sim             simPoint
	outside, agree  bool
	both            bool
	ratio           float64
	simMean, lo, hi float64
}

func withAll(sc *scenario.Scenario, kv ...string) (*scenario.Scenario, error) {
	var err error
	for i := 0; i < len(kv); i += 2 {
		if sc, err = bench.With(sc, kv[i], kv[i+1]); err != nil {
			return nil, err
		}
	}
	return sc, nil
}

// metaforScenario is Metafor's canonical example as a generic service (μ
// 10/s on one worker, timeout 3 s, 4 retries, queue 100, orbit 20; the
// retry delay, which Metafor's chain does not have apart from the timeout,
// exp(3s)), knocked full by a 10 s spike of 5×, run for 10 min after it.
func metaforScenario(lambda float64) (*scenario.Scenario, error) {
	text := fmt.Sprintf(`name = "metafor"
horizon = "620s"
interval = "1s"
[clients]
rate = %g
timeout = "3s"
max_attempts = 5
retry_delay = "exp(3s)"
orbit_cap = 20
[service]
workers = 1
service_time = "exp(100ms)"
queue_capacity = 100
[[trigger]]
kind = "load-spike"
at = "10s"
duration = "10s"
factor = 5
`, lambda)
	return scenario.Parse("metafor", []byte(text))
}

func BenchmarkValidate(b *testing.B) {
	for range b.N {
		validate(b)
	}
}

func validate(b *testing.B) {
	const seeds = 5
	var md strings.Builder
	// Presets, every fluid-capable policy.
	fmt.Fprintf(&md, "| scenario | policy | predicted | simulated (recovered, mean [95%% CI]) | ratio |\n|---|---|---|---|---|\n")
	for _, c := range []struct {
		name     string
		droplets int
		policies []string
	}{
		{"metastable", 0, []string{"none", "queue-size", "bounded", "token-bucket", "reserve", "deadline-drop", "aimd", "vegas"}},
		{"us-east-1", 10000, []string{"none", "queue-size", "bounded", "token-bucket", "reserve", "aimd", "vegas", "operator", "deadline-drop", "queue-size+deadline-drop"}},
		{"mm1", 0, []string{"none"}},
		{"netprop", 0, []string{"none"}},
		{"nlb", 0, []string{"none"}},
	} {
		sc, err := scenario.Load(c.name)
		if err != nil {
			b.Fatal(err)
		}
		for _, pol := range c.policies {
			pr, err := Predict(sc, pol, Options{Droplets: c.droplets})
			if err != nil {
				fmt.Fprintf(&md, "| %s | `%s` | %v | — | — |\n", c.name, pol, err)
				continue
			}
			if pr.Verdict == Undefined {
				fmt.Fprintf(&md, "| %s | `%s` | no trigger; %s | (not defined) | — |\n", c.name, pol, pr.Fixed)
				continue
			}
			sp, err := simulate(sc, pol, c.droplets, seeds)
			if err != nil {
				b.Fatal(err)
			}
			m, lo, hi := sp.mean()
			fmt.Fprintf(&md, "| %s | `%s` | %s | %d/%d, %s | %s |\n", c.name, pol, verdictText(pr), sp.recovered, sp.runs, interval(m, lo, hi), ratioText(pr, m))
		}
	}
	fmt.Fprintf(&md, "\n")

	// The grid.
	var pts []*gridPoint
	meta, _ := scenario.Load("metastable")
	us, _ := scenario.Load("us-east-1")
	const genMargin, dwfmMargin = 0.5, 0.1
	for _, rate := range []string{"500", "600", "700", "800", "900"} {
		at, _ := bench.With(meta, "clients.rate", rate)
		p, _ := bench.ParseParam(at, "trigger.1.duration", "10ms", "10s")
		e, err := FindEdge(at, "none", Options{}, p, 0)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range []string{"50ms", "100ms", "200ms", "400ms", "1s", "3s"} {
			sc, err := withAll(meta, "clients.rate", rate, "trigger.1.duration", d)
			if err != nil {
				b.Fatal(err)
			}
			dd, _ := time.ParseDuration(d)
			dist := math.Inf(1)
			if e.Found {
				dist = math.Abs(dd.Seconds()-e.Value()) / e.Value()
			}
			pts = append(pts, &gridPoint{family: "service", x: rate, y: d, edgeDist: dist, outside: dist > genMargin})
			pts[len(pts)-1].predicted, _ = Predict(sc, "none", Options{})
			if pts[len(pts)-1].sim, err = simulate(sc, "none", 0, seeds); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, workers := range []string{"3", "4", "5"} {
		at, _ := bench.With(us, "service.workers", workers)
		p, _ := bench.ParseParam(at, "trigger.1.duration", "10m", "2h37m")
		e, err := FindEdge(at, "none", Options{Droplets: 10000}, p, 0)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range []string{"20m", "45m", "1h", "1h20m", "2h37m"} {
			sc, err := withAll(us, "service.workers", workers, "trigger.1.duration", d)
			if err != nil {
				b.Fatal(err)
			}
			dd, _ := time.ParseDuration(d)
			dist := math.Inf(1)
			if e.Found {
				dist = math.Abs(dd.Seconds()-e.Value()) / e.Value()
			}
			pt := &gridPoint{family: "dwfm", x: workers, y: d, edgeDist: dist, outside: dist > dwfmMargin}
			pt.predicted, _ = Predict(sc, "none", Options{Droplets: 10000})
			if pt.sim, err = simulate(sc, "none", 10000, seeds); err != nil {
				b.Fatal(err)
			}
			pts = append(pts, pt)
		}
	}
	for _, lam := range []float64{7, 7.5, 8, 8.5, 9, 9.5} {
		sc, err := metaforScenario(lam)
		if err != nil {
			b.Fatal(err)
		}
		pt := &gridPoint{family: "metafor", x: fmt.Sprint(lam), y: "10s ×5", edgeDist: math.Inf(1), outside: true}
		pt.predicted, err = Predict(sc, "none", Options{})
		if err != nil {
			b.Fatal(err)
		}
		if pt.sim, err = simulate(sc, "none", 0, seeds); err != nil {
			b.Fatal(err)
		}
		pts = append(pts, pt)
	}
	var outside, agree, both, within int
	fmt.Fprintf(&md, "| model | load / workers / λ | trigger | distance to predicted edge | predicted | simulated (recovered, mean [95%% CI]) | ratio | |\n|---|---|---|---|---|---|---|---|\n")
	for _, pt := range pts {
		pr := pt.predicted
		rec := pr.Verdict == Recovers
		pt.agree = rec == pt.sim.majority()
		pt.simMean, pt.lo, pt.hi = pt.sim.mean()
		pt.both = rec && pt.sim.majority()
		mark := ""
		if pt.outside {
			outside++
			if pt.agree {
				agree++
			} else {
				mark = "verdict differs"
			}
		} else if !pt.agree {
			mark = "within margin"
		}
		if pt.both {
			both++
			pt.ratio = pr.Recovery.Seconds() / pt.simMean
			if math.Abs(pt.ratio-1) <= 0.15 {
				within++
			} else {
				mark = strings.TrimPrefix(mark+"; off by more than 15%", "; ")
			}
		}
		dist := "—"
		if !math.IsInf(pt.edgeDist, 0) {
			dist = fmt.Sprintf("%.0f%%", 100*pt.edgeDist)
		}
		fmt.Fprintf(&md, "| %s | %s | %s | %s | %s | %d/%d, %s | %s | %s |\n", pt.family, pt.x, pt.y, dist, verdictText(pr), pt.sim.recovered, pt.sim.runs,
			interval(pt.simMean, pt.lo, pt.hi), ratioText(pr, pt.simMean), mark)
	}
	fmt.Fprintf(&md, "\n%d points; %d farther from the predicted edge than the margin (service ±%.0f%% of the edge's spike length, dwfm ±%.0f%% of its outage length; metafor has no edge in its range), the verdict agrees at %d of them; both recover at %d points, the predicted recovery within 15%% of the simulator's mean at %d (%.0f%%).\n",
		len(pts), outside, 100*genMargin, 100*dwfmMargin, agree, both, within, 100*float64(within)/float64(max(both, 1)))
	if os.Getenv("PREDICT_TABLE") != "" {
		_ = os.WriteFile(os.Getenv("PREDICT_TABLE"), []byte(md.String()), 0o644)
	}
	b.Log("\n" + md.String())
	b.ReportMetric(float64(len(pts)), "points")
	b.ReportMetric(float64(agree)/float64(max(outside, 1)), "agree-outside")
	b.ReportMetric(float64(within)/float64(max(both, 1)), "within15")
	if len(pts) < 40 {
		b.Errorf("%d grid points, want at least 40", len(pts))
	}
	if agree != outside {
		b.Errorf("the verdict differs at %d of %d points outside the margin", outside-agree, outside)
	}
	if 10*within < 9*both {
		b.Errorf("recovery within 15%% at %d of %d points where both recover, want 90%%", within, both)
	}
}

func verdictText(pr Prediction) string {
	if pr.Verdict == Recovers {
		return "recovers, " + fmtDur(pr.Recovery.Seconds())
	}
	return pr.Verdict.String()
}

func ratioText(pr Prediction, simMean float64) string {
	if pr.Verdict != Recovers || math.IsNaN(simMean) || simMean == 0 {
		return "—"
	}
	return fmt.Sprintf("%.3f", pr.Recovery.Seconds()/simMean)
}

func interval(m, lo, hi float64) string {
	if math.IsNaN(m) {
		return "—"
	}
	return fmt.Sprintf("%s [%s, %s]", fmtDur(m), fmtDur(lo), fmtDur(hi))
}

func fmtDur(s float64) string {
	d := time.Duration(s * 1e9)
	switch {
	case s >= 60:
		return d.Round(time.Second).String()
	case s >= 1:
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(time.Millisecond).String()
}
