package policy

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// Env is what a policy needs to know about the model it will run in.
type Env struct {
	Capacity    float64       // nominal completions per second of one station
	Workers     int           // workers per station
	MeanService time.Duration // mean base service time
	Timeout     time.Duration // the clients' attempt timeout (0: none)
	Start       time.Time     // the scenario's clock at virtual time 0
	Seed        uint64        // the run's seed, for randomized controls
}

// Build parses spec and builds its hooks for env.
func Build(spec string, env Env) (model.Hooks, error) {
	parts, err := Parse(spec)
	if err != nil {
		return model.Hooks{}, err
	}
	var h model.Hooks
	for _, p := range parts {
		d := registry[p.Name]
		ph, err := d.build(args{def: d, vals: p.Args, env: env}, env)
		if err != nil {
			return model.Hooks{}, fmt.Errorf("%w: %s: %w", ErrSpec, p.Name, err)
		}
		merge(&h, ph)
	}
	return h, nil
}

// Caveats are warnings about spec on a service like env's: a part whose
// parameters make it act as something other than its name says (AIMD whose
// drop threshold is below the service time marks every sample a drop, and
// its limit is then a fixed cap at its minimum). nil when there are none or
// the spec does not parse (Build reports that).
func Caveats(spec string, env Env) []string {
	parts, err := Parse(spec)
	if err != nil {
		return nil
	}
	var cs []string
	for _, p := range parts {
		if d := registry[p.Name]; d.caveat != nil {
			if c := d.caveat(args{def: d, vals: p.Args, env: env}); c != "" {
				cs = append(cs, p.Name+": "+c)
			}
		}
	}
	return cs
}

// merge adds a part's hooks to h; Parse has made sure no two parts fill the
// same role.
func merge(h *model.Hooks, p model.Hooks) {
	if p.Admit != nil {
		h.Admit = p.Admit
	}
	if p.Client != nil {
		h.Client = p.Client
	}
	if p.Queue.Kind != "" {
		h.Queue = p.Queue
	}
	if p.Backoff != nil {
		h.Backoff, h.MaxAttempts = p.Backoff, p.MaxAttempts
	}
	if p.Retry != nil {
		h.Retry = p.Retry
	}
	if p.Velocity != nil {
		h.Velocity, h.VelocityTargets = p.Velocity, p.VelocityTargets
	}
	h.Interventions = append(h.Interventions, p.Interventions...)
}

// args resolves a part's parameters, falling back to defaults.
type args struct {
	def  *Def
	vals map[string]string
	env  Env
}

func (a args) raw(name string) string {
	if v, ok := a.vals[name]; ok {
		return v
	}
	p, _ := a.def.param(name)
	return p.Default
}

// rate resolves a rate parameter to units per second.
func (a args) rate(name string) float64 {
	v := a.raw(name)
	if f, ok := strings.CutSuffix(v, "x"); ok {
		x, _ := strconv.ParseFloat(f, 64)
		return x * a.env.Capacity
	}
	x, _ := strconv.ParseFloat(v, 64)
	return x
}

// count resolves a count; a default like "4w" means 4 × workers.
func (a args) count(name string) int {
	v := a.raw(name)
	if f, ok := strings.CutSuffix(v, "w"); ok {
		n, _ := strconv.Atoi(f)
		return n * a.env.Workers
	}
	n, _ := strconv.Atoi(v)
	return n
}

func (a args) boolean(name string) bool { return a.raw(name) == "true" }

// when resolves "at" to virtual time: a clock time is the first such time at or
// after the scenario's start on its local clock.
func (a args) when(name string) (sim.Time, error) {
	v := a.raw(name)
	if c, ok := parseClock(v); ok {
		s := a.env.Start
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

func (a args) float(name string) float64 {
	f, _ := strconv.ParseFloat(a.raw(name), 64)
	return f
}

func (a args) integer(name string) int {
	n, _ := strconv.Atoi(a.raw(name))
	return n
}

func (a args) duration(name string) time.Duration {
	d, _ := time.ParseDuration(a.raw(name))
	return d
}

// share resolves a KindShare: the percentage as a fraction.
func (a args) share(name string) float64 {
	f, _ := strconv.ParseFloat(strings.TrimSuffix(a.raw(name), "%"), 64)
	return f / 100
}

// span resolves a KindSpan: a duration, or "Nx" times the mean service time.
func (a args) span(name string) time.Duration {
	v := a.raw(name)
	if x, ok := strings.CutSuffix(v, "x"); ok {
		f, _ := strconv.ParseFloat(x, 64)
		return time.Duration(f * float64(a.env.MeanService))
	}
	d, _ := time.ParseDuration(v)
	return d
}

// noClock is the error of a clock time on a scenario without a clock: it
// matches ErrNoClock for callers that leave such specs out.
type noClock struct{ error }

func (noClock) Is(target error) bool { return target == ErrNoClock }
