package docstest

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// readmeMaxLines is issue 18's bound on the front page.
const readmeMaxLines = 250

const sample = "# T\n\nintro\n\n## A\n\na text\n\n```sh\n# not a heading\n## nor this\n```\n\n### A.1\n\nsub\n\n## B\n\nb text\n"

func TestSectionOfEndsAtTheNextHeadingOfItsLevel(t *testing.T) {
	for _, c := range []struct {
		heading, want string
		n             int
	}{
		{"## A", "## A\n\na text\n\n```sh\n# not a heading\n## nor this\n```\n\n### A.1\n\nsub\n\n", 1},
		{"### A.1", "### A.1\n\nsub\n\n", 1},
		{"## B", "## B\n\nb text\n", 1},
		{"## C", "", 0},
		{"## nor this", "", 0}, // inside a code block
	} {
		got, n := SectionOf(sample, c.heading)
		if got != c.want || n != c.n {
			t.Errorf("SectionOf(%q) = %q, %d; want %q, %d", c.heading, got, n, c.want, c.n)
		}
	}
	if _, n := SectionOf(sample+"## A\n", "## A"); n != 2 {
		t.Errorf("a heading twice counted %d times", n)
	}
}

func TestBlocksOfByLanguage(t *testing.T) {
	text := "x\n```sh\na\nb\n```\n```toml\nk = 1\n```\n```shell\nc\n```\n```sh # note\nd\n```\n"
	got := BlocksOf(text, "sh")
	if len(got) != 2 || got[0].Text != "a\nb" || got[0].Line != 2 || got[1].Text != "d" {
		t.Errorf("sh blocks %+v, want a\\nb at line 2 and d", got)
	}
	if got := BlocksOf(text, "toml"); len(got) != 1 || got[0].Text != "k = 1" {
		t.Errorf("toml blocks %+v", got)
	}
}

func TestSlugAndAnchors(t *testing.T) {
	for h, want := range map[string]string{
		"Choosing a policy: `compare` and `--assert`":       "choosing-a-policy-compare-and---assert",
		"Assumptions (us-east-1)":                           "assumptions-us-east-1",
		"`netprop`: the Network Manager":                    "netprop-the-network-manager",
		"Predicting recovery: `loadgen predict`":            "predicting-recovery-loadgen-predict",
		"Telling droplets when to come back: `reserve`":     "telling-droplets-when-to-come-back-reserve",
		"What 10⁶ droplets cost":                            "what-10⁶-droplets-cost",
		"snake_case and CamelCase":                          "snake_case-and-camelcase",
		"`boundary` from the prediction":                    "boundary-from-the-prediction",
		"Verdicts: `--assert`":                              "verdicts---assert",
		"Live mode: `serve` and `attack`":                   "live-mode-serve-and-attack",
		"`nlb`: the health checker":                         "nlb-the-health-checker",
		"Benchmarks, again: 2× (twice)":                     "benchmarks-again-2-twice",
		"A/B — the em dash and the slash go, spaces do not": "ab--the-em-dash-and-the-slash-go-spaces-do-not",
	} {
		if got := Slug(h); got != want {
			t.Errorf("Slug(%q) = %q, want %q", h, got, want)
		}
	}
	a := Anchors("# X\n## Y\n```\n## Z\n```\n## Y\n")
	for _, want := range []string{"x", "y", "y-1"} {
		if !a[want] {
			t.Errorf("Anchors: no %q in %v", want, a)
		}
	}
	if a["z"] || len(a) != 3 {
		t.Errorf("Anchors = %v, want x, y, y-1 (a heading in a code block is none)", a)
	}
}

func TestLinksAndRelative(t *testing.T) {
	text := "see [a](docs/a.md#x) and ![p](results/p.png), [w](https://example.com/a_(b)) [m](mailto:x@y)\n" +
		"```\n[not](in-a-block.md)\n```\n    [nor](indented.md)\n"
	got := Links(text)
	want := []string{"docs/a.md#x", "results/p.png", "mailto:x@y"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Links = %q, want %q", got, want)
	}
	for target, rel := range map[string]bool{"docs/a.md#x": true, "#x": true, "../README.md": true,
		"https://example.com": false, "mailto:x@y": false, "//example.com": false} {
		if Relative(target) != rel {
			t.Errorf("Relative(%q) = %v", target, !rel)
		}
	}
}

// TestREADMEAtMost250Lines: the front page stays a front page; the rest
// goes to docs/.
func TestREADMEAtMost250Lines(t *testing.T) {
	readme := Read(t, "README.md")
	if n := strings.Count(readme.Text, "\n"); n > readmeMaxLines {
		t.Errorf("README.md has %d lines, want at most %d: move a section to docs/", n, readmeMaxLines)
	}
}

// TestDocsLinksResolve: every relative link and image of README.md and
// docs/*.md names a file of the repository, and an anchor in a Markdown
// file names one of its headings.
func TestDocsLinksResolve(t *testing.T) {
	root := Root(t)
	anchors := map[string]map[string]bool{}
	for _, f := range Files(t) {
		anchors[f.Path] = Anchors(f.Text)
	}
	checked := 0
	for _, f := range Files(t) {
		for _, target := range Links(f.Text) {
			if !Relative(target) {
				continue
			}
			checked++
			p, frag, _ := strings.Cut(target, "#")
			file := f.Path
			if p != "" {
				file = path.Clean(path.Join(path.Dir(f.Path), p))
				if strings.HasPrefix(file, "../") {
					t.Errorf("%s: %s leaves the repository", f.Path, target)
					continue
				}
				if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(file))); err != nil {
					t.Errorf("%s: %s: no such file %s", f.Path, target, file)
					continue
				}
			}
			if frag == "" || !strings.HasSuffix(file, ".md") {
				continue
			}
			a, ok := anchors[file]
			if !ok {
				b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
				if err != nil {
					t.Fatal(err)
				}
				a = Anchors(string(b))
				anchors[file] = a
			}
			if !a[frag] {
				t.Errorf("%s: %s: %s has no heading #%s", f.Path, target, file, frag)
			}
		}
	}
	if checked < 20 {
		t.Errorf("%d relative links checked; the README alone links every docs file", checked)
	}
}

// TestREADMELinksEveryDoc: the front page's "where to read on" reaches
// every file of docs/.
func TestREADMELinksEveryDoc(t *testing.T) {
	linked := map[string]bool{}
	for _, target := range Links(Read(t, "README.md").Text) {
		p, _, _ := strings.Cut(target, "#")
		linked[path.Clean(p)] = true
	}
	files := Files(t)
	if len(files) < 2 {
		t.Fatalf("docs/ has no Markdown file")
	}
	for _, f := range files[1:] {
		if !linked[f.Path] {
			t.Errorf("README.md does not link %s", f.Path)
		}
	}
}
