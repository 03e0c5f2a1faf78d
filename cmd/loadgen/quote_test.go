package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNamesAreQuoted: a user's file or directory name with a newline in it
// is quoted in the one line that names it (`"a\nb"`), never cut there:
// every command that reads or writes a file the user names.
func TestNamesAreQuoted(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	nl := "a\nb"
	if err := os.Mkdir(nl, 0o755); err != nil {
		t.Skip(err)
	}
	write := func(name, text string) string {
		p := filepath.Join(nl, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.toml", "this is not toml\n")
	garbage := write("garbage.csv", "\x00\x01 binary\n")
	empty := write("empty.csv", "")
	file := write("file", "")
	missing := filepath.Join(nl, "missing")
	if code, _, e := runCLI(t, context.Background(), "sweep", "--policies", "queue-size", "--droplets", "1000", "--out", "good"); code != 0 {
		t.Fatal(e)
	}
	good := filepath.Join("good", "sweep.csv")
	for _, args := range [][]string{
		{"sim", "--scenario", missing},
		{"sim", "--scenario", bad},
		{"sim", "--droplets", "1000", "--out", filepath.Join(file, "sub")},
		{"sweep", "--scenario", bad},
		{"sweep", "--policies", "none", "--droplets", "1000", "--out", filepath.Join(file, "sub")},
		{"boundary", "--scenario", bad, "--param", "x", "--lo", "1", "--hi", "2"},
		{"compare", missing},
		{"compare", garbage},
		{"compare", empty},
		{"merge", missing},
		{"merge", garbage},
		{"merge", good, "--out", filepath.Join(file, "m.csv")},
		{"plot", missing, "--out", "x.png"},
		{"plot", garbage, "--out", "x.png"},
		{"plot", good, "--out", filepath.Join(file, "x.png")},
		{"report", missing},
		{"report", garbage},
		{"report", nl},
		{"serve", "--scenario", bad},
		{"attack", "--scenario", bad},
		{"attack", "--targets", missing},
		{"attack", "--targets", garbage},
	} {
		var o, e bytes.Buffer
		code := app{stdout: &o, stderr: &e}.run(context.Background(), args)
		if code != 2 || strings.Count(e.String(), "\n") != 1 || !strings.Contains(e.String(), `a\nb`) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and one line naming %q", args, code, e.String(), nl)
		}
	}
}
