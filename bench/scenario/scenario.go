package scenario

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/aftershock/aftershock/bench/cascade"
	"github.com/aftershock/aftershock/bench/dnsrace"
	"github.com/aftershock/aftershock/bench/dwfm"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/nlb"
	"github.com/aftershock/aftershock/bench/service"
)

// Scenario is one scenario file.
type Scenario struct {
	Name        string         `toml:"name"`
	Description string         `toml:"description"`
	Start       time.Time      `toml:"start"` // the incident's local clock at virtual time 0 (for the clock column)
	Horizon     model.Duration `toml:"horizon"`
	Interval    model.Duration `toml:"interval"` // sample interval; DefaultInterval when unset

	Clients  service.ClientConfig  `toml:"clients"`
	Service  model.StationConfig   `toml:"service"`
	DWFM     dwfm.Section          `toml:"dwfm"`
	NetProp  netprop.Section       `toml:"netprop"` // the Network Manager; [service] is its station
	NLB      nlb.Section           `toml:"nlb"`     // the NLB health checker; [service] is each AZ's checker
	Triggers []model.TriggerConfig `toml:"trigger"`

	// A cascade (stages.go) has [stages] and [link] instead of the above:
	// its start, horizon and interval are its dwfm stage's.
	Stages Stages       `toml:"stages"`
	Link   cascade.Link `toml:"link"`

	// Source is where the scenario came from ("preset us-east-1" or a path).
	Source string `toml:"-"`
	text   []byte // the file's text
}

// Text is the file text s was parsed from (nil for a Scenario built in
// code): bench.With edits it to set a key.
func (s *Scenario) Text() []byte { return s.text }

// DefaultInterval is the sample interval when a file sets none.
const DefaultInterval = model.Duration(time.Minute)

// Limits on the run's shape: MinInterval and MaxSamples bound the time
// series a run writes (horizon ÷ interval rows).
const (
	MinInterval = model.Duration(time.Millisecond)
	MaxSamples  = 10_000_000
)

// Validate checks every section with its own Validate, and what no section
// can check alone: which sections go together, and the run's shape. Errors
// name the file and the section.
func (s *Scenario) Validate() error {
	if s.Name == "" {
		return s.errorf("name missing")
	}
	if s.Horizon == 0 {
		return s.errorf(`horizon missing (e.g. horizon = "1h")`)
	}
	if err := model.InRange("horizon", s.Horizon, 1, model.MaxSpan); err != nil {
		return s.errorf("%v", err)
	}
	if err := model.InRange("interval", s.Interval, MinInterval, s.Horizon); err != nil {
		return s.errorf("%v", err)
	}
	if n := s.Horizon / s.Interval; n > MaxSamples {
		return s.errorf("horizon %v ÷ interval %v is %d samples, above the limit %d", s.Horizon, s.Interval, n, MaxSamples)
	}
	if s.Stages.Enabled() {
		return s.validateCascade()
	}
	if s.Link != (cascade.Link{}) {
		return s.errorf("[link] without [stages]: a link joins a cascade's stages")
	}
	if n := btoi(s.DWFM.Enabled()) + btoi(s.NetProp.Enabled()) + btoi(s.NLB.Enabled()); n > 1 {
		return s.errorf("[dwfm], [netprop] and [nlb]: %d set, at most one (each is a model of its own)", n)
	}
	if err := s.validateStage(); err != nil {
		return err
	}
	switch {
	case s.DWFM.Enabled():
		if !reflect.ValueOf(s.Clients).IsZero() {
			return s.errorf("[dwfm] and [clients] both set; the droplets are the DWFM model's clients")
		}
		if err := s.DWFM.Validate(); err != nil {
			return s.errorf("[dwfm]: %v", err)
		}
	case s.NetProp.Enabled() || s.NLB.Enabled():
		// the section is the load; validateStage has checked it
	case s.Clients.Rate == 0 && len(s.Clients.Schedule) == 0:
		return s.errorf("no load: set [clients] rate or schedule, or a [dwfm], [netprop] or [nlb] section")
	default:
		if err := s.Clients.Validate(); err != nil {
			return s.errorf("[clients]: %v", err)
		}
	}
	if err := s.Service.Validate(); err != nil {
		return s.errorf("[service]: %v", err)
	}
	for i, t := range s.Triggers {
		err := t.Validate()
		if err == nil {
			err = dnsrace.CheckTrigger(t)
		}
		if err != nil {
			return s.errorf("[[trigger]] %d: %v", i+1, err)
		}
		if t.At >= s.Horizon {
			return s.errorf("[[trigger]] %d: at %v, not before the horizon %v", i+1, t.At, s.Horizon)
		}
		// A run that ends inside its trigger has nothing to recover from,
		// yet would look like one that never recovered. (A dns-race's
		// duration is the window in which the race may start an outage.)
		if end := t.At + t.Duration; end >= s.Horizon && t.Kind != model.DNSRace {
			return s.errorf("[[trigger]] %d: ends at %v (at %v + duration %v), not before the horizon %v: the run would end inside it", i+1, end, t.At, t.Duration, s.Horizon)
		}
	}
	return nil
}

func (s *Scenario) errorf(format string, args ...any) error {
	return OneLine("scenario: %s: %s", s.Source, fmt.Sprintf(format, args...))
}

//go:embed presets/*.toml
var presets embed.FS

// Presets lists the built-in scenario names, sorted.
func Presets() []string { return PresetNames(presets) }

// PresetNames lists the presets/*.toml files of fsys by name, sorted: the
// built-in scenarios here, the cascades in package cascade.
func PresetNames(fsys fs.FS) []string {
	entries, _ := fs.ReadDir(fsys, "presets")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".toml"))
	}
	sort.Strings(names)
	return names
}

// PresetText returns a preset's file text, comments included.
func PresetText(name string) ([]byte, error) {
	b, err := presets.ReadFile(path.Join("presets", name+".toml"))
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
			return nil, OneLine("scenario: %q is neither a preset (%s) nor a file", ref, strings.Join(Presets(), ", "))
		}
		return nil, OneLine("scenario: %v", err)
	}
	s, err := Parse(ref, b)
	if err != nil {
		return nil, err
	}
	if err := s.ownName(); err != nil {
		return nil, err
	}
	return s, nil
}

// Parse decodes a scenario file's text (TOML) strictly and validates it:
// an unknown key, a duration without quotes and a unit, a duplicate key or
// a value out of range is an error. name is the file, for messages. Every
// error is one line starting with "scenario: " and the file.
func Parse(name string, text []byte) (*Scenario, error) {
	s := &Scenario{Interval: DefaultInterval, Source: name}
	md, err := toml.Decode(string(text), s)
	if err != nil {
		return nil, decodeError(name, text, err)
	}
	keys := md.Undecoded()
	for _, k := range md.Keys() { // the library matches keys case-insensitively; files may not
		if k.String() != strings.ToLower(k.String()) {
			keys = append(keys, k)
		}
	}
	if len(keys) > 0 {
		k := keys[0]
		if hint, ok := removedKeys[k.String()]; ok {
			return nil, OneLine("scenario: %s:%s key %q was removed: %s; delete it", name, lineOf(text, k), k.String(), hint)
		}
		return nil, OneLine("scenario: %s:%s unknown key %q", name, lineOf(text, k), k.String())
	}
	if s.Stages.Enabled() {
		if err := s.Stages.resolve(name); err != nil {
			return nil, err
		}
		if err := s.cascadeTimeline(md); err != nil {
			return nil, err
		}
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	s.text = text
	return s, nil
}

// removedKeys are keys files once had, each with why it went: an old file
// gets a hint rather than a bare "unknown key".
var removedKeys = map[string]string{
	"dwfm.zones": "it was validated and changed nothing (DWFM hosts are in no zone: the outage is regional)",
}

// oldSyntax matches a line of the format before TOML: a value that is
// unquoted text, or a number with a unit.
var oldSyntax = regexp.MustCompile(`^\s*[\w-]+\s*=\s*([A-Za-z_]|[0-9.]+[A-Za-zµ(])`)

// lastKey matches how the library names the key in its type errors.
var lastKey = regexp.MustCompile(`^line (\d+) \(last key "([^"]*)"\): `)

// decodeError turns the library's error into one line naming the file, the
// line and the key.
func decodeError(name string, text []byte, err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return OneLine("scenario: %s: %s", name, lastKey.ReplaceAllString(strings.TrimPrefix(err.Error(), "toml: "), "line $1: $2: "))
	}
	lines := strings.Split(string(text), "\n")
	if n := pe.Position.Line; n >= 1 && n <= len(lines) && oldSyntax.MatchString(lines[n-1]) {
		return OneLine(`scenario: %s: line %d: not TOML (values that are text or durations are quoted: horizon = "14h32m"); see 'loadgen scenarios show us-east-1'`, name, n)
	}
	if pe.LastKey != "" {
		return OneLine("scenario: %s: line %d: %s: %s", name, pe.Position.Line, pe.LastKey, pe.Message)
	}
	return OneLine("scenario: %s: line %d: %s", name, pe.Position.Line, pe.Message)
}

// lineOf finds the line that sets key k, as " line N:", or "" if none does.
func lineOf(text []byte, k toml.Key) string {
	last := k[len(k)-1]
	for i, l := range strings.Split(string(text), "\n") {
		l = strings.TrimSpace(l)
		if l == "["+k.String()+"]" || (strings.HasPrefix(l, last) && strings.HasPrefix(strings.TrimSpace(l[len(last):]), "=")) {
			return fmt.Sprintf(" line %d:", i+1)
		}
	}
	return ""
}

// OneLine formats an error and makes it one printable line: a control
// character from a file name or value cannot break it.
func OneLine(format string, args ...any) error {
	return errors.New(strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, fmt.Sprintf(format, args...)))
}

// Describe is one line about the scenario for listings.
func (s *Scenario) Describe() string {
	if s.Description != "" {
		return s.Description
	}
	return s.Source
}
