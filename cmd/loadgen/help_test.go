package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestHelpOnStdout: -h, --help and help CMD print that command's help, with
// 2 to 4 examples, on stdout with exit 0 and nothing on stderr.
func TestHelpOnStdout(t *testing.T) {
	for _, cmd := range []string{"sim", "sweep", "compare", "scenarios", "policies", "version"} {
		for _, args := range [][]string{{cmd, "-h"}, {cmd, "--help"}, {"help", cmd}} {
			code, out, stderr := runCLI(t, context.Background(), args...)
			if code != 0 || stderr != "" || !strings.HasPrefix(out, "Usage: loadgen "+cmd) {
				t.Errorf("%v: exit %d, stderr %q, stdout starts %q; want 0, nothing, this command's usage", args, code, stderr, out[:min(len(out), 40)])
				continue
			}
			ex := examples(out)
			if ex < 2 || ex > 4 {
				t.Errorf("%v: %d examples, want 2 to 4", args, ex)
			}
		}
	}
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"help", "-h"}} {
		code, out, stderr := runCLI(t, context.Background(), args...)
		if code != 0 || stderr != "" || !strings.Contains(out, "Usage:") || examples(out) != 4 {
			t.Errorf("%v: exit %d, stderr %q, %d examples", args, code, stderr, examples(out))
		}
	}
}

// examples counts the "  loadgen ..." lines after "Examples:".
func examples(help string) int {
	_, ex, ok := strings.Cut(help, "Examples:\n")
	if !ok {
		return 0
	}
	n := 0
	for _, l := range strings.Split(ex, "\n") {
		if l == "" || !strings.HasPrefix(l, "  ") {
			break
		}
		if strings.Contains(l, "loadgen ") {
			n++
		}
	}
	return n
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}, {"-version"}} {
		code, out, stderr := runCLI(t, context.Background(), args...)
		if code != 0 || stderr != "" || !strings.HasPrefix(out, "loadgen ") || strings.Count(out, "\n") != 1 {
			t.Errorf("%v: exit %d, %q, %q", args, code, out, stderr)
		}
	}
}

// TestStatusOnStderrDataOnStdout: sim's and sweep's "wrote" lines go to
// stderr; the summary and the table to stdout.
func TestStatusOnStderrDataOnStdout(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := runCLI(t, context.Background(), "sim", "--droplets", "2e3", "--out", dir)
	if code != 0 || !strings.HasPrefix(stderr, "wrote ") || strings.Contains(out, "wrote") || !strings.Contains(out, "scenario us-east-1") {
		t.Errorf("sim: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	code, out, stderr = runCLI(t, context.Background(), "sweep", "--policies", "none", "--droplets", "2e3", "--seeds", "2e0", "--out", dir)
	if code != 0 || !strings.HasPrefix(stderr, "wrote ") || strings.Contains(out, "wrote") || strings.Count(out, "\n") != 2 || !strings.Contains(out, "0/2") {
		t.Errorf("sweep: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// TestCompareWhenAsked: a byte-order mark is skipped, incomplete runs are
// compared with --allow-incomplete, and recovery times print as sim does.
func TestCompareWhenAsked(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := runCLI(t, context.Background(), "sweep", "--policies", "queue-size", "--droplets", "2000", "--out", dir); code != 0 {
		t.Fatal(e)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "sweep.csv"))
	bom := filepath.Join(dir, "bom.csv")
	os.WriteFile(bom, append([]byte("\ufeff"), b...), 0o644)
	inc := filepath.Join(dir, "incomplete.csv")
	i := strings.LastIndex(string(b), ",true,") // complete, before wall_s
	os.WriteFile(inc, []byte(string(b[:i])+",false,"+string(b[i+6:])), 0o644)
	code, out, stderr := runCLI(t, context.Background(), "compare", "--allow-incomplete", bom, inc)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, %q", code, stderr)
	}
	if !regexp.MustCompile(`  \d+h\d+m\d+s  `).MatchString(out) || strings.Contains(out, " s ") {
		t.Errorf("recovery not printed as a duration:\n%s", out)
	}
}

// TestScenarioPathIsAFile: a --scenario value with a slash, or naming an
// existing file, runs that file even when a preset has the same name.
func TestScenarioPathIsAFile(t *testing.T) {
	t.Chdir(t.TempDir())
	_, text, _ := runCLI(t, context.Background(), "scenarios", "show", "metastable")
	os.WriteFile("us-east-1", []byte(text), 0o644)
	for _, ref := range []string{"./us-east-1", "us-east-1"} {
		code, out, stderr := runCLI(t, context.Background(), "sim", "--scenario", ref, "--out", "")
		if code != 0 || !strings.HasPrefix(out, "scenario metastable") {
			t.Errorf("--scenario %s: exit %d, %s%s; want the local file (metastable)", ref, code, out, stderr)
		}
	}
}
