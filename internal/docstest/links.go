package docstest

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// link is a Markdown link or image target: "](" up to the closing
// parenthesis, without spaces.
var link = regexp.MustCompile(`\]\(([^()\s]+)\)`)

// Links are the targets of the Markdown links and images of text outside
// fenced and indented code blocks, in order.
func Links(text string) []string {
	lines := strings.SplitAfter(text, "\n")
	var out []string
	for i, ok := range outsideFences(lines) {
		if !ok || strings.HasPrefix(lines[i], "    ") || strings.HasPrefix(lines[i], "\t") {
			continue
		}
		for _, m := range link.FindAllStringSubmatch(lines[i], -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// Relative reports whether a link target is a path in the repository (or
// an anchor in the same file) rather than an address with a scheme.
func Relative(target string) bool {
	if strings.HasPrefix(target, "mailto:") || strings.HasPrefix(target, "//") {
		return false
	}
	scheme, _, ok := strings.Cut(target, ":")
	return !ok || strings.ContainsAny(scheme, "/#.")
}

// Anchors are the fragment identifiers GitHub gives the headings of text
// (outside code blocks): Slug of each, a repeated one suffixed -1, -2, ...
func Anchors(text string) map[string]bool {
	lines := strings.SplitAfter(text, "\n")
	seen := map[string]int{}
	out := map[string]bool{}
	for i, ok := range outsideFences(lines) {
		line := strings.TrimRight(lines[i], "\n")
		lv := headingLevel(line)
		if !ok || lv == 0 {
			continue
		}
		s := Slug(strings.TrimSpace(line[lv:]))
		if n := seen[s]; n > 0 {
			out[fmt.Sprintf("%s-%d", s, n)] = true
		} else {
			out[s] = true
		}
		seen[s]++
	}
	return out
}

// Slug is GitHub's anchor for a heading's text: lower case, every character
// but letters, digits, marks, '_', '-' and spaces removed, spaces turned to
// '-' ("Choosing a policy: `compare` and `--assert`" is
// "choosing-a-policy-compare-and---assert").
func Slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
