package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileWithAPresetsNameIsThatPreset: a preset saved to a file loads
// under its name as it is; edited, it must take a name of its own (its
// runs would be written, compared and pooled as the preset's), and does
// load once it has one. The same for a cascade, whose stages are compared
// too, and for a stage edited inside it.
func TestFileWithAPresetsNameIsThatPreset(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, name := range Presets() { // every preset saved as is loads under its name
		text, err := PresetText(name)
		if err != nil {
			t.Fatal(err)
		}
		if s, err := Load(write(name+".toml", string(text))); err != nil || s.Name != name {
			t.Errorf("preset %s saved as is: %v", name, err)
		}
	}
	for _, c := range []struct{ preset, old, edited string }{
		{"metastable", `horizon = "60s"`, `horizon = "61s"`},
		{"us-east-1-cascade", `dwfm = "us-east-1"   # its start and horizon are the cascade's`, "dwfm = { preset = \"us-east-1\", dwfm = { check_interval = \"90s\" } }"},
		{"us-east-1-cascade", "items_per_droplet_hour = 0.0126", "items_per_droplet_hour = 1.26"},
	} {
		text, err := PresetText(c.preset)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Load(write("same.toml", "# a comment of my own\n"+string(text))); err != nil {
			t.Errorf("%s saved as is: %v", c.preset, err)
		}
		if !strings.Contains(string(text), c.old) {
			t.Fatalf("%s: no %q to edit", c.preset, c.old)
		}
		edited := strings.Replace(string(text), c.old, c.edited, 1)
		p := write("mine.toml", edited)
		_, err = Load(p)
		if err == nil || !strings.Contains(err.Error(), `named "`+c.preset+`", a preset's name, but is not that preset`) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s edited (%s) under its name: %v; want one line refusing the name", c.preset, c.edited, err)
		}
		renamed := strings.Replace(edited, `name = "`+c.preset+`"`, `name = "mine"`, 1)
		if s, err := Load(write("mine.toml", renamed)); err != nil || s.Name != "mine" {
			t.Errorf("%s edited and renamed: %v", c.preset, err)
		}
	}
}
