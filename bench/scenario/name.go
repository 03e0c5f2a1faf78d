package scenario

import (
	"reflect"
	"slices"
)

// ownName refuses a file that carries a preset's name but is not that
// preset (loadgen scenarios show us-east-1 > mine.toml, then edited): its
// runs would be written under the preset's name, and compare would pool
// them with the preset's, or refuse them as the same runs. A file that is
// the preset (comments and key order aside) may keep the name.
func (s *Scenario) ownName() error {
	if !slices.Contains(Presets(), s.Name) {
		return nil
	}
	text, err := PresetText(s.Name)
	if err != nil {
		return err
	}
	p, err := Parse("preset "+s.Name, text)
	if err != nil {
		return err
	}
	if !sameScenario(*s, *p) {
		return OneLine("scenario: %s is named %q, a preset's name, but is not that preset: its results would be taken for the preset's; give it a name of its own (name = \"...\")", s.Source, s.Name)
	}
	return nil
}

// sameScenario reports whether a and b are the same scenario, whatever
// their source and text: the same keys, the same stages.
func sameScenario(a, b Scenario) bool {
	a.Source, b.Source, a.text, b.text = "", "", nil, nil
	a.Stages.raw, b.Stages.raw = nil, nil
	for _, name := range StageNames {
		sa, sb := *a.Stages.stage(name), *b.Stages.stage(name)
		if (sa == nil) != (sb == nil) || sa != nil && !sameScenario(*sa, *sb) {
			return false
		}
		*a.Stages.stage(name), *b.Stages.stage(name) = nil, nil
	}
	return reflect.DeepEqual(a, b)
}
