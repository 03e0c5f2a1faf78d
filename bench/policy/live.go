package policy

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/aftershock/aftershock/bench/model"
)

// LiveHooks are how a live-only part acts in live mode (loadgen serve,
// loadgen attack): as net/http middleware in front of each DWFM host's
// queue (server side, the admission role) or as a wrapper of the
// attacker's transport to each host (client side, the client role). Such
// a part may read the wall clock, as the libraries it wraps do, so it runs
// nowhere else: the simulator refuses it (ErrLiveOnly).
type LiveHooks struct {
	// Server, when set, returns host h's middleware: it wraps the handler
	// that queues an attempt at that host and answers when its work is
	// done (after the dependency-outage check and the server's hard
	// limits). A refusal it writes is the attempt's answer.
	Server func(h LiveHost) func(http.Handler) http.Handler
	// Client, when set, returns what wraps the transport the droplets of
	// host h send their attempts with (each attempt one RoundTrip of the
	// wrapper, within the attempt's timeout).
	Client func(h LiveHost) func(http.RoundTripper) http.RoundTripper
}

// LiveHost is what a live part's factory is told about the host it
// serves.
type LiveHost struct {
	Index int // the DWFM host, from 0
	// Scale is model seconds per wall second (--time-scale). A library
	// reads the wall clock: a rate of model time ("1x" capacity) is Scale
	// times as many per wall second, and a span of model time is 1/Scale
	// as long on the wall.
	Scale float64
}

// ErrLiveOnly marks a spec that names a live-only part (one with Live
// hooks) where no live server runs it: the simulator. It also matches
// ErrSpec.
var ErrLiveOnly = fmt.Errorf("%w: live mode only", ErrSpec)

// liveOnly is ErrLiveOnly about one part.
type liveOnly struct{ error }

func (liveOnly) Is(target error) bool { return target == ErrLiveOnly }

func (e liveOnly) Unwrap() error { return e.error }

// BuildLive parses spec and builds it for live mode: the hooks of its
// parts that have them (as Build), and the live hooks of its live-only
// parts.
func BuildLive(spec string, env Env) (model.Hooks, LiveHooks, error) {
	parts, err := Parse(spec)
	if err != nil {
		return model.Hooks{}, LiveHooks{}, err
	}
	var h model.Hooks
	var lh LiveHooks
	for _, p := range parts {
		d, _ := lookup(p.Name)
		a := Args{Env: env, def: d, vals: p.Args}
		if d.Live == nil {
			ph, err := d.Build(a)
			if err == nil {
				err = fits(d, ph)
			}
			if err != nil {
				return model.Hooks{}, LiveHooks{}, fmt.Errorf("%w: %s: %w", ErrSpec, p.Name, err)
			}
			merge(&h, ph)
			continue
		}
		ph, err := d.Live(a)
		if err == nil {
			err = fitsLive(d, ph)
		}
		if err != nil {
			return model.Hooks{}, LiveHooks{}, fmt.Errorf("%w: %s: %w", ErrSpec, p.Name, err)
		}
		if ph.Server != nil {
			lh.Server = ph.Server
		}
		if ph.Client != nil {
			lh.Client = ph.Client
		}
	}
	return h, lh, nil
}

// fitsLive reports live hooks h fills outside d's roles.
func fitsLive(d *Def, h LiveHooks) error {
	switch {
	case h.Server == nil && h.Client == nil:
		return errors.New("its Live returned no hooks")
	case h.Server != nil && !slices.Contains(d.Roles, RoleAdmission):
		return fmt.Errorf("its live Server hook fills the admission role, which is not among its roles (%s)", d.roleList())
	case h.Client != nil && !slices.Contains(d.Roles, RoleClient):
		return fmt.Errorf("its live Client hook fills the client role, which is not among its roles (%s)", d.roleList())
	}
	return nil
}

// IsLive reports whether the policy name is registered as live-only.
func IsLive(name string) bool {
	d, ok := lookup(name)
	return ok && d.Live != nil
}
