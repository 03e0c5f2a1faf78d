package policy

import (
	"strings"

	"github.com/aftershock/aftershock/bench/model"
)

// Role is what a part of a policy does.
type Role string

// Roles.
const (
	RoleAdmission    Role = "admission"    // server side: may this attempt enter the host?
	RoleClient       Role = "client"       // client side: may this attempt be sent at all?
	RoleQueue        Role = "queue"        // the host's queue discipline
	RoleRetry        Role = "retry"        // the clients' schedule after a timed-out attempt
	RoleRetryGate    Role = "retry-gate"   // may this retry be sent?
	RoleIntervention Role = "intervention" // operator actions at fixed times
	RoleVelocity     Role = "velocity"     // how much capacity a model may take out of service per window
)

// Param documents one parameter of a policy.
type Param struct {
	Name    string
	Kind    Kind
	Default string // as a user would write it, or a phrase when derived
	Doc     string
}

// Def is a registered policy.
type Def struct {
	Name   string
	Roles  []Role
	Doc    string
	Source string
	Params []Param
	// Notes are the simplifications this policy makes against its source,
	// one per entry; `loadgen policies` prints them under the policy.
	Notes []string
	build func(a args, env Env) (model.Hooks, error)
	// caveat, if set, says when this part's parameters make it something
	// other than its name on a service like env's ("" when they do not).
	caveat func(a args) string
}

func (d *Def) param(name string) (Param, bool) {
	for _, p := range d.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

func (d *Def) paramNames() string {
	if len(d.Params) == 0 {
		return "no parameters"
	}
	var ns []string
	for _, p := range d.Params {
		ns = append(ns, p.Name)
	}
	return strings.Join(ns, ", ")
}

var registry = map[string]*Def{}

func register(d *Def) { registry[d.Name] = d }

// Lookup returns the definition of a registered policy.
func Lookup(name string) (*Def, bool) {
	d, ok := registry[name]
	return d, ok
}

// Variants are tuned settings and compositions worth comparing with the
// defaults on the us-east-1 scenario: the published defaults of several
// controls are for millisecond RPCs, and DWFM's work takes seconds.
var Variants = []string{
	"codel:target=1x,interval=20x",         // CoDel scaled to a 15 s service
	"fb-codel:target=1x,interval=20x",      // Facebook's variant, scaled the same
	"aimd:timeout=10x",                     // AIMD's drop threshold above the latency at its least limit
	"queue-size+deadline-drop",             // the mitigation plus skipping abandoned work
	"deadline-drop+operator",               // the operators' fix with abandoned work skipped
	"backoff:base=1m,cap=30m+retry-budget", // patient clients with a budget
	"sre-throttle+queue-size",              // client-side and server-side throttles together
	"circuit-breaker:cooldown=1m+bounded",  // breaker in front of a short queue
}
