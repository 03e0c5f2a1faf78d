package policy

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/throttle"
)

// unregister removes name, so a test leaves the registry as it found it.
func unregister(t *testing.T, name string) {
	t.Helper()
	registry.mu.Lock()
	defer registry.mu.Unlock()
	delete(registry.defs, name)
}

// admitAll is the smallest admission policy: every station admits all.
func admitAll(name string) Def {
	return Def{
		Name: name, Roles: []Role{RoleAdmission}, Doc: "admits everything", Source: "this test",
		Params: []Param{{Name: "rate", Kind: KindRate, Default: "1x", Doc: "unused"}},
		Build: func(Args) (model.Hooks, error) {
			return model.Hooks{Admit: func(int) throttle.Admitter { return throttle.AdmitAll{} }}, nil
		},
	}
}

func TestEveryBuiltinIsRegistered(t *testing.T) {
	names := Names()
	if len(names) != len(builtins) {
		t.Errorf("%d policies registered, %d built in", len(names), len(builtins))
	}
	for _, d := range builtins {
		got, ok := Lookup(d.Name)
		if !ok || got.Name != d.Name || len(got.Params) != len(d.Params) {
			t.Errorf("%s: Lookup = %v, %v", d.Name, got.Name, ok)
		}
	}
}

// A registered policy is a policy like the built-in ones: Parse knows it,
// Build builds it with its parameters, Names lists it.
func TestRegisterThenUse(t *testing.T) {
	d := admitAll("test-admit-all")
	if err := Register(d); err != nil {
		t.Fatal(err)
	}
	defer unregister(t, d.Name)
	h, err := Build("test-admit-all:rate=0.5x+fifo", env)
	if err != nil || h.Admit == nil || h.Queue.Kind != "fifo" {
		t.Fatalf("Build: %+v, %v", h, err)
	}
	if _, err := Parse("test-admit-all+queue-size"); err == nil || !strings.Contains(err.Error(), "both set the admission role") {
		t.Errorf("two admission parts: %v", err)
	}
	if _, err := Parse("test-admit-all:burst=3"); err == nil || !strings.Contains(err.Error(), `unknown parameter "burst" (test-admit-all takes rate)`) {
		t.Errorf("unknown parameter: %v", err)
	}
	found := false
	for _, n := range Names() {
		found = found || n == d.Name
	}
	if !found {
		t.Errorf("Names() lacks %s", d.Name)
	}
}

func TestRegisterRefuses(t *testing.T) {
	ok := admitAll("test-ok")
	for _, c := range []struct {
		name string
		edit func(*Def)
		want string
	}{
		{"a built-in name", func(d *Def) { d.Name = "queue-size" }, `"queue-size": the name is taken`},
		{"an empty name", func(d *Def) { d.Name = "" }, "a name holds lower-case letters"},
		{"an upper-case name", func(d *Def) { d.Name = "Mine" }, "a name holds lower-case letters"},
		{"a name with '+'", func(d *Def) { d.Name = "a+b" }, "a name holds lower-case letters"},
		{"no Build", func(d *Def) { d.Build = nil }, "no Build"},
		{"an unknown role", func(d *Def) { d.Roles = []Role{RoleAdmission, "gate"} }, `role 2 "gate" is not one of admission, client, queue`},
		{"a role twice", func(d *Def) { d.Roles = []Role{RoleQueue, RoleQueue} }, `role 2 "queue" given twice`},
		{"a parameter without a name", func(d *Def) { d.Params[0].Name = "" }, `parameter 1 ""`},
		{"a parameter with '='", func(d *Def) { d.Params[0].Name = "a=b" }, `parameter 1 "a=b"`},
		{"a parameter twice", func(d *Def) { d.Params = append(d.Params, d.Params[0]) }, `parameter 2 "rate" given twice`},
		{"an unknown kind", func(d *Def) { d.Params[0].Kind = kinds }, `parameter 1 "rate": unknown kind 12`},
		{"a default its kind refuses", func(d *Def) { d.Params[0].Default = "fast" }, `parameter 1 "rate": default "fast": want a rate above 0`},
		{"an empty default", func(d *Def) { d.Params[0].Default = "" }, `default "": want a rate`},
		{"a derived default without a phrase", func(d *Def) { d.Params[0].Default, d.Params[0].Derived = "", true }, "needs a phrase"},
	} {
		d := ok
		d.Params = append([]Param(nil), ok.Params...)
		c.edit(&d)
		err := Register(d)
		if err == nil {
			unregister(t, d.Name)
			t.Errorf("%s: registered", c.name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "policy: register ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if len(Names()) != len(builtins) {
		t.Errorf("a refused Def was registered: %d policies", len(Names()))
	}
	// A derived default is a phrase, not checked.
	d := ok
	d.Params = []Param{{Name: "timeout", Kind: KindSpan, Default: "the clients'", Doc: "d", Derived: true}}
	if err := Register(d); err != nil {
		t.Errorf("a derived default: %v", err)
	}
	unregister(t, d.Name)
}

// The registry keeps its own copy: changing the Def after Register, or the
// one Lookup returned, changes no policy.
func TestRegistryKeepsItsOwnCopy(t *testing.T) {
	d := admitAll("test-copy")
	if err := Register(d); err != nil {
		t.Fatal(err)
	}
	defer unregister(t, d.Name)
	d.Params[0].Default = "fast"
	d.Roles[0] = RoleClient
	got, _ := Lookup("test-copy")
	got.Params[0].Name = "changed"
	again, _ := Lookup("test-copy")
	if again.Params[0].Name != "rate" || again.Params[0].Default != "1x" || again.Roles[0] != RoleAdmission {
		t.Errorf("registered Def changed from outside: %+v", again)
	}
	if _, err := Build("test-copy:rate=2", env); err != nil {
		t.Error(err)
	}
}

// A Build that fills a role its Def does not claim would slip past Parse's
// one part per role: Build refuses it, naming the role.
func TestBuildRefusesHooksOutsideTheRoles(t *testing.T) {
	d := admitAll("test-liar")
	d.Build = func(Args) (model.Hooks, error) {
		return model.Hooks{Client: func(int) throttle.Admitter { return throttle.AdmitAll{} }}, nil
	}
	if err := Register(d); err != nil {
		t.Fatal(err)
	}
	defer unregister(t, d.Name)
	_, err := Build("test-liar", env)
	if err == nil || !errors.Is(err, ErrSpec) || !strings.Contains(err.Error(), "test-liar: its hooks fill the client role, which is not among its roles (admission)") {
		t.Errorf("Build = %v", err)
	}
}

// Every parameter a Build asks for resolves as its Kind says; asking for one
// the Def does not declare is a bug in the Def, and panics saying so.
func TestArgsResolveByKind(t *testing.T) {
	var got []any
	d := Def{Name: "test-args", Doc: "d", Source: "s",
		Params: []Param{
			{Name: "r", Kind: KindRate, Default: "0.5x"}, {Name: "c", Kind: KindCount, Default: "2w"},
			{Name: "f", Kind: KindFraction, Default: "0.25"}, {Name: "d", Kind: KindDuration, Default: "3s"},
			{Name: "s", Kind: KindSpan, Default: "2x"}, {Name: "p", Kind: KindShare, Default: "10%"},
			{Name: "w", Kind: KindWhole, Default: "0"}, {Name: "b", Kind: KindBool, Default: "true"},
			{Name: "at", Kind: KindWhen, Default: "1h"}, {Name: "j", Kind: KindJitter, Default: "equal"},
		},
		Build: func(a Args) (model.Hooks, error) {
			at, err := a.When("at")
			got = []any{a.Rate("r"), a.Count("c"), a.Float("f"), a.Duration("d"), a.Span("s"), a.Share("p"),
				a.Int("w"), a.Bool("b"), at, a.Jitter("j").String(), a.Given("c"), a.Given("w")}
			return model.Hooks{}, err
		},
	}
	if err := Register(d); err != nil {
		t.Fatal(err)
	}
	defer unregister(t, d.Name)
	e := env
	e.MeanService = 10 * time.Second
	if _, err := Build("test-args:w=7", e); err != nil {
		t.Fatal(err)
	}
	want := "[0.125 8 0.25 3s 20s 0.1 7 true 1h0m0s equal false true]"
	if s := fmt.Sprint(got); s != want {
		t.Errorf("resolved %s, want %s", s, want)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), `test-args has no parameter "nope"`) {
			t.Errorf("undeclared parameter: recovered %v", r)
		}
	}()
	Args{def: &d}.Rate("nope")
}

// Register may run while specs are parsed and built (run with -race).
func TestRegisterConcurrentWithBuild(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 4 {
		name := fmt.Sprintf("test-concurrent-%d", i)
		wg.Go(func() {
			if err := Register(admitAll(name)); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			for range 50 {
				if _, err := Build("queue-size+fifo", env); err != nil {
					t.Error(err)
				}
				Names()
			}
		})
	}
	wg.Wait()
	for i := range 4 {
		unregister(t, fmt.Sprintf("test-concurrent-%d", i))
	}
}
