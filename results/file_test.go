package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileDoesNotFollowPlantedLinks: a symlink or a hard link planted at
// NAME.partial, and a symlink at NAME, are never written through: their
// targets keep their bytes, and the committed NAME is a new regular file.
func TestFileDoesNotFollowPlantedLinks(t *testing.T) {
	for _, kind := range []string{"symlink at .partial", "hard link at .partial", "symlink at the name", "dangling symlink at .partial"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			victim := filepath.Join(dir, "precious.csv")
			os.WriteFile(victim, []byte("precious\n"), 0o644)
			name, partial := filepath.Join(dir, "a.csv"), filepath.Join(dir, "a.csv.partial")
			var err error
			switch kind {
			case "symlink at .partial":
				err = os.Symlink(victim, partial)
			case "hard link at .partial":
				err = os.Link(victim, partial)
			case "symlink at the name":
				err = os.Symlink(victim, name)
			case "dangling symlink at .partial":
				err = os.Symlink(filepath.Join(dir, "nowhere", "x"), partial)
			}
			if err != nil {
				t.Skip(err)
			}
			f, err := Create(dir, "a.csv")
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("new\n")
			if err := f.Commit(); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(victim); string(b) != "precious\n" {
				t.Errorf("the link's target was written: %q", b)
			}
			if st, err := os.Lstat(name); err != nil || !st.Mode().IsRegular() {
				t.Errorf("%s: %v, %v; want a regular file", name, st.Mode(), err)
			}
			if b, _ := os.ReadFile(name); string(b) != "new\n" {
				t.Errorf("committed %q", b)
			}
			if _, err := os.Lstat(filepath.Join(dir, "nowhere")); err == nil {
				t.Error("a dangling link's target was created")
			}
		})
	}
}

// TestFileAbandonKeepsPartialNotTarget: an abandoned file stays under
// .partial even where a link was planted, and the complete file is intact.
func TestFileAbandonKeepsPartialNotTarget(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("complete\n"), 0o644)
	victim := filepath.Join(dir, "precious")
	os.WriteFile(victim, []byte("precious\n"), 0o644)
	os.Symlink(victim, filepath.Join(dir, "a.csv.partial"))
	f, err := Create(dir, "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("row\n")
	p, err := f.Abandon()
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{victim: "precious\n", filepath.Join(dir, "a.csv"): "complete\n", p: "row\n"} {
		if b, _ := os.ReadFile(path); string(b) != want {
			t.Errorf("%s: %q, want %q", path, b, want)
		}
	}
	if st, _ := os.Lstat(p); !st.Mode().IsRegular() {
		t.Errorf("%s is %v, want a regular file", p, st.Mode())
	}
}

// TestFileRefusesADirectoryAtPartial: a directory at NAME.partial is an
// error naming it, quoted.
func TestFileRefusesADirectoryAtPartial(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "a.csv.partial"), 0o755)
	if _, err := Create(dir, "a.csv"); err == nil || !strings.Contains(err.Error(), `a.csv.partial" exists and is a directory`) {
		t.Fatalf("Create with a directory at .partial: %v", err)
	}
}

// TestClobbers: out itself, its .partial, or either reached through a
// symlink is an input that writing out destroys; another file, a hard link
// and a missing input are not.
func TestClobbers(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile("a.csv", nil, 0o644)
	os.WriteFile("b.csv", nil, 0o644)
	os.WriteFile("m.csv.partial", nil, 0o644)
	os.Symlink("a.csv", "link.csv")
	os.Mkdir("sub", 0o755)
	os.Symlink(dir, "via")
	os.Link("b.csv", "hard.csv")
	for _, c := range []struct {
		out  string
		in   []string
		want string
	}{
		{"a.csv", []string{"b.csv", "a.csv"}, "a.csv"},
		{"./a.csv", []string{filepath.Join(dir, "a.csv")}, filepath.Join(dir, "a.csv")},
		{"a.csv", []string{"link.csv"}, "link.csv"},
		{"via/a.csv", []string{"a.csv"}, "a.csv"},
		{"m.csv", []string{"m.csv.partial"}, "m.csv.partial"},
		{"link.csv", []string{"a.csv"}, ""}, // the rename replaces the link, not a.csv
		{"hard.csv", []string{"b.csv"}, ""},
		{"c.csv", []string{"a.csv", "missing.csv"}, ""},
		{"nowhere/c.csv", []string{"a.csv"}, ""},
		{"sub/a.csv", []string{"a.csv"}, ""},
	} {
		if got := Clobbers(c.out, c.in...); got != c.want {
			t.Errorf("Clobbers(%q, %q) = %q, want %q", c.out, c.in, got, c.want)
		}
	}
}
