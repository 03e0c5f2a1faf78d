package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image"
	_ "image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/internal/docstest"
)

// TestPlotKinds: loadgen plot draws run directories as a timeline, a sweep
// with two varied parameters as a phase diagram and a policy sweep with
// seeds as ratios, choosing the kind from the inputs; the PNG decodes and
// the SVGs parse as XML. (One PNG: rasterizing is slow under -race; the
// figure package's tests decode one of each kind.)
func TestPlotKinds(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	p := func(name string) string { return filepath.Join(dir, name) }
	for _, args := range [][]string{
		{"sim", "--droplets", "1000", "--out", p("none")},
		{"sim", "--droplets", "1000", "--policy", "queue-size", "--out", p("queue-size")},
		{"sweep", "--scenario", "metastable", "--policies", "none,codel", "--seeds", "2", "--vary", "clients.rate=600,800",
			"--vary", "trigger.1.duration=100ms,1s", "--out", p("phase")},
		{"sweep", "--policies", "none,queue-size,reserve", "--seeds", "3", "--droplets", "1000", "--out", p("ratio")},
	} {
		if code, _, e := runCLI(t, ctx, args...); code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, e)
		}
	}
	for _, c := range []struct {
		args []string
		kind string
	}{
		{[]string{"plot", p("none"), p("queue-size"), "--out", p("timeline.png")}, "timeline"},
		{[]string{"plot", "--out", p("timeline.svg"), p("none"), filepath.Join(p("queue-size"), "timeseries.csv")}, "timeline"},
		{[]string{"plot", p("phase"), "--out", p("phase.svg")}, "phase"},
		{[]string{"plot", filepath.Join(p("phase"), "sweep.csv"), "--out", p("phase2.svg")}, "phase"},
		{[]string{"plot", p("phase"), "--kind", "phase", "--predict", "--out", p("phase-predicted.svg")}, "phase"},
		{[]string{"plot", "--kind", "ratio", p("phase"), "--out", p("phase-ratio.svg")}, "ratio"},
		{[]string{"plot", p("ratio"), "--out", p("ratio.svg")}, "ratio"},
		{[]string{"plot", filepath.Join(p("none"), "summary.csv"), filepath.Join(p("queue-size"), "summary.csv"), "--out", p("two.svg")}, "ratio"},
	} {
		out := c.args[slicesIndex(c.args, "--out")+1]
		code, stdout, stderr := runCLI(t, ctx, c.args...)
		if code != 0 || stdout != "" || stderr != "wrote "+out+" ("+c.kind+")\n" {
			t.Fatalf("%q: exit %d, stdout %q, stderr %q; want 0, nothing, wrote %s (%s)", c.args, code, stdout, stderr, out, c.kind)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(out + ".partial"); err == nil {
			t.Errorf("%s.partial left behind", out)
		}
		if strings.HasSuffix(out, ".png") {
			img, _, err := image.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s: %v", out, err)
			}
			if bd := img.Bounds(); bd.Dx() < 400 || bd.Dy() < 300 {
				t.Errorf("%s: %dx%d, want at least 400x300", out, bd.Dx(), bd.Dy())
			}
			continue
		}
		d, n := xml.NewDecoder(bytes.NewReader(b)), 0
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", out, err)
			}
			if _, ok := tok.(xml.StartElement); ok {
				n++
			}
		}
		if n < 30 {
			t.Errorf("%s: %d elements, want at least 30", out, n)
		}
	}
	// The run's legend names scenario, policy and seed, from summary.csv.
	svg, _ := os.ReadFile(p("timeline.svg"))
	if !bytes.Contains(svg, []byte("us-east-1 / queue-size / seed 1 / 1000 droplets")) || !bytes.Contains(svg, []byte("02:25 DNS restored")) {
		t.Error("timeline.svg lacks the run's name or the 02:25 milestone")
	}
}

func slicesIndex(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// TestREADMEFigures: every figure in results/figures is made by a command
// of the docs' Plots section (plot ... --out results/figures/NAME), shown
// there (by its path from that file), decodes, and is under 300 KB; every
// figure a command makes is committed.
func TestREADMEFigures(t *testing.T) {
	f, section := docstest.Section(t, "## Plots")
	root := docstest.Root(t)
	made := regexp.MustCompile(`loadgen plot [^\n]*--out (results/figures/[A-Za-z0-9_.-]+)`).FindAllStringSubmatch(section, -1)
	if len(made) < 3 {
		t.Fatalf("%s: the Plots section has %d plot commands writing results/figures, want one per kind", f.Path, len(made))
	}
	named := map[string]bool{}
	for _, m := range made {
		name := m[1]
		named[filepath.Base(name)] = true
		shown, err := filepath.Rel(filepath.Dir(filepath.FromSlash(f.Path)), filepath.FromSlash(name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(section, "]("+filepath.ToSlash(shown)+")") {
			t.Errorf("%s makes %s but does not show it (as %s)", f.Path, name, filepath.ToSlash(shown))
		}
		st, err := os.Stat(filepath.Join(root, name))
		if err != nil {
			t.Errorf("%s makes %s: %v", f.Path, name, err)
			continue
		}
		if st.Size() >= 300<<10 {
			t.Errorf("%s: %d bytes, want under 300 KB", name, st.Size())
		}
		img, err := os.Open(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := image.Decode(img); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		img.Close()
	}
	entries, err := os.ReadDir(filepath.Join(root, "results", "figures"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !named[e.Name()] {
			t.Errorf("results/figures/%s is made by no command of %s's Plots section", e.Name(), f.Path)
		}
	}
}

// TestPlotFullDisk: an image that cannot be written exits 1 with one line
// naming the error, leaves the previous image as it was and no .partial.
func TestPlotFullDisk(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	out := filepath.Join(dir, "fig.svg")
	if code, _, e := runCLI(t, context.Background(), "sim", "--scenario", "metastable", "--out", run); code != 0 {
		t.Fatal(e)
	}
	if err := os.WriteFile(out, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	var o, e bytes.Buffer
	a := app{stdout: &o, stderr: &e, wrap: func(name string, w io.Writer) io.Writer { return &fullDisk{w: w, n: 1000} }}
	code := a.run(context.Background(), []string{"plot", run, "--out", out})
	if code != 1 || strings.Count(e.String(), "\n") != 1 || !strings.Contains(e.String(), "no space left on device") || o.Len() != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 1 and one line naming the error", code, o.String(), e.String())
	}
	if b, err := os.ReadFile(out); err != nil || string(b) != "previous" {
		t.Errorf("previous image: %q, %v; want it as it was", b, err)
	}
	if _, err := os.Stat(out + ".partial"); err == nil {
		t.Error("fig.svg.partial left behind")
	}
}

// plot --kind phase --predict draws the fluid model's edge over the panels
// whose policy has one (none on metastable: a dashed line), and none where
// it has no fluid law (codel): the SVG of the predicted plot has one more
// dashed path than the plain one beside the legend's.
func TestPlotPhasePredicted(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if code, _, e := runCLI(t, ctx, "sweep", "--scenario", "metastable", "--policies", "none,codel", "--seeds", "1", "--vary", "clients.rate=600,700,800",
		"--vary", "trigger.1.duration=50ms,2s", "--out", dir); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, e)
	}
	dashes := map[bool]int{}
	for _, pred := range []bool{false, true} {
		args := []string{"plot", dir, "--kind", "phase", "--out", filepath.Join(dir, fmt.Sprintf("p%t.svg", pred))}
		if pred {
			args = append(args, "--predict")
		}
		if code, _, e := runCLI(t, ctx, args...); code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, e)
		}
		b, err := os.ReadFile(args[len(args)-1])
		if pred {
			b, err = os.ReadFile(args[len(args)-2])
		}
		if err != nil {
			t.Fatal(err)
		}
		dashes[pred] = strings.Count(string(b), "stroke-dasharray")
	}
	if dashes[true] < dashes[false]+2 {
		t.Fatalf("dashed paths: %d with --predict, %d without; want the predicted edge drawn and in the legend", dashes[true], dashes[false])
	}
}
