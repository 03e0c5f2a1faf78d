package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

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

// roleHooks is a role and whether hooks fill it.
type roleHooks struct {
	role  Role
	fills func(model.Hooks) bool
}

// roles are the known roles, each with the hooks a part in that role fills.
var roles = []roleHooks{
	{RoleAdmission, func(h model.Hooks) bool { return h.Admit != nil }},
	{RoleClient, func(h model.Hooks) bool { return h.Client != nil }},
	{RoleQueue, func(h model.Hooks) bool { return h.Queue.Kind != "" }},
	{RoleRetry, func(h model.Hooks) bool { return h.Backoff != nil || h.MaxAttempts != 0 }},
	{RoleRetryGate, func(h model.Hooks) bool { return h.Retry != nil }},
	{RoleIntervention, func(h model.Hooks) bool { return len(h.Interventions) > 0 }},
	{RoleVelocity, func(h model.Hooks) bool { return h.Velocity != nil || h.VelocityTargets }},
}

// Param documents one parameter of a policy.
type Param struct {
	Name    string // as written in a spec: lower-case letters, digits and '-'
	Kind    Kind   // what values it takes, and how Args resolves them
	Default string // as a user would write it ("2w", "0.8x", "5s"), checked by Register
	Doc     string // what it sets
	// Derived marks a Default that is a phrase, not a value ("client"):
	// Build derives the value (from Env) when the spec does not set the
	// parameter, and Args.Given tells it which. Register does not check
	// such a Default.
	Derived bool
}

// Def is a policy: a control, a queue discipline, a retry schedule or an
// intervention, under the name a spec gives it. Fill one and pass it to
// Register; `loadgen policies` then lists it and every spec may use it.
type Def struct {
	// Name is the policy's name in a spec: lower-case letters, digits and
	// '-', starting with a letter ("queue-size").
	Name string
	// Roles are the roles the policy plays (none for a part that plays no
	// role, as "none"): a spec holds at most one part per role, and what
	// Build returns must fill only these roles' hooks (an admission part
	// sets model.Hooks.Admit, a client part Client, a queue part Queue, a
	// retry part Backoff or MaxAttempts, a retry-gate part Retry, a
	// velocity part Velocity, an intervention part Interventions).
	Roles []Role
	// Doc says what the policy does, in a sentence or two; Source where
	// its rule comes from (a paper, a library, a post-event summary).
	Doc, Source string
	// Params are its parameters, each with its default.
	Params []Param
	// Notes are the simplifications this policy makes against its source,
	// one per entry; `loadgen policies` prints them under the policy.
	Notes []string
	// Build returns the part's hooks for the model a.Env describes, its
	// parameters read through a. It may run more than once for one run (to
	// estimate the run's cost, then to run it), so a control that keeps
	// state is built inside the hook's factory (model.Hooks.Admit is called
	// once per station), and every station of every run gets its own. An
	// error is reported as a bad spec naming the policy.
	Build func(a Args) (model.Hooks, error)
	// Live, set instead of Build, makes the policy live-only: it returns
	// the part's LiveHooks (net/http middleware, a transport wrapper),
	// which live mode runs; the simulator refuses the policy with one line
	// (ErrLiveOnly). It is for controls that read the wall clock (a
	// library's); a control that takes time as an argument (a
	// throttle.Admitter) is registered with Build and runs in both. Like
	// Build it may run more than once per run, and its factories once per
	// host.
	Live func(a Args) (LiveHooks, error)
	// Caveat, if set, says when the part's parameters make it something
	// other than its name on a service like a.Env's ("" when they do not);
	// see Caveats.
	Caveat func(a Args) string
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

// clone is d with slices of its own, so that a caller's later changes to
// the Def it registered, or to one Lookup returned, change no other copy.
func (d Def) clone() Def {
	d.Roles, d.Params, d.Notes = slices.Clone(d.Roles), slices.Clone(d.Params), slices.Clone(d.Notes)
	return d
}

// registry holds the registered policies; mu guards it, so Register may run
// concurrently with Parse, Build and the rest.
var registry struct {
	mu   sync.RWMutex
	defs map[string]*Def
}

// Register adds d to the policies that Parse, Build and Caveats know and
// `loadgen policies` lists. It is meant for an init function, in this
// package (the built-in controls) or in any other (a library's own
// control: package bench/examples has one); it is safe to call at any
// time, from any goroutine, and a spec may name d as soon as it returns.
//
// Register keeps a copy of d. It refuses d, and registers nothing, when
// the name is taken or is not one a spec can hold, when neither or both of
// Build and Live are set, when
// a role is unknown or given twice, or when a parameter's name is empty,
// not one a spec can hold or given twice, its Kind unknown, or its Default
// refused by its Kind (unless Derived). The error starts "policy: register".
func Register(d Def) error {
	if err := check(&d); err != nil {
		return fmt.Errorf("policy: register %q: %w", d.Name, err)
	}
	c := d.clone()
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if _, taken := registry.defs[d.Name]; taken {
		return fmt.Errorf("policy: register %q: the name is taken (%d policies registered)", d.Name, len(registry.defs))
	}
	if registry.defs == nil {
		registry.defs = map[string]*Def{}
	}
	registry.defs[d.Name] = &c
	return nil
}

// check reports what makes d unfit to register.
func check(d *Def) error {
	if !nameRE.MatchString(d.Name) {
		return fmt.Errorf("a name holds lower-case letters, digits and '-', starting with a letter")
	}
	switch {
	case d.Build == nil && d.Live == nil:
		return fmt.Errorf("no Build (nor Live, for a live-only policy)")
	case d.Build != nil && d.Live != nil:
		return fmt.Errorf("both Build and Live: a policy runs everywhere (Build) or in live mode only (Live)")
	}
	for i, r := range d.Roles {
		if !slices.ContainsFunc(roles, func(k roleHooks) bool { return k.role == r }) {
			return fmt.Errorf("role %d %q is not one of %s", i+1, r, roleNames())
		}
		if slices.Contains(d.Roles[:i], r) {
			return fmt.Errorf("role %d %q given twice", i+1, r)
		}
	}
	for i, p := range d.Params {
		switch {
		case !nameRE.MatchString(p.Name):
			return fmt.Errorf("parameter %d %q: a name holds lower-case letters, digits and '-', starting with a letter", i+1, p.Name)
		case slices.ContainsFunc(d.Params[:i], func(q Param) bool { return q.Name == p.Name }):
			return fmt.Errorf("parameter %d %q given twice", i+1, p.Name)
		case p.Kind < 0 || p.Kind >= kinds:
			return fmt.Errorf("parameter %d %q: unknown kind %d", i+1, p.Name, int(p.Kind))
		case p.Derived && p.Default == "":
			return fmt.Errorf("parameter %d %q: a derived default needs a phrase saying what it is", i+1, p.Name)
		case !p.Derived:
			if err := p.Kind.check(p.Default); err != nil {
				return fmt.Errorf("parameter %d %q: default %q: %v", i+1, p.Name, p.Default, err)
			}
		}
	}
	return nil
}

// roleNames lists the known roles for an error.
func roleNames() string {
	var ns []string
	for _, k := range roles {
		ns = append(ns, string(k.role))
	}
	return strings.Join(ns, ", ")
}

// fits reports hooks h fills outside d's roles: a part whose Build does not
// do what its Roles say would slip past Parse's one part per role.
func fits(d *Def, h model.Hooks) error {
	for _, k := range roles {
		if k.fills(h) && !slices.Contains(d.Roles, k.role) {
			return fmt.Errorf("its hooks fill the %s role, which is not among its roles (%s)", k.role, d.roleList())
		}
	}
	return nil
}

func (d *Def) roleList() string {
	if len(d.Roles) == 0 {
		return "none"
	}
	var rs []string
	for _, r := range d.Roles {
		rs = append(rs, string(r))
	}
	return strings.Join(rs, ", ")
}

// lookup returns the registered definition of name itself, not a copy:
// for this package, which never changes it.
func lookup(name string) (*Def, bool) {
	registry.mu.RLock()
	defer registry.mu.RUnlock()
	d, ok := registry.defs[name]
	return d, ok
}

// Lookup returns a copy of the definition of a registered policy.
func Lookup(name string) (Def, bool) {
	d, ok := lookup(name)
	if !ok {
		return Def{}, false
	}
	return d.clone(), true
}

// Names lists, sorted, the registered policies that every model runs
// (those with Build): what the simulator, sweep --policies all and
// loadgen policies list. LiveNames lists the live-only ones.
func Names() []string { return names(false) }

// LiveNames lists, sorted, the registered live-only policies (those with
// Live): live mode runs them, the simulator refuses them.
func LiveNames() []string { return names(true) }

func names(live bool) []string {
	registry.mu.RLock()
	defer registry.mu.RUnlock()
	ns := make([]string, 0, len(registry.defs))
	for n, d := range registry.defs {
		if (d.Live != nil) == live {
			ns = append(ns, n)
		}
	}
	sort.Strings(ns)
	return ns
}

// builtins are the policies this package defines, one file each (the queue
// disciplines share queues.go, none and the interventions interventions.go).
var builtins = []*Def{
	&nonePolicy, &operatorPolicy, &failoverOffPolicy,
	&tokenBucketPolicy, &queueSizePolicy, &reservePolicy,
	&aimdPolicy, &vegasPolicy, &gradient2Policy, &envoyGradientPolicy,
	&sreThrottlePolicy, &circuitBreakerPolicy,
	&fifoPolicy, &lifoPolicy, &adaptiveLIFOPolicy, &codelPolicy, &fbCoDelPolicy, &deadlineDropPolicy, &boundedPolicy,
	&backoffPolicy, &retryBudgetPolicy, &awsQuotaPolicy, &velocityPolicy,
}

func init() {
	for _, d := range builtins {
		if err := Register(*d); err != nil {
			panic(err) // a built-in policy is wrong: a bug here
		}
	}
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
