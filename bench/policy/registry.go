package policy

import (
	"github.com/aftershock/aftershock/bench/service"
	"strings"
)

// Role is what a part of a policy does.
type Role string

// Roles.
const (
	RoleAdmission    Role = "admission"
	RoleIntervention Role = "intervention"
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
	build  func(a args, env Env) (service.Hooks, error)
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
