package bench

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocLayout: the package doc's layout names every package below bench/
// (a directory with a non-test Go file, testdata aside), so it cannot go
// stale when one is added.
func TestDocLayout(t *testing.T) {
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	_, layout, ok := strings.Cut(string(b), "// # Layout\n")
	if !ok {
		t.Fatal("doc.go has no # Layout section")
	}
	layout, _, _ = strings.Cut(layout, "\n// # ")
	n := 0
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || path == "." {
			return err
		}
		if d.Name() == "testdata" {
			return filepath.SkipDir
		}
		gos, _ := filepath.Glob(filepath.Join(path, "*.go"))
		for _, g := range gos {
			if !strings.HasSuffix(g, "_test.go") {
				n++
				if !strings.Contains(layout, "//\t"+filepath.ToSlash(path)+"/ ") {
					t.Errorf("doc.go's layout does not name %s/", path)
				}
				break
			}
		}
		return nil
	})
	if err != nil || n < 10 {
		t.Fatalf("walked %d packages (%v), want the dozen or more below bench/", n, err)
	}
}
