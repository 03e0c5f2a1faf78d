package cascade

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
)

// File is a cascade file: the stages' scenario presets and the link.
type File struct {
	Name        string `toml:"name"`
	Description string `toml:"description"`
	Stages      Stages `toml:"stages"`
	Link        Link   `toml:"link"`
}

// Stages names each stage's scenario preset.
type Stages struct {
	DWFM    string `toml:"dwfm"`
	NetProp string `toml:"netprop"`
	NLB     string `toml:"nlb"`
}

// Link is how one stage's output becomes the next one's input (see the
// package doc: all of it is assumed but the failover times).
type Link struct {
	ItemsPerDropletHour float64        `toml:"items_per_droplet_hour"`
	ReleaseOver         model.Duration `toml:"release_over"`
	NLBEvery            int            `toml:"nlb_every"`
	FailoverOffAt       model.Duration `toml:"failover_off_at"`
	FailoverOnAt        model.Duration `toml:"failover_on_at"`
	// VisibleLatency is the p99 propagation latency at which the latency
	// counts as visibly up (the prop_up milestone); unset: netprop's normal
	// latency.
	VisibleLatency model.Duration `toml:"visible_latency"`
	// ReachBefore, when set, replaces the NLB stage's reach_before (the
	// chance that a check or a connection reaches a target whose network
	// state has not propagated).
	ReachBefore float64 `toml:"reach_before"`
}

// MaxItemsPerDropletHour bounds the held-back work per droplet-hour.
const MaxItemsPerDropletHour = 1000

// Validate checks l's ranges.
func (l Link) Validate() error {
	switch {
	case !(l.ItemsPerDropletHour > 0 && l.ItemsPerDropletHour <= MaxItemsPerDropletHour):
		return fmt.Errorf("cascade: items_per_droplet_hour %g outside (0, %d]", l.ItemsPerDropletHour, MaxItemsPerDropletHour)
	case l.NLBEvery < 1:
		return fmt.Errorf("cascade: nlb_every %d below 1", l.NLBEvery)
	case !(l.ReachBefore >= 0 && l.ReachBefore <= 1):
		return fmt.Errorf("cascade: reach_before %g outside 0..1 (0: the nlb stage's)", l.ReachBefore)
	case l.FailoverOnAt != 0 && l.FailoverOnAt <= l.FailoverOffAt:
		return fmt.Errorf("cascade: failover_on_at %v not after failover_off_at %v", l.FailoverOnAt, l.FailoverOffAt)
	}
	for _, err := range []error{
		model.InRange("release_over", l.ReleaseOver, 0, model.MaxSpan),
		model.InRange("failover_off_at", l.FailoverOffAt, 0, model.MaxSpan),
		model.InRange("failover_on_at", l.FailoverOnAt, 0, model.MaxSpan),
		model.InRange("visible_latency", l.VisibleLatency, 0, model.MaxSpan),
	} {
		if err != nil {
			return fmt.Errorf("cascade: %w", err)
		}
	}
	return nil
}

//go:embed presets/*.toml
var presets embed.FS

// Presets lists the cascade presets.
func Presets() []string { return scenario.PresetNames(presets) }

// IsPreset reports whether name is a cascade preset.
func IsPreset(name string) bool {
	_, err := fs.Stat(presets, path.Join("presets", name+".toml"))
	return err == nil && !strings.ContainsAny(name, "/\\")
}

// PresetText is the text of the cascade preset name.
func PresetText(name string) ([]byte, error) {
	if !IsPreset(name) {
		return nil, fmt.Errorf("cascade: no preset %q (presets: %s)", name, strings.Join(Presets(), ", "))
	}
	return presets.ReadFile(path.Join("presets", name+".toml"))
}

// Load returns the cascade preset name, validated.
func Load(name string) (*File, error) {
	b, err := PresetText(name)
	if err != nil {
		return nil, err
	}
	return Parse(name, b)
}

// Parse decodes and validates a cascade file; an unknown key is an error.
func Parse(name string, text []byte) (*File, error) {
	var f File
	md, err := toml.Decode(string(text), &f)
	if err != nil {
		return nil, fmt.Errorf("cascade: %s: %v", name, strings.ReplaceAll(err.Error(), "\n", " "))
	}
	if keys := md.Undecoded(); len(keys) > 0 {
		return nil, fmt.Errorf("cascade: %s: unknown key %s", name, keys[0])
	}
	if f.Name == "" {
		return nil, fmt.Errorf("cascade: %s: name missing", name)
	}
	if f.Stages.DWFM == "" || f.Stages.NetProp == "" || f.Stages.NLB == "" {
		return nil, fmt.Errorf("cascade: %s: [stages] needs dwfm, netprop and nlb (have %q, %q, %q)", name, f.Stages.DWFM, f.Stages.NetProp, f.Stages.NLB)
	}
	if err := f.Link.Validate(); err != nil {
		return nil, fmt.Errorf("%w (%s, [link])", err, name)
	}
	return &f, nil
}
