package scenario

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/dwfm"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/service"
)

// Scenario is one scenario file.
type Scenario struct {
	Name        string        `scn:"name,required"`
	Description string        `scn:"description"`
	Start       time.Time     `scn:"start"` // the incident's local clock at virtual time 0 (for the clock column)
	Horizon     time.Duration `scn:"horizon,positive,required"`
	Interval    time.Duration `scn:"interval,positive"` // default sample interval

	Clients  service.ClientConfig  `scn:"clients"`
	Service  model.StationConfig   `scn:"service"`
	DWFM     dwfm.Config           `scn:"dwfm"`
	Triggers []model.TriggerConfig `scn:"trigger"`

	// Source is where the scenario came from ("preset us-east-1" or a path).
	Source string
}

// DefaultInterval is the sample interval when a file sets none.
const DefaultInterval = time.Minute

// Validate checks what the decoder cannot: combinations of sections. The
// models validate their own parameters when built.
func (s *Scenario) Validate() error {
	if s.DWFM.Enabled() {
		if s.Clients != (service.ClientConfig{}) {
			return fmt.Errorf("scenario: %s: [dwfm] and [clients] both set; the droplets are the DWFM model's clients", s.Source)
		}
		return nil
	}
	if s.Clients.Rate == 0 && s.Clients.Schedule == "" {
		return fmt.Errorf("scenario: %s: no load: set [clients] rate or schedule, or a [dwfm] section", s.Source)
	}
	return nil
}

//go:embed presets/*.scn
var presets embed.FS

// Presets lists the built-in scenario names, sorted.
func Presets() []string {
	entries, _ := fs.ReadDir(presets, "presets")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".scn"))
	}
	sort.Strings(names)
	return names
}

// PresetText returns a preset's file text, comments included.
func PresetText(name string) ([]byte, error) {
	b, err := presets.ReadFile(path.Join("presets", name+".scn"))
	if err != nil {
		return nil, fmt.Errorf("scenario: no preset %q (presets: %s)", name, strings.Join(Presets(), ", "))
	}
	return b, nil
}

// Load reads a preset by name, or else a file by path. A reference that
// names neither is an error listing the presets.
func Load(ref string) (*Scenario, error) {
	if b, err := PresetText(ref); err == nil {
		return Parse("preset "+ref, b)
	}
	b, err := os.ReadFile(ref)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("scenario: %q is neither a preset (%s) nor a file", ref, strings.Join(Presets(), ", "))
		}
		return nil, fmt.Errorf("scenario: %v", err)
	}
	return Parse(ref, b)
}

// Parse decodes and validates a scenario file's text.
func Parse(name string, text []byte) (*Scenario, error) {
	s := &Scenario{Interval: DefaultInterval, Source: name}
	if err := Decode(name, bytes.NewReader(text), s); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// Describe is one line about the scenario for listings.
func (s *Scenario) Describe() string {
	if s.Description != "" {
		return s.Description
	}
	return s.Source
}
