package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// writer is one command that writes files: its arguments (OUT stands for
// its output directory, or the directory of its output file), the names it
// writes there, and whether an interrupt stops it (a run that takes time).
type writer struct {
	name      string
	args      []string
	outputs   []string
	interrupt bool
}

// writers are every command that writes files.
func writers(t *testing.T, inputs string) []writer {
	return []writer{
		{"sim", []string{"sim", "--droplets", "2000", "--interval", "1s", "--out", "OUT"}, []string{"timeseries.csv", "summary.csv"}, true},
		{"sweep", []string{"sweep", "--policies", "none,aimd,queue-size,vegas", "--droplets", "2000", "--parallel", "1", "--out", "OUT"}, []string{"sweep.csv"}, true},
		{"sweep shard", []string{"sweep", "--policies", "none,aimd,queue-size,vegas", "--droplets", "2000", "--parallel", "1", "--shard", "1/2", "--out", "OUT"}, []string{"sweep.shard-1-of-2.csv"}, true},
		{"boundary", []string{"boundary", "--scenario", "metastable", "--param", "clients.rate", "--lo", "300", "--hi", "1500", "--tol", "10", "--seeds", "2", "--parallel", "1", "--out", "OUT"}, []string{"boundary.csv"}, true},
		{"attack", []string{"attack", "--droplets", "100", "--time-scale", "300", "--out", "OUT"}, []string{"results.bin", "timeseries.csv", "summary.csv", "latency.hlog"}, true},
		{"report", []string{"report", "--timeseries", "OUT/ts.csv", filepath.Join(inputs, "attack")}, []string{"ts.csv"}, false},
		{"merge", []string{"merge", filepath.Join(inputs, "sweep", "sweep.csv"), "--out", "OUT/m.csv"}, []string{"m.csv"}, false},
		{"plot", []string{"plot", filepath.Join(inputs, "sim"), "--out", "OUT/x.png"}, []string{"x.png"}, false},
	}
}

// inputsFor writes what report, merge and plot read: an attack directory,
// a sweep, a sim run.
func inputsFor(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	writeAttack(t, filepath.Join(root, "attack"), "small", "", attackResults(300), func(int) bool { return true }, 60)
	for _, args := range [][]string{
		{"sweep", "--policies", "none,queue-size", "--droplets", "2000", "--out", filepath.Join(root, "sweep")},
		{"sim", "--droplets", "2000", "--out", filepath.Join(root, "sim")},
	} {
		if code, _, e := runCLI(t, context.Background(), args...); code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
	}
	return root
}

func sha(t *testing.T, p string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestEarlierResultsSurvive: every command that writes files, run over
// complete results already there, with a symlink to another file planted at
// each NAME.partial, and made to fail (a full disk: exit 1) or interrupted
// (exit 130): the earlier results and the link's target keep their
// checksums, and nothing complete-looking is left in their place. Run to
// its end, it replaces the earlier results, still never writing through the
// links.
func TestEarlierResultsSurvive(t *testing.T) {
	inputs := inputsFor(t)
	for _, w := range writers(t, inputs) {
		modes := []string{"full disk", "complete"}
		if w.interrupt {
			modes = append(modes, "interrupt")
		}
		for _, mode := range modes {
			t.Run(w.name+"/"+mode, func(t *testing.T) {
				out := t.TempDir()
				victim := filepath.Join(t.TempDir(), "victim")
				os.WriteFile(victim, []byte("another file, not to be written\n"), 0o644)
				earlier := map[string][32]byte{}
				for _, n := range w.outputs {
					p := filepath.Join(out, n)
					os.WriteFile(p, []byte("an earlier complete "+n+"\n"), 0o644)
					earlier[p] = sha(t, p)
					if err := os.Symlink(victim, p+".partial"); err != nil {
						t.Skip(err)
					}
				}
				before := sha(t, victim)
				args := make([]string, len(w.args))
				for i, a := range w.args {
					args[i] = strings.Replace(a, "OUT", out, 1)
				}
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				var o, e bytes.Buffer
				a := app{stdout: &o, stderr: &e}
				var once sync.Once
				switch mode {
				case "full disk":
					a.wrap = func(string, io.Writer) io.Writer { return &fullDisk{w: io.Discard, n: 10} }
				case "interrupt":
					a.wrap = func(_ string, w io.Writer) io.Writer { return &onWrite{w: w, n: 1, once: &once, f: cancel} }
				}
				code := a.run(ctx, args)
				want := map[string]int{"full disk": 1, "interrupt": 130, "complete": 0}[mode]
				if code != want {
					t.Fatalf("exit %d, want %d: %s", code, want, e.String())
				}
				if sha(t, victim) != before {
					t.Error("the file a planted .partial link points to was written")
				}
				for p, sum := range earlier {
					st, err := os.Lstat(p)
					switch {
					case err != nil:
						t.Errorf("%s: %v", p, err)
					case mode == "complete" && (sha(t, p) == sum || !st.Mode().IsRegular()):
						t.Errorf("%s: not replaced by the complete run's", filepath.Base(p))
					case mode != "complete" && sha(t, p) != sum:
						t.Errorf("%s: the earlier complete result changed (%s)", filepath.Base(p), mode)
					}
				}
			})
		}
	}
}

// TestOutputIsNotAnInput: merge --out, report --timeseries and plot --out
// naming one of their own inputs (or its .partial, or through a symlink)
// are refused before anything is written; the input keeps its checksum.
func TestOutputIsNotAnInput(t *testing.T) {
	inputs := inputsFor(t)
	sweep := filepath.Join(inputs, "sweep", "sweep.csv")
	ts := filepath.Join(inputs, "attack", "timeseries.csv")
	link := filepath.Join(t.TempDir(), "link.csv")
	os.Symlink(sweep, link)
	linkDir := filepath.Join(t.TempDir(), "attack")
	os.Symlink(filepath.Join(inputs, "attack"), linkDir)
	// A sweep's rows under an image's name: plot reads a file by its
	// header, whatever its name. (plot wrote its picture over it.)
	svg := filepath.Join(t.TempDir(), "t.svg")
	b, _ := os.ReadFile(sweep)
	os.WriteFile(svg, b, 0o644)
	svgLink := filepath.Join(t.TempDir(), "link.svg")
	os.Symlink(svg, svgLink)
	for _, c := range []struct {
		args  []string
		input string
	}{
		{[]string{"merge", sweep, "--out", sweep}, sweep},
		{[]string{"merge", link, "--out", sweep}, sweep},
		{[]string{"merge", sweep, "--out", strings.TrimSuffix(sweep, ".partial")}, sweep},
		{[]string{"report", "--timeseries", ts, filepath.Join(inputs, "attack")}, ts},
		{[]string{"report", "--timeseries", filepath.Join(linkDir, "timeseries.csv"), filepath.Join(inputs, "attack")}, ts},
		{[]string{"report", "--timeseries", ts, linkDir}, ts},
		{[]string{"plot", svg, "--out", svg}, svg},
		{[]string{"plot", svgLink, "--out", svg}, svg},
	} {
		before := sha(t, c.input)
		code, out, errs := runCLI(t, context.Background(), c.args...)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "would replace input") {
			t.Errorf("%q: exit %d, stderr %q; want 2 and one line", c.args, code, errs)
		}
		if sha(t, c.input) != before {
			t.Errorf("%q: the input changed", c.args)
		}
	}
	// merge's output is the .partial of an input.
	p := filepath.Join(t.TempDir(), "s.csv")
	os.WriteFile(p+".partial", b, 0o644)
	if code, _, errs := runCLI(t, context.Background(), "merge", p+".partial", "--out", p); code != 2 || !strings.Contains(errs, "would replace input") {
		t.Errorf("merge X.partial --out X: exit %d, %q", code, errs)
	}
}
