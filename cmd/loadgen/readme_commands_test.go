package main

import (
	"context"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/internal/docstest"
)

// readmeWrapper is loadgen as the README's commands run in the test: the
// built binary at reduced scale (--droplets 2000 for us-east-1 and its
// cascade, at most 2 seeds, live mode at 240x unless the command ties the
// time to a target, a start or an assertion), each run's exit status and
// arguments appended to $LOADGEN_LOG.
const readmeWrapper = `#!/bin/bash
args=("$@")
has() { local f; for f in "${args[@]}"; do [[ "$f" == "$1" || "$f" == "$1="* ]] && return 0; done; return 1; }
scn=""
for ((i = 0; i < ${#args[@]}; i++)); do [[ "${args[i]}" == --scenario ]] && scn="${args[i+1]}"; done
out=()
for ((i = 0; i < ${#args[@]}; i++)); do
  a="${args[i]}"
  case "$a" in
    --droplets) out+=("$a" 2000); ((i++)); continue ;;
    --seeds) n="${args[i+1]}"; ((n > 2)) && n=2; out+=("$a" "$n"); ((i++)); continue ;;
  esac
  out+=("$a")
done
case "${args[0]}" in
  sim|sweep|boundary)
    if ! has --droplets && [[ -z "$scn" || "$scn" == us-east-1 || "$scn" == us-east-1-cascade ]]; then out+=(--droplets 2000); fi ;;
  attack)
    if ! has --time-scale && ! has --assert && ! has --start-at && ! has --target && ! has --targets; then out+=(--time-scale 240); fi ;;
  serve)
    if ! has --time-scale; then out+=(--time-scale 240); fi ;;
esac
"$LOADGEN_REAL" "${out[@]}"
code=$?
printf '%s\t%s\n' "$code" "$*" >> "$LOADGEN_LOG"
exit $code
`

// readmeShim makes the README's go commands run the wrapper: go run
// ./cmd/loadgen ARGS is loadgen ARGS, go build -o F ./cmd/loadgen puts the
// wrapper at F; go test is this suite's own, run by go test (skipped).
const readmeShim = `go() {
  case "$1 $2" in
    "run ./cmd/loadgen") shift 2; loadgen "$@" ;;
    "build -o") cp "$(command -v loadgen)" "$3" ;;
    "install ./cmd/loadgen") ;;
    "test "*) printf 'skip\tgo %s\n' "$*" >> "$LOADGEN_LOG" ;;
    *) echo "README test: go $* not known" >&2; return 2 ;;
  esac
}
`

// readmeSkipped are the docs' sh blocks not run, each for its reason:
// the explicitly long ones.
var readmeSkipped = map[string]string{
	"go test ./bench/scenario -run XXX -fuzz FuzzDecode": "the fuzzers, 60 s each, run as go test",
}

// readmeFragments are the docs' inline commands that are not whole
// commands (bad input as they stand): each is named in prose.
var readmeFragments = map[string]string{
	"loadgen boundary":            "names the command; its flags follow in the text",
	"loadgen report --format csv": "names report's CSV format; the sources are in the sentence",
	"loadgen compare --baseline none out/none/summary.csv out/qs/summary.csv": "reads two attacks' outputs the text assumes",
}

// readmeBlocks are the sh blocks of the docs (README.md, then docs/*.md by
// name) and their inline commands, each whole command line once per place.
func readmeBlocks(t *testing.T) (blocks []docstest.Block, inline []string) {
	t.Helper()
	blocks = docstest.Blocks(t, "sh")
	placeholder := regexp.MustCompile(`\b[A-Z]{1,6}\b|\.\.\.|\|`)
	command := regexp.MustCompile("`((?:go run \\./cmd/loadgen|loadgen|\\./loadgen) [^`]*)`")
	for _, f := range docstest.Files(t) {
		for _, m := range command.FindAllStringSubmatch(f.Text, -1) {
			c := strings.Join(strings.Fields(m[1]), " ") // a span may break across lines
			if !placeholder.MatchString(strings.TrimPrefix(c, "go run ./cmd/loadgen")) {
				inline = append(inline, c)
			}
		}
	}
	return blocks, inline
}

// TestREADMECommandsRun: every command the docs show (README.md and
// docs/*.md) runs as shown, at reduced scale (readmeWrapper): the sh blocks
// in order, file by file, in one directory (a block reads what an earlier
// one wrote), each command's exit status 0 (1 where the docs say a command
// may exit 1: compare, boundary, --assert), never 2 (bad input) or a
// crash; the transcript of --assert's failures prints the lines the docs
// show; every inline command parses (readmeFragments excepted). Skipped:
// readmeSkipped.
func TestREADMECommandsRun(t *testing.T) {
	bin := loadgenBinary(t)
	work := t.TempDir()
	binDir := filepath.Join(t.TempDir(), "bin")
	os.Mkdir(binDir, 0o755)
	wrapper := filepath.Join(binDir, "loadgen")
	if err := os.WriteFile(wrapper, []byte(readmeWrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	logFile := filepath.Join(t.TempDir(), "log")
	// The https example's target, and a free port for the two-process one.
	tlsTarget := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/lease" {
			http.NotFound(w, r)
		}
	}))
	defer tlsTarget.Close()
	os.WriteFile(filepath.Join(work, "ca.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsTarget.Certificate().Raw}), 0o644)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	freePort := l.Addr().String()
	l.Close()
	rewrite := strings.NewReplacer(
		"127.0.0.1:8443", strings.TrimPrefix(tlsTarget.URL, "https://"),
		"127.0.0.1:8080", freePort,
		"--duration 30s", "--duration 1s",
		"--for 15s", "--for 6s",
		" [--policy queue-size]", "", // an optional argument, in brackets
	)
	blocks, inline := readmeBlocks(t)
	run := func(script string, timeout time.Duration) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, "bash", "-c", readmeShim+script)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "PATH="+binDir+":"+os.Getenv("PATH"), "LOADGEN_REAL="+bin, "LOADGEN_LOG="+logFile)
		cmd.WaitDelay = 5 * time.Second
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	ran, skipped := 0, 0
	perFile := map[string]int{}
	for i, b := range blocks {
		block := b.Text
		perFile[b.File]++
		if reason, ok := skipReason(block); ok {
			t.Logf("block %d (%s:%d) skipped (%s): %s", i+1, b.File, b.Line, reason, firstLine(block))
			skipped++
			continue
		}
		if strings.HasPrefix(block, "$ ") { // a transcript: its commands, then its output
			var cmds, want []string
			for _, l := range strings.Split(block, "\n") {
				if c, ok := strings.CutPrefix(l, "$ "); ok {
					cmds = append(cmds, c)
				} else if strings.HasPrefix(l, "loadgen: ") {
					want = append(want, l)
				}
			}
			out, _ := run(rewrite.Replace(strings.Join(cmds, "\n")), 3*time.Minute)
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("block %d (%s:%d): the output lacks the docs' line %q:\n%s", i+1, b.File, b.Line, w, out)
				}
			}
			ran++
			continue
		}
		start := time.Now()
		if out, err := run("set -u\n"+rewrite.Replace(block), 5*time.Minute); err != nil && !strings.Contains(block, "compare") && !strings.Contains(block, "--assert") {
			t.Errorf("block %d (%s:%d: %s): %v\n%s", i+1, b.File, b.Line, firstLine(block), err, out)
		}
		t.Logf("block %d (%s:%d) ran in %v: %s", i+1, b.File, b.Line, time.Since(start).Round(time.Second), firstLine(block))
		ran++
	}
	// Every loadgen the blocks ran, by its status.
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	runs := 0
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		code, args, _ := strings.Cut(line, "\t")
		if code == "skip" {
			skipped++
			continue
		}
		runs++
		n, _ := strconv.Atoi(code)
		mayFail := strings.HasPrefix(args, "compare") || strings.HasPrefix(args, "boundary") || strings.Contains(args, "--assert")
		if n != 0 && !(n == 1 && mayFail) {
			t.Errorf("loadgen %s: exit %s", args, code)
		}
	}
	// Inline commands parse: run each with the run interrupted at once
	// (exit 130, or 0 for those that end by themselves), never bad input,
	// in one directory holding race.toml as the README has the reader
	// write it (us-east-1 with its [[trigger]] replaced by the dns-race one).
	inlineDir := t.TempDir()
	writeRaceTOML(t, filepath.Join(inlineDir, "race.toml"))
	parsed := 0
	for _, c := range inline {
		fields := shellFields(strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(c, "go run ./cmd/loadgen "), "./loadgen "), "loadgen"))
		if i := indexOf(fields, ">"); i >= 0 {
			fields = fields[:i]
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var o, e strings.Builder
		old, _ := os.Getwd()
		os.Chdir(inlineDir)
		code := app{stdout: &o, stderr: &e}.run(ctx, withScale(fields))
		os.Chdir(old)
		_, fragment := readmeFragments[c]
		switch {
		case fragment && code != 2:
			t.Errorf("inline %q is listed as a fragment but ran (exit %d): take it off readmeFragments", c, code)
		case !fragment && code == 2:
			t.Errorf("inline %q: bad input: %s", c, e.String())
		}
		parsed++
	}
	t.Logf("docs: %d sh blocks, %d run, %d skipped; %d loadgen commands run from them (%d go test lines skipped); %d inline commands parsed (%d fragments)",
		len(blocks), ran, len(blocks)-ran, runs, skipped-(len(blocks)-ran), parsed, len(readmeFragments))
	for _, f := range docstest.Files(t) {
		t.Logf("  %s: %d sh blocks", f.Path, perFile[f.Path])
	}
}

// writeRaceTOML writes the scenario the docs' dns-race section has the
// reader make: loadgen scenarios show us-east-1 > race.toml, renamed as
// the docs say, its [[trigger]] replaced by the toml block that follows.
func writeRaceTOML(t *testing.T, path string) {
	t.Helper()
	_, after, ok := strings.Cut(docstest.All(t), "loadgen scenarios show us-east-1 > race.toml")
	if !ok {
		return
	}
	say, block, _ := strings.Cut(after, "```toml\n")
	block, _, _ = strings.Cut(block, "```")
	const rename = `name = "race"`
	if !strings.Contains(say, rename) {
		t.Fatalf("the docs make race.toml from the us-east-1 preset without %s: a file named like a preset must be that preset", rename)
	}
	var o, e strings.Builder
	if code := (app{stdout: &o, stderr: &e}).run(context.Background(), []string{"scenarios", "show", "us-east-1"}); code != 0 {
		t.Fatal(e.String())
	}
	preset, _, ok := strings.Cut(o.String(), "[[trigger]]")
	if !ok {
		t.Fatal("us-east-1 has no [[trigger]]")
	}
	preset = strings.Replace(preset, `name = "us-east-1"`, rename, 1)
	if err := os.WriteFile(path, []byte(preset+block), 0o644); err != nil {
		t.Fatal(err)
	}
}

// skipReason is why a block is not run, if it is one of readmeSkipped.
func skipReason(block string) (string, bool) {
	for prefix, why := range readmeSkipped {
		if strings.HasPrefix(block, prefix) {
			return why, true
		}
	}
	return "", false
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

// withScale is args at the wrapper's reduced scale (in-process): 2000
// droplets for us-east-1 and its cascade.
func withScale(args []string) []string {
	out := append([]string(nil), args...)
	scn, droplets := "", false
	for i := range out {
		if i > 0 && out[i-1] == "--droplets" {
			out[i], droplets = "2000", true
		}
		if i > 0 && out[i-1] == "--scenario" {
			scn = out[i]
		}
	}
	if len(out) > 0 && (out[0] == "sim" || out[0] == "sweep" || out[0] == "boundary") && !droplets &&
		(scn == "" || scn == "us-east-1" || scn == "us-east-1-cascade") {
		out = append(out, "--droplets", "2000")
	}
	return out
}

// shellFields splits a command line as a shell would for these commands:
// at spaces outside quotes, the quotes removed.
func shellFields(s string) []string {
	var out []string
	var cur strings.Builder
	quote := rune(0)
	has := false
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, has = r, true
		case r == ' ':
			if cur.Len() > 0 || has {
				out = append(out, cur.String())
			}
			cur.Reset()
			has = false
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 || has {
		out = append(out, cur.String())
	}
	return out
}

// TestREADMEGoVersion: the Go the README says a fresh clone needs is
// go.mod's (it said 1.26 while go.mod needs 1.26.8).
func TestREADMEGoVersion(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	readme := docstest.Read(t, "README.md").Text
	if want := "Needs Go " + string(m[1]) + " or later"; !strings.Contains(readme, want) {
		t.Errorf("README lacks %q (go.mod: go %s)", want, m[1])
	}
}

// TestREADMESweepsWithinLimits: every sweep and boundary search the README
// shows (its sh blocks' and its inline commands, but those with a shell
// variable) passes the limits at its own scale, its droplets and seeds, as
// a reader runs it. TestREADMECommandsRun cannot see it: it runs the blocks
// at 2000 droplets and 2 seeds, whose estimates are hundreds of times
// smaller, and parses an inline sweep with the run interrupted, which stops
// it before its total is checked (the README's cascade velocity sweep, at
// 1.1e11 estimated events, passed it while a reader's run stopped at the
// limit of 1e11). Sized from the estimates, no model built (sizeSweep,
// planBoundary without build).
func TestREADMESweepsWithinLimits(t *testing.T) {
	blocks, inline := readmeBlocks(t)
	var cmds []string
	for _, c := range inline {
		if _, fragment := readmeFragments[c]; !fragment {
			cmds = append(cmds, c)
		}
	}
	for _, b := range blocks {
		for _, l := range strings.Split(strings.ReplaceAll(b.Text, "\\\n", " "), "\n") {
			if _, c, ok := strings.Cut(l, "loadgen "); ok {
				cmds = append(cmds, "loadgen "+c)
			}
		}
	}
	dir := t.TempDir()
	writeRaceTOML(t, filepath.Join(dir, "race.toml"))
	t.Chdir(dir)
	a := app{stdout: io.Discard, stderr: io.Discard}
	sized := 0
	for _, c := range cmds {
		_, c, _ = strings.Cut(c, "loadgen ")
		c = strings.ReplaceAll(unquotedPrefix(c), " [--policy queue-size]", "") // an optional argument, in brackets
		fields := shellFields(c)
		if i := indexOf(fields, ">"); i >= 0 {
			fields = fields[:i]
		}
		if len(fields) == 0 || strings.Contains(c, "$") || (fields[0] != "sweep" && fields[0] != "boundary") {
			continue
		}
		var err error
		if fields[0] == "sweep" {
			var o sweepOpts
			if o, _, err = a.parseSweep(fields[1:]); err == nil {
				_, _, _, err = sizeSweep(context.Background(), o, io.Discard, false)
			}
		} else {
			var o boundaryOpts
			if o, _, err = a.parseBoundary(fields[1:]); err == nil {
				_, err = planBoundary(o, false)
			}
		}
		if err != nil {
			t.Errorf("README: loadgen %s: %v", c, err)
		}
		sized++
	}
	t.Logf("sized %d of the README's sweeps and searches", sized)
	if sized < 10 {
		t.Errorf("sized %d of the README's sweeps and searches; want them all (10 or more)", sized)
	}
}

// unquotedPrefix is a shell command line up to its first ';', '&' or '#'
// outside quotes (the rest of a for loop, a comment).
func unquotedPrefix(s string) string {
	quote := rune(0)
	for i, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
		case r == '"' || r == '\'':
			quote = r
		case r == ';' || r == '&' || r == '#':
			return s[:i]
		}
	}
	return s
}
