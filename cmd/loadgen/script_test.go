package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain makes this test binary loadgen itself when it runs under that
// name: testscript puts a copy named loadgen on the scripts' PATH, so a
// script's "loadgen ..." (or "exec loadgen ...") runs the real main in a
// process of its own, with its real exit status, stdout, stderr and signals.
func TestMain(m *testing.M) {
	testscript.Main(cleanupM{m}, map[string]func(){"loadgen": main})
}

// cleanupM runs the tests, then removes the binary loadgenBinary built.
type cleanupM struct{ m *testing.M }

func (c cleanupM) Run() int {
	code := c.m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	return code
}

// TestScripts runs the CLI's stories, testdata/script/*.txtar: run,
// interrupt, keep earlier results, compare, assert, shard and merge, plot,
// report, the listings, predict, boundary, help, and bad input. -update
// rewrites each script's expected output (a cmp against a file of the
// archive) from what loadgen prints now.
//
// Beside testscript's own commands the scripts have:
//
//	bad PROG ARGS...     PROG is refused: exit 2, nothing on stdout, exactly
//	                     one line on stderr starting "loadgen: ", and no file
//	                     or directory under $WORK created, removed or changed;
//	                     stderr is then matched as usual
//	exits [-signal=INT|TERM -after=FILE:N] CODE PROG ARGS...
//	                     PROG exits with status CODE; with -signal, the signal
//	                     is sent once FILE holds at least N lines
//	bytes FILE 'TEXT'    writes TEXT, a Go string literal's body
//	                     ("\x00\xff\n"), to FILE
//	attackfixtures       writes live attacks' outputs: a1 (shard 0/2 of
//	                     scenario small), a2 (1/2 of other), aborted (an
//	                     interrupted attack), plain.bin (a vegeta file)
//
// and the condition [root] (running as root, who can write anywhere).
func TestScripts(t *testing.T) {
	fixtures := t.TempDir()
	badInputReportFiles(t, fixtures)
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		UpdateScripts:       *update,
		RequireExplicitExec: false,
		RequireUniqueNames:  true,
		Setup: func(e *testscript.Env) error {
			// Under -race every process sleeps a second on exit (for
			// goroutines still running to report): four hundred of
			// them would add minutes.
			e.Vars = append(e.Vars, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
			var keys []string
			for _, kv := range e.Vars {
				if k, _, ok := strings.Cut(kv, "="); ok {
					keys = append(keys, k)
				}
			}
			e.Values[envKeysKey{}] = keys
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"bad":   cmdBad,
			"exits": cmdExits,
			"bytes": cmdBytes,
			"attackfixtures": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 0 {
					ts.Fatalf("usage: attackfixtures")
				}
				ts.Check(os.CopyFS(ts.MkAbs("."), os.DirFS(fixtures)))
			},
		},
	})
}

type envKeysKey struct{}

// TestScriptsKeepEveryBadInput: the badinput_*.txtar scripts hold at least
// the 322 distinct bad command lines of the three tables they replaced
// (badinput_test.go's 304 rows, TestBadInputExitsTwoWithOneLine's 25,
// TestSweepBadInput's 3; ten lines were in two tables); no bad line is in
// the scripts twice; there are at least 25 scripts.
func TestScriptsKeepEveryBadInput(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "script", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 25 {
		t.Errorf("%d scripts, want at least 25", len(files))
	}
	seen := map[string]string{}
	kept := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		script, _, _ := strings.Cut(string(b), "\n-- ")
		for _, l := range strings.Split(script, "\n") {
			for strings.HasPrefix(l, "[") { // conditions
				_, l, _ = strings.Cut(l, "] ")
			}
			if !strings.HasPrefix(l, "bad ") {
				continue
			}
			if g, ok := seen[l]; ok {
				t.Errorf("%s and %s: %q twice", g, f, l)
			}
			seen[l] = f
			if strings.HasPrefix(filepath.Base(f), "badinput_") {
				kept++
			}
		}
	}
	if kept < 322 {
		t.Errorf("%d bad command lines in badinput_*.txtar, want at least 322", kept)
	}
}

// cmdBad runs a command line that must be refused as bad input.
func cmdBad(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: bad PROG ARGS...")
	}
	work := ts.Getenv("WORK")
	before := tree(ts, work)
	err := ts.Exec(args[0], args[1:]...)
	code := exitCode(ts, err)
	after := tree(ts, work)
	stdout, stderr := ts.ReadFile("stdout"), ts.ReadFile("stderr")
	if code != 2 {
		ts.Fatalf("exit %d, want 2", code)
	}
	if stdout != "" {
		ts.Fatalf("stdout %q, want nothing", stdout)
	}
	if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") || !strings.HasPrefix(stderr, "loadgen: ") {
		ts.Fatalf("stderr %q, want one line starting loadgen:", stderr)
	}
	if d := treeDiff(before, after); len(d) > 0 {
		ts.Fatalf("files touched: %s", strings.Join(d, ", "))
	}
}

// cmdExits runs a command line that must exit with the given status,
// stopped by a signal once a file holds enough lines if asked.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	usage := "usage: exits [-signal=INT|TERM -after=FILE:N] CODE PROG ARGS..."
	if neg {
		ts.Fatalf("%s", usage)
	}
	var sig os.Signal
	after, lines := "", 0
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		k, v, _ := strings.Cut(strings.TrimPrefix(args[0], "-"), "=")
		switch k {
		case "signal":
			sig = map[string]os.Signal{"INT": syscall.SIGINT, "TERM": syscall.SIGTERM}[v]
			if sig == nil {
				ts.Fatalf("%s", usage)
			}
		case "after":
			f, n, ok := strings.Cut(v, ":")
			var err error
			if lines, err = strconv.Atoi(n); !ok || err != nil {
				ts.Fatalf("%s", usage)
			}
			after = f
		default:
			ts.Fatalf("%s", usage)
		}
		args = args[1:]
	}
	if len(args) < 2 || (sig == nil) != (after == "") {
		ts.Fatalf("%s", usage)
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("%s", usage)
	}
	var code int
	if sig == nil {
		code = exitCode(ts, ts.Exec(args[1], args[2:]...))
	} else {
		code = signalled(ts, sig, ts.MkAbs(after), lines, args[1], args[2:])
	}
	if code != want {
		ts.Fatalf("exit %d, want %d", code, want)
	}
}

// signalled runs prog in the script's directory and environment, sends it
// sig once file holds at least lines lines, and returns its exit status;
// its stdout and stderr become the script's.
func signalled(ts *testscript.TestScript, sig os.Signal, file string, lines int, prog string, args []string) int {
	path, err := exec.LookPath(prog)
	ts.Check(err)
	cmd := exec.Command(path, args...)
	cmd.Dir = ts.MkAbs(".")
	for _, k := range append(ts.Value(envKeysKey{}).([]string), "JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID") {
		if v := ts.Getenv(k); v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	ts.Check(cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	fail := func(format string, a ...any) {
		cmd.Process.Kill()
		<-done
		ts.Fatalf(format, a...)
	}
	for deadline := time.Now().Add(time.Minute); ; {
		b, _ := os.ReadFile(file)
		if strings.Count(string(b), "\n") >= lines {
			break
		}
		select {
		case err := <-done:
			ts.Fatalf("exited (%v) before %s held %d lines; stderr %q", err, file, lines, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			fail("%s held fewer than %d lines after a minute", file, lines)
		}
	}
	ts.Check(cmd.Process.Signal(sig))
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		fail("still running a minute after %v", sig)
	}
	fmt.Fprint(ts.Stdout(), stdout.String())
	fmt.Fprint(ts.Stderr(), stderr.String())
	return exitCode(ts, err)
}

// exitCode is the status of a command that returned err.
func exitCode(ts *testscript.TestScript, err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return ee.ExitCode()
	}
	ts.Fatalf("%v", err)
	return -1
}

// cmdBytes writes a file from a Go string literal's body.
func cmdBytes(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: bytes FILE 'TEXT'")
	}
	text, err := strconv.Unquote(`"` + args[1] + `"`)
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(text), 0o644))
}

// tree is every file and directory under root: its mode and, for a regular
// file, its checksum; a symbolic link's target.
func tree(ts *testscript.TestScript, root string) map[string]string {
	m := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		v := info.Mode().String()
		switch {
		case info.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			v += fmt.Sprintf(" %x", sha256.Sum256(b))
		case info.Mode()&fs.ModeSymlink != 0:
			t, _ := os.Readlink(p)
			v += " -> " + t
		}
		m[p] = v
		return nil
	})
	ts.Check(err)
	return m
}

// treeDiff names what changed between two trees.
func treeDiff(before, after map[string]string) []string {
	var d []string
	for p, b := range before {
		if a, ok := after[p]; !ok {
			d = append(d, "removed "+p)
		} else if a != b {
			d = append(d, "changed "+p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			d = append(d, "new "+p)
		}
	}
	return d
}
