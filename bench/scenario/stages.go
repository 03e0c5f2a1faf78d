package scenario

import (
	"bytes"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/aftershock/aftershock/bench/cascade"
)

// StageNames are a cascade's stages, in the order they run, as [stages]
// names them.
var StageNames = []string{"dwfm", "netprop", "nlb"}

// Stages is a cascade's [stages] section: each stage's scenario. A stage is
// written as a preset's name (dwfm = "us-east-1") or as a table of a
// scenario file's keys under [stages.NAME], which may start from a preset
// (preset = "us-east-1") and set keys of it: tables merge key by key, any
// other value (a [[trigger]] list included) replaces the preset's; a key
// the cascade replaces (cascade.Replaced) set over a preset is refused, as
// it would change nothing. Each stage is decoded and validated as a
// scenario file of its own, strictly.
type Stages struct {
	DWFM, NetProp, NLB *Scenario
	raw                map[string]any // as decoded, until resolve
}

// UnmarshalTOML keeps the section as decoded; resolve reads it.
func (s *Stages) UnmarshalTOML(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("[stages] is a section (dwfm = \"us-east-1\" under it), not a value")
	}
	s.raw = m
	return nil
}

// Enabled reports whether the scenario is a cascade.
func (s Stages) Enabled() bool {
	return s.raw != nil || s.DWFM != nil || s.NetProp != nil || s.NLB != nil
}

// stage is the stage named name (one of StageNames).
func (s *Stages) stage(name string) **Scenario {
	switch name {
	case "dwfm":
		return &s.DWFM
	case "netprop":
		return &s.NetProp
	}
	return &s.NLB
}

// resolve decodes each stage of s.raw; file names the cascade file in
// errors.
func (s *Stages) resolve(file string) error {
	var names []string
	for k := range s.raw {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !slices.Contains(StageNames, k) {
			return OneLine("scenario: %s: unknown key %q (the stages are %s)", file, "stages."+k, strings.Join(StageNames, ", "))
		}
	}
	for _, name := range StageNames {
		v, ok := s.raw[name]
		if !ok {
			continue
		}
		sc, err := parseStage(file, name, v)
		if err != nil {
			return err
		}
		*s.stage(name) = sc
	}
	return nil
}

// lineNumber matches Parse's " line N:", which in a stage's text is the
// line of the text encoded here, not of the file.
var lineNumber = regexp.MustCompile(` line \d+:`)

// parseStage decodes one stage's value (a preset's name or a table).
func parseStage(file, name string, v any) (*Scenario, error) {
	where := fmt.Sprintf("%s [stages.%s]", file, name)
	if ref, ok := v.(string); ok {
		text, err := PresetText(ref)
		if err != nil {
			return nil, OneLine("scenario: %s: %q is not a preset (%s): write the stage inline, its keys under [stages.%s] (preset = NAME and the keys to change)",
				where, ref, strings.Join(Presets(), ", "), name)
		}
		return Parse("preset "+ref, text)
	}
	table, err := ExpandStage(name, v)
	if err != nil {
		return nil, OneLine("scenario: %s: %v", where, err)
	}
	table = ignoreReplaced(name, table)
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(table); err != nil {
		return nil, OneLine("scenario: %s: %v", where, err)
	}
	sc, err := Parse(where, b.Bytes())
	if err != nil {
		return nil, OneLine("%s", lineNumber.ReplaceAllString(err.Error(), ""))
	}
	return sc, nil
}

// ignoreReplaced drops from a stage's table the keys the cascade replaces
// that the stage's own validation would check against the rest: the NLB's
// launch_weights (one per zone), which the cascade ignores (it spreads the
// launches over the zones in turn), so that a stage with its preset's
// weights can set another number of zones. The table given is not changed.
func ignoreReplaced(name string, table map[string]any) map[string]any {
	sec, ok := table["nlb"].(map[string]any)
	if !ok || name != "nlb" {
		return table
	}
	sec = maps.Clone(sec)
	delete(sec, "launch_weights")
	table = maps.Clone(table)
	table["nlb"] = sec
	return table
}

// ExpandStage is a stage's value as the full table of its scenario's keys:
// a preset's name is the preset's keys; a table with preset = NAME is the
// preset's keys with the table's set over them (tables merged, anything
// else replaced). bench.With expands a stage this way before it sets one of
// its keys.
func ExpandStage(name string, v any) (map[string]any, error) {
	switch t := v.(type) {
	case string:
		return presetTable(t)
	case map[string]any:
		ref, has := t["preset"]
		if !has {
			return t, nil
		}
		s, ok := ref.(string)
		if !ok {
			return nil, fmt.Errorf("preset = %v: want a preset's name in quotes", ref)
		}
		base, err := presetTable(s)
		if err != nil {
			return nil, err
		}
		over := maps.Clone(t)
		delete(over, "preset")
		for _, k := range paths(over, "") {
			if why, ok := cascade.Replaced[name][k]; ok {
				return nil, fmt.Errorf("%s: the cascade replaces stage %s's %s (%s): setting it over preset %s changes nothing", k, name, k, why, s)
			}
		}
		merge(base, over)
		return base, nil
	}
	return nil, fmt.Errorf("stage %s = %v: want a preset's name (\"%s\") or a table of a scenario's keys", name, v, map[string]string{"dwfm": "us-east-1", "netprop": "netprop", "nlb": "nlb"}[name])
}

// presetTable is a preset's keys, decoded.
func presetTable(ref string) (map[string]any, error) {
	text, err := PresetText(ref)
	if err != nil {
		return nil, fmt.Errorf("%q is not a preset (%s)", ref, strings.Join(Presets(), ", "))
	}
	var m map[string]any
	if _, err := toml.Decode(string(text), &m); err != nil {
		return nil, err
	}
	return m, nil
}

// paths are the keys of a decoded table by their dotted path, prefix
// before each (tables walked into, any other value a leaf).
func paths(t map[string]any, prefix string) []string {
	var out []string
	for k, v := range t {
		if sub, ok := v.(map[string]any); ok {
			out = append(out, paths(sub, prefix+k+".")...)
			continue
		}
		out = append(out, prefix+k)
	}
	sort.Strings(out)
	return out
}

// merge sets over's keys in base: tables merged, anything else replaced.
func merge(base, over map[string]any) {
	for k, v := range over {
		if b, ok := base[k].(map[string]any); ok {
			if o, ok := v.(map[string]any); ok {
				merge(b, o)
				continue
			}
		}
		base[k] = v
	}
}

// validateCascade checks a cascade: every stage there, each the model its
// name says and none a cascade; nothing of a single model's set at the top
// (the stages have it); the link.
func (s *Scenario) validateCascade() error {
	st := &s.Stages
	var missing []string
	for _, name := range StageNames {
		if *st.stage(name) == nil {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return s.errorf("[stages] needs dwfm, netprop and nlb (missing: %s)", strings.Join(missing, ", "))
	}
	for _, c := range []struct {
		name string
		sc   *Scenario
		ok   bool
	}{{"dwfm", st.DWFM, st.DWFM.DWFM.Enabled()}, {"netprop", st.NetProp, st.NetProp.NetProp.Enabled()}, {"nlb", st.NLB, st.NLB.NLB.Enabled()}} {
		if c.sc.Stages.Enabled() {
			return s.errorf("stage %s: %s is a cascade itself", c.name, c.sc.Name)
		}
		if !c.ok {
			return s.errorf("stage %s: scenario %s has no [%s] section", c.name, c.sc.Name, c.name)
		}
	}
	for _, v := range []any{s.Clients, s.Service, s.DWFM, s.NetProp, s.NLB, s.Triggers} {
		if !reflect.ValueOf(v).IsZero() {
			return s.errorf("%s", singleModel)
		}
	}
	if st.NLB.NLB.NoFailover {
		return s.errorf("stage nlb: scenario %s sets no_failover; the cascade's [link] failover_off_at and failover_on_at (or the failover-off policy) set the switch", st.NLB.Name)
	}
	if err := s.Link.Validate(); err != nil {
		return s.errorf("[link]: %v", err)
	}
	return nil
}

// singleModel says where a single model's sections go in a cascade.
const singleModel = "a cascade's models are its stages: [clients], [service], [dwfm], [netprop], [nlb] and [[trigger]] go under [stages.NAME]"

// cascadeTimeline checks that a cascade sets no clock and no model section
// of its own (even to a zero value, which validateCascade cannot see), and
// takes its dwfm stage's start, horizon and interval: the cascade runs on
// that stage's timeline.
func (s *Scenario) cascadeTimeline(md toml.MetaData) error {
	for _, k := range []string{"start", "horizon", "interval"} {
		if md.IsDefined(k) {
			return s.errorf("%s: a cascade runs on its dwfm stage's timeline; set it under [stages.dwfm]", k)
		}
	}
	for _, k := range []string{"clients", "service", "dwfm", "netprop", "nlb", "trigger"} {
		if md.IsDefined(k) {
			return s.errorf("[%s]: %s", k, singleModel)
		}
	}
	if s.Stages.DWFM != nil {
		s.Start, s.Horizon, s.Interval = s.Stages.DWFM.Start, s.Stages.DWFM.Horizon, s.Stages.DWFM.Interval
	}
	return nil
}
