package docstest

import (
	"regexp"
	"strings"
	"testing"
)

// columnList is a code span of two or more comma-separated column names.
var columnList = regexp.MustCompile("`([a-z0-9_]+(?:,[a-z0-9_]+)+)`")

// Columns checks that the section under heading lists each file's columns
// as its writer writes them, in order: the list is the first code span of
// comma-separated names after the file's own code span (`DIR/summary.csv`).
func Columns(t testing.TB, heading string, files map[string][]string) {
	t.Helper()
	f, section := Section(t, heading)
	for file, header := range files {
		i := strings.Index(section, "`"+file+"`")
		if i < 0 {
			t.Errorf("%s: the section %q does not name `%s`", f.Path, heading, file)
			continue
		}
		m := columnList.FindStringSubmatch(section[i:])
		if m == nil {
			t.Errorf("%s: no column list after `%s`", f.Path, file)
			continue
		}
		if got, want := m[1], strings.Join(header, ","); got != want {
			t.Errorf("%s lists %s's columns as\n%s\nthe writer writes\n%s", f.Path, file, got, want)
		}
	}
}
