// Package docstest reads the repository's documentation for the tests that
// check it: README.md, the front page, and docs/*.md, one file per reader's
// task. A test names what it checks by its heading (Section) or reads every
// file (Files, All, Blocks), so a section may move between the files without
// its test changing. The functions take a testing.TB and fail the test on a
// file that cannot be read; the parsers under them (SectionOf, BlocksOf,
// Links, Anchors) are plain functions of a file's text.
package docstest

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// File is one documentation file: its path from the repository root
// (slash-separated: "README.md", "docs/cli.md") and its text.
type File struct {
	Path string
	Text string
}

// Block is one fenced code block: the file that holds it, the line of its
// opening fence (from 1), and its text without the fences.
type Block struct {
	File string
	Line int
	Text string
}

// Root is the repository root: the nearest directory at or above the
// working directory holding go.mod and README.md.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if isFile(filepath.Join(dir, "go.mod")) && isFile(filepath.Join(dir, "README.md")) {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("docstest: no directory above the working directory holds go.mod and README.md")
		}
		dir = up
	}
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// Files are the documentation files in reading order: README.md, then
// docs/*.md by name.
func Files(t testing.TB) []File {
	t.Helper()
	root := Root(t)
	names, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	paths := []string{"README.md"}
	for _, n := range names {
		paths = append(paths, path.Join("docs", filepath.Base(n)))
	}
	files := make([]File, 0, len(paths))
	for _, p := range paths {
		files = append(files, read(t, root, p))
	}
	return files
}

// Read is one documentation file by its path from the repository root.
func Read(t testing.TB, p string) File {
	t.Helper()
	return read(t, Root(t), p)
}

func read(t testing.TB, root, p string) File {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
	if err != nil {
		t.Fatal(err)
	}
	return File{Path: p, Text: string(b)}
}

// All is the text of every documentation file, in the order of Files, each
// ending in a newline: for a test that looks for a line or a table
// wherever it is.
func All(t testing.TB) string {
	t.Helper()
	var b strings.Builder
	for _, f := range Files(t) {
		b.WriteString(f.Text)
		if !strings.HasSuffix(f.Text, "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Section is the section under heading (the whole heading line, as
// "## Output" or "### Live mode: outputs and report") and the file that
// holds it: from the heading line to the next heading of the same or a
// higher level outside code blocks. It fails the test unless exactly one
// file holds the heading once.
func Section(t testing.TB, heading string) (File, string) {
	t.Helper()
	var found []File
	var text string
	for _, f := range Files(t) {
		s, n := SectionOf(f.Text, heading)
		if n > 1 {
			t.Fatalf("docstest: %s has the heading %q %d times", f.Path, heading, n)
		}
		if n == 1 {
			found, text = append(found, f), s
		}
	}
	switch len(found) {
	case 0:
		t.Fatalf("docstest: no file of README.md and docs/*.md has the heading %q", heading)
	case 1:
		return found[0], text
	}
	var where []string
	for _, f := range found {
		where = append(where, f.Path)
	}
	t.Fatalf("docstest: the heading %q is in %s", heading, strings.Join(where, " and "))
	return File{}, ""
}

// SectionOf is the section of text under heading, as Section has it, and
// how many times the heading is in text (the section is the first's).
func SectionOf(text, heading string) (string, int) {
	level := headingLevel(heading)
	lines := strings.SplitAfter(text, "\n")
	start, end, n := -1, len(lines), 0
	for i, l := range outsideFences(lines) {
		line := strings.TrimRight(lines[i], "\n")
		if !l {
			continue
		}
		if line == heading {
			n++
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && end == len(lines) {
			if lv := headingLevel(line); lv > 0 && lv <= level {
				end = i
			}
		}
	}
	if start < 0 {
		return "", 0
	}
	return strings.Join(lines[start:end], ""), n
}

// headingLevel is the number of #s opening an ATX heading line, 0 for any
// other line.
func headingLevel(line string) int {
	n := len(line) - len(strings.TrimLeft(line, "#"))
	if n == 0 || n > 6 || (len(line) > n && line[n] != ' ') {
		return 0
	}
	return n
}

// outsideFences says, line by line, whether a line is outside fenced code
// blocks (the fences themselves count as inside).
func outsideFences(lines []string) []bool {
	out := make([]bool, len(lines))
	in := false
	for i, l := range lines {
		if strings.HasPrefix(l, "```") {
			in = !in
			continue
		}
		out[i] = !in
	}
	return out
}

// Blocks are the fenced code blocks of language lang ("sh", "toml") in every
// documentation file, in the order of Files.
func Blocks(t testing.TB, lang string) []Block {
	t.Helper()
	var all []Block
	for _, f := range Files(t) {
		for _, b := range BlocksOf(f.Text, lang) {
			b.File = f.Path
			all = append(all, b)
		}
	}
	return all
}

// BlocksOf are the fenced code blocks of language lang in text (File left
// empty): those whose opening fence's info string starts with the word lang.
func BlocksOf(text, lang string) []Block {
	var blocks []Block
	var cur []string
	start := 0
	in, keep := false, false
	for i, line := range strings.Split(text, "\n") {
		switch {
		case !in && strings.HasPrefix(line, "```"):
			info := strings.Fields(strings.TrimPrefix(line, "```"))
			in, keep, cur, start = true, len(info) > 0 && info[0] == lang, nil, i+1
		case in && strings.HasPrefix(line, "```"):
			in = false
			if keep {
				blocks = append(blocks, Block{Line: start, Text: strings.Join(cur, "\n")})
			}
		case in:
			cur = append(cur, line)
		}
	}
	return blocks
}
