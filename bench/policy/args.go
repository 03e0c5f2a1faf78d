package policy

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/sim"
)

// Args are one part's parameters as its Def's Build and Caveat see them.
// Each method resolves a parameter by name: the value the spec gave, else
// the Param's Default, in the units of its Kind. Parse has checked every
// value against its Kind, so the methods cannot fail on one (When can: a
// clock time needs a scenario with a clock). Asking for a parameter the
// Def does not declare is a bug in the Def: the method panics.
type Args struct {
	Env  Env // the model the part will run in
	def  *Def
	vals map[string]string
}

// Raw is the parameter as written: the spec's value or the Default.
func (a Args) Raw(name string) string {
	p, ok := a.def.param(name)
	if !ok {
		panic(fmt.Sprintf("policy: %s has no parameter %q (it has %s)", a.def.Name, name, a.def.paramNames()))
	}
	if v, ok := a.vals[name]; ok {
		return v
	}
	return p.Default
}

// Given reports whether the spec set the parameter (a Derived default is
// then derived by Build).
func (a Args) Given(name string) bool {
	a.Raw(name) // panics on an undeclared name
	_, ok := a.vals[name]
	return ok
}

// Rate resolves a KindRate to units per second: "0.8x" is 0.8 times the
// station's capacity (Env.Capacity).
func (a Args) Rate(name string) float64 {
	v := a.Raw(name)
	if f, ok := strings.CutSuffix(v, "x"); ok {
		x, _ := strconv.ParseFloat(f, 64)
		return x * a.Env.Capacity
	}
	x, _ := strconv.ParseFloat(v, 64)
	return x
}

// Count resolves a KindCount: "4w" is 4 times the station's workers
// (Env.Workers).
func (a Args) Count(name string) int {
	v := a.Raw(name)
	if f, ok := strings.CutSuffix(v, "w"); ok {
		n, _ := strconv.Atoi(f)
		return n * a.Env.Workers
	}
	n, _ := strconv.Atoi(v)
	return n
}

// Bool resolves a KindBool.
func (a Args) Bool(name string) bool { return a.Raw(name) == "true" }

// When resolves a KindWhen to virtual time: an offset from the start, or a
// clock time, the first such time at or after the scenario's start on its
// local clock (Env.Start); without a start clock that is an error matching
// ErrNoClock.
func (a Args) When(name string) (sim.Time, error) {
	v := a.Raw(name)
	if c, ok := parseClock(v); ok {
		s := a.Env.Start
		if s.IsZero() {
			return 0, noClock{fmt.Errorf("%s=%s is a clock time but the scenario has no start clock; give an offset like 4h26m", name, v)}
		}
		midnight := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, s.Location())
		t := midnight.Add(c)
		if t.Before(s) {
			t = t.AddDate(0, 0, 1)
		}
		return sim.Time(t.Sub(s)), nil
	}
	d, _ := time.ParseDuration(v)
	return sim.Time(d), nil
}

// Float resolves a KindFraction or a KindNumber.
func (a Args) Float(name string) float64 {
	f, _ := strconv.ParseFloat(a.Raw(name), 64)
	return f
}

// Int resolves a KindAttempts or a KindWhole.
func (a Args) Int(name string) int {
	n, _ := strconv.Atoi(a.Raw(name))
	return n
}

// Duration resolves a KindDuration.
func (a Args) Duration(name string) time.Duration {
	d, _ := time.ParseDuration(a.Raw(name))
	return d
}

// Share resolves a KindShare: the percentage as a fraction ("10%" is 0.1).
func (a Args) Share(name string) float64 {
	f, _ := strconv.ParseFloat(strings.TrimSuffix(a.Raw(name), "%"), 64)
	return f / 100
}

// Span resolves a KindSpan: a duration, or "Nx" times the mean service time
// (Env.MeanService).
func (a Args) Span(name string) time.Duration {
	v := a.Raw(name)
	if x, ok := strings.CutSuffix(v, "x"); ok {
		f, _ := strconv.ParseFloat(x, 64)
		return time.Duration(f * float64(a.Env.MeanService))
	}
	d, _ := time.ParseDuration(v)
	return d
}

// Jitter resolves a KindJitter.
func (a Args) Jitter(name string) backlog.Jitter {
	j, _ := backlog.ParseJitter(a.Raw(name))
	return j
}

// noClock is the error of a clock time on a scenario without a clock: it
// matches ErrNoClock for callers that leave such specs out.
type noClock struct{ error }

func (noClock) Is(target error) bool { return target == ErrNoClock }
