package targets

import (
	"errors"
	"io"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Formats of a targets file, as vegeta's -format flag names them.
const (
	HTTP = "http"
	JSON = "json"
)

// Placeholder in a target's URL, header values or body, replaced by the
// droplet number.
const Placeholder = "{droplet}"

// Set is the targets of one file, in file order.
type Set struct {
	targets []vegeta.Target
}

// Load reads the targets file at path in format (HTTP or JSON); relative
// @body paths of the http format are read relative to the working directory,
// as vegeta does.
func Load(path, format string) (*Set, error) { return nil, errors.New("targets: not implemented yet") }

// Read reads targets in format from r.
func Read(r io.Reader, format string) (*Set, error) {
	return nil, errors.New("targets: not implemented yet")
}

// Len is the number of targets.
func (s *Set) Len() int { return len(s.targets) }

// For sets t to droplet d's target: target d mod Len, with Placeholder
// replaced by d.
func (s *Set) For(d int, t *vegeta.Target) {}

// Targeter is a vegeta.Targeter that cycles through the targets in file
// order (vegeta's own behaviour), for an attack without droplets.
func (s *Set) Targeter() vegeta.Targeter { return vegeta.NewStaticTargeter(s.targets...) }
