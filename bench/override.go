package bench

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/scenario"
)

// With returns a copy of s with one key set, decoded and validated again by
// scenario.Parse, so an override is checked exactly as a file is; s is not
// changed. It is how sweep --vary sets its keys.
// key is the key's TOML path as a file writes it: "horizon",
// "dwfm.check_interval", "service.workers"; a [[trigger]] is numbered from 1:
// "trigger.1.duration". value is a TOML value as the file would write it
// (10, 0.5, true, "90s"); a value that is not TOML on its own is taken as
// text, so dwfm.check_interval=90s is "90s". Every error is one line naming
// the key. s must come from scenario.Parse or Load (With edits its text).
//
// A cascade's keys are its own (link.items_per_droplet_hour) and its
// stages', each by the stage's name and the key's path in the stage's file:
// stages.dwfm.dwfm.check_interval, stages.netprop.service.workers,
// stages.nlb.nlb.check_interval, stages.dwfm.trigger.1.duration. The stage
// is written out in full first (its preset's keys, scenario.ExpandStage),
// then the key set in it. A key the cascade replaces (cascade.Replaced:
// stages.nlb.nlb.launches, whose launches are netprop's output) is refused:
// setting it would change nothing.
func With(s *scenario.Scenario, key, value string) (*scenario.Scenario, error) {
	fail := func(format string, a ...any) (*scenario.Scenario, error) {
		return nil, scenario.OneLine("scenario: %s: %s = %s: %s", s.Source, key, value, fmt.Sprintf(format, a...))
	}
	var doc map[string]any
	if _, err := toml.Decode(string(s.Text()), &doc); err != nil || s.Text() == nil {
		return fail("no file text to edit (%v)", err)
	}
	v, lit, err := tomlValue(value)
	if err != nil {
		return fail("%v", err)
	}
	path := strings.Split(key, ".")
	if err := expandStage(doc, path); err != nil {
		return fail("%v", err)
	}
	if err := set(doc, path, v); err != nil {
		return fail("%v", err)
	}
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(doc); err != nil {
		return fail("%v", err)
	}
	c, err := scenario.Parse(s.Source, b.Bytes())
	if err != nil { // its line numbers are the edited text's, not the file's
		return nil, scenario.OneLine("%s (with %s = %s)", lineRef.ReplaceAllString(err.Error(), ""), key, lit)
	}
	return c, nil
}

// lineRef matches a line number in Parse's messages.
var lineRef = regexp.MustCompile(` line \d+:`)

// tomlValue decodes value as one TOML value, or else as a string; lit is
// how it is written back in messages.
func tomlValue(value string) (v any, lit string, err error) {
	for _, lit := range []string{value, strconv.Quote(value)} {
		var m map[string]any
		if md, err := toml.Decode("v = "+lit, &m); err == nil {
			if len(md.Keys()) != 1 {
				return nil, "", fmt.Errorf("not one value")
			}
			return m["v"], lit, nil
		}
	}
	return nil, "", fmt.Errorf("not one value")
}

// expandStage writes out in full the cascade stage that path (stages.NAME.
// KEY...) sets a key of, and refuses a key the cascade replaces.
func expandStage(doc map[string]any, path []string) error {
	if len(path) < 3 || path[0] != "stages" {
		return nil
	}
	stages, ok := doc["stages"].(map[string]any)
	if !ok {
		return nil // not a cascade: Parse says so
	}
	name, rest := path[1], strings.Join(path[2:], ".")
	if why, ok := cascade.Replaced[name][rest]; ok {
		return fmt.Errorf("the cascade replaces stage %s's %s (%s): setting it changes nothing", name, rest, why)
	}
	v, ok := stages[name]
	if !ok {
		return nil
	}
	full, err := scenario.ExpandStage(name, v)
	if err != nil {
		return err
	}
	stages[name] = full
	return nil
}

// set puts v at path in a decoded TOML document, making sections that do
// not exist yet (Parse then refuses a key that no scenario has).
func set(doc map[string]any, path []string, v any) error {
	for i := 0; i < len(path)-1; i++ {
		switch next := doc[path[i]].(type) {
		case nil:
			m := map[string]any{}
			doc[path[i]], doc = m, m
		case map[string]any:
			doc = next
		case []map[string]any: // [[trigger]]: the next part is its number
			n, err := strconv.Atoi(path[i+1])
			if err != nil || n < 1 || n > len(next) || i+2 >= len(path) {
				return fmt.Errorf("[[%s]] is numbered 1..%d (e.g. %s.1.duration)", path[i], len(next), path[i])
			}
			doc, i = next[n-1], i+1
		default:
			return fmt.Errorf("%s is a value, not a section", strings.Join(path[:i+1], "."))
		}
	}
	last := path[len(path)-1]
	switch doc[last].(type) {
	case map[string]any, []map[string]any:
		return fmt.Errorf("%s is a section, not a value", strings.Join(path, "."))
	}
	doc[last] = v
	return nil
}
