package bench

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/scenario"
)

// ParamKind is how a bisected scenario key is written.
type ParamKind int

const (
	Real  ParamKind = iota // a number (clients.rate, trigger.1.factor)
	Whole                  // an integer (service.workers)
	Span                   // a duration (trigger.1.duration); values in seconds
)

// MaxBisections bounds the bisection steps per seed: the range over the
// tolerance is at most 2^MaxBisections.
const MaxBisections = 40

// Param is a scenario key that a boundary search bisects, by its TOML path
// as With takes it, and the range searched, in the key's unit (seconds for
// a Span).
type Param struct {
	Key    string
	Kind   ParamKind
	Lo, Hi float64
}

// ParseParam reads a key and its range as `loadgen boundary --param KEY
// --lo A --hi B` gives them: two durations ("50ms", "5s") make a Span; two
// numbers a Real, or a Whole when both are integers and the scenario refuses
// a fraction for the key. Both ends must be values the scenario accepts
// (With), lo below hi.
func ParseParam(sc *scenario.Scenario, key, lo, hi string) (Param, error) {
	p := Param{Key: strings.TrimSpace(key)}
	if p.Key == "" {
		return Param{}, fmt.Errorf("bench: boundary: no parameter key given")
	}
	a, errA := strconv.ParseFloat(strings.TrimSpace(lo), 64)
	b, errB := strconv.ParseFloat(strings.TrimSpace(hi), 64)
	da, errDA := time.ParseDuration(strings.TrimSpace(lo))
	db, errDB := time.ParseDuration(strings.TrimSpace(hi))
	switch {
	case errDA == nil && errDB == nil && (errA != nil || errB != nil):
		p.Kind, p.Lo, p.Hi = Span, da.Seconds(), db.Seconds()
	case errA == nil && errB == nil && !math.IsNaN(a) && !math.IsNaN(b) && !math.IsInf(a, 0) && !math.IsInf(b, 0):
		p.Kind, p.Lo, p.Hi = Real, a, b
		if a == math.Trunc(a) && b == math.Trunc(b) && !strings.ContainsAny(lo+hi, ".eE") {
			// Integers: Whole if the key takes no fraction.
			if _, err := With(sc, p.Key, strconv.FormatFloat(a+0.5, 'f', -1, 64)); err != nil {
				p.Kind = Whole
			}
		}
	default:
		return Param{}, fmt.Errorf("bench: boundary: %s from %q to %q: want two numbers (0.5, 700) or two durations (50ms, 5s)", p.Key, lo, hi)
	}
	if p.Kind == Whole && max(math.Abs(p.Lo), math.Abs(p.Hi)) > 1<<53 {
		return Param{}, fmt.Errorf("bench: boundary: %s from %s to %s: whole numbers beyond 2^53", p.Key, lo, hi)
	}
	if !(p.Lo < p.Hi) {
		return Param{}, fieldErrorf("bench: boundary: %s: %s %s not below %s %s", p.Key, field("lo"), lo, field("hi"), hi)
	}
	for _, x := range []float64{p.Lo, p.Hi} {
		if _, err := With(sc, p.Key, p.Value(x)); err != nil {
			return Param{}, err
		}
	}
	return p, nil
}

// ParseTol reads a bisection tolerance in p's unit: a duration for a Span,
// a number otherwise. It must be above 0 (at least 1 for a Whole), below
// Hi−Lo, and need at most MaxBisections steps.
func (p Param) ParseTol(s string) (float64, error) {
	var tol float64
	var err error
	if p.Kind == Span {
		var d time.Duration
		d, err = time.ParseDuration(strings.TrimSpace(s))
		tol = d.Seconds()
	} else {
		tol, err = strconv.ParseFloat(strings.TrimSpace(s), 64)
	}
	want := "a number"
	if p.Kind == Span {
		want = "a duration"
	}
	switch {
	case err != nil || math.IsNaN(tol) || tol <= 0:
		return 0, fieldErrorf("bench: boundary: %s %q: want %s above 0", field("tol"), s, want)
	case p.Kind == Whole && tol < 1:
		return 0, fieldErrorf("bench: boundary: %s %s: %s takes whole numbers, want at least 1", field("tol"), s, p.Key)
	case tol >= p.Hi-p.Lo:
		return 0, fieldErrorf("bench: boundary: %s %s: not below the range %s (%s − %s)", field("tol"), s, p.Value(p.Hi-p.Lo), field("hi"), field("lo"))
	case (p.Hi-p.Lo)/tol > math.Exp2(MaxBisections):
		return 0, fieldErrorf("bench: boundary: %s %s: more than %d bisection steps over %s", field("tol"), s, MaxBisections, p.Value(p.Hi-p.Lo))
	}
	return tol, nil
}

// DefaultTol is 1% of the range, rounded down to one significant digit (at
// least 1 for a Whole, at least 1 ns for a Span).
func (p Param) DefaultTol() float64 {
	t := (p.Hi - p.Lo) / 100
	g := math.Pow(10, math.Floor(math.Log10(t)))
	t, _ = strconv.ParseFloat(strconv.FormatFloat(math.Floor(t/g)*g, 'g', 1, 64), 64)
	switch p.Kind {
	case Whole:
		t = max(1, math.Floor(t))
	case Span:
		t = max(1e-9, t)
	}
	return t
}

// Value is x written as With (and --vary) take it for the key.
func (p Param) Value(x float64) string {
	switch p.Kind {
	case Whole:
		return strconv.FormatInt(int64(x), 10)
	case Span:
		return time.Duration(math.Round(x * 1e9)).String()
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// Round is x rounded to a grain of a power of ten at most tol/10 (at least
// 1 ns for a Span, 1 for a Whole), so that values read well (1.05s, not
// 1.0498046875s); the value returned is exactly the one Value writes.
func (p Param) Round(x, tol float64) float64 {
	if p.Kind == Whole {
		return math.Round(x)
	}
	g := math.Pow(10, math.Floor(math.Log10(tol/10)))
	if p.Kind == Span {
		g = max(g, 1e-9)
	}
	r := math.Round(x/g) * g
	if g < 1 { // read back as written, so the value run is the value reported
		r, _ = strconv.ParseFloat(strconv.FormatFloat(r, 'f', int(-math.Round(math.Log10(g))), 64), 64)
	}
	if p.Kind == Span {
		r = math.Round(r*1e9) / 1e9
	}
	return r
}

// mid is a value strictly between a and b (b−a above tol): the midpoint,
// rounded (Round) when that keeps it strictly inside.
func (p Param) mid(a, b, tol float64) float64 {
	m := (a + b) / 2
	if p.Kind == Whole {
		return math.Floor(m)
	}
	if r := p.Round(m, tol); r > a && r < b {
		return r
	}
	return m
}
