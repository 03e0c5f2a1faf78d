package policy

import (
	"fmt"
	"time"

	"github.com/aftershock/aftershock/bench/model"
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

// Build parses spec and builds its hooks for env. A live-only part (see
// LiveHooks) is refused, with an error matching ErrLiveOnly: the caller
// runs no live server (BuildLive builds for one).
func Build(spec string, env Env) (model.Hooks, error) {
	parts, err := Parse(spec)
	if err != nil {
		return model.Hooks{}, err
	}
	var h model.Hooks
	for _, p := range parts {
		d, _ := lookup(p.Name) // Parse found it, and nothing is ever unregistered
		if d.Live != nil {
			return model.Hooks{}, liveOnly{fmt.Errorf("%w: %s runs only in live mode (loadgen serve, loadgen attack): it reads the wall clock; the simulator's time is virtual", ErrSpec, p.Name)}
		}
		ph, err := d.Build(Args{Env: env, def: d, vals: p.Args})
		if err == nil {
			err = fits(d, ph)
		}
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
		if d, _ := lookup(p.Name); d.Caveat != nil {
			if c := d.Caveat(Args{Env: env, def: d, vals: p.Args}); c != "" {
				cs = append(cs, p.Name+": "+c)
			}
		}
	}
	return cs
}

// merge adds a part's hooks to h; Parse has made sure no two parts fill the
// same role, and Build that each part fills only its own.
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
	if p.Backoff != nil || p.MaxAttempts != 0 {
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
