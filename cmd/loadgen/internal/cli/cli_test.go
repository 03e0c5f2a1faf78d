package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestIntAcceptsWholeFloats(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"1000000", 1000000, true}, {"1e6", 1000000, true}, {"1E2", 100, true}, {"2.5e3", 2500, true},
		{"-3", -3, true}, {"-1e2", -100, true}, {"0", 0, true},
		{"1.5e0", 0, false}, {"1.5", 0, false}, {"1e19", 0, false}, {"9223372036854775808", 0, false},
		{"1e400", 0, false}, {"NaN", 0, false}, {"Inf", 0, false}, {"0x10", 0, false}, {"abc", 0, false}, {"", 0, false},
	} {
		var n int
		err := Int{P: &n}.Set(c.in)
		if (err == nil) != c.ok || (c.ok && n != c.want) {
			t.Errorf("Int.Set(%q) = %d, %v; want %d, ok=%v", c.in, n, err, c.want, c.ok)
		}
	}
}

func TestUint64AcceptsWholeFloats(t *testing.T) {
	for _, c := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"18446744073709551615", 18446744073709551615, true}, {"1e2", 100, true}, {"7", 7, true},
		{"-1", 0, false}, {"-1e2", 0, false}, {"1.5e0", 0, false}, {"1e30", 0, false}, {"x", 0, false},
	} {
		var n uint64
		err := Uint64{P: &n}.Set(c.in)
		if (err == nil) != c.ok || (c.ok && n != c.want) {
			t.Errorf("Uint64.Set(%q) = %d, %v; want %d, ok=%v", c.in, n, err, c.want, c.ok)
		}
	}
}

func TestExitStatuses(t *testing.T) {
	for _, c := range []struct {
		err  error
		code int
		line string
	}{
		{nil, 0, ""},
		{errors.New("boom\nsecond line"), 1, "loadgen: boom"},
		{Usage(errors.New("scenario: x.scn:3: bad")), 2, "loadgen: scenario: x.scn:3: bad"},
		{Flagf("sim", "--droplets %d below 0", -5), 2, "loadgen: sim: --droplets -5 below 0; run 'loadgen sim -h'"},
		{Flagf("loadgen", "no command given"), 2, "loadgen: no command given; run 'loadgen -h'"},
		{fmt.Errorf("sim: %w at t=1m", ErrInterrupted), 130, "loadgen: sim: interrupted at t=1m"},
		{Failures{errors.New("verdict: recovered failed\nmore"), errors.New("verdict: recovery_s<1 failed")}, 1, "loadgen: verdict: recovered failed\nloadgen: verdict: recovery_s<1 failed"},
	} {
		code, line := Exit(c.err)
		if code != c.code || line != c.line {
			t.Errorf("Exit(%v) = %d, %q; want %d, %q", c.err, code, line, c.code, c.line)
		}
	}
}

func TestVersion(t *testing.T) {
	bi := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "4839f6d0123456789abcdef"}, {Key: "vcs.modified", Value: "true"}}}
	if v := version(bi); v != "devel (revision 4839f6d01234, modified)" {
		t.Errorf("version = %q", v)
	}
	if v := version(&debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}); v != "v1.2.3" {
		t.Errorf("version = %q", v)
	}
	if Version() == "" {
		t.Error("empty version")
	}
}

func TestIsPath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile(filepath.Join(dir, "mine"), nil, 0o644)
	for ref, want := range map[string]bool{"us-east-1": false, "./us-east-1": true, "a/b.scn": true, "mine": true, "nope": false} {
		if IsPath(ref) != want {
			t.Errorf("IsPath(%q) = %v", ref, !want)
		}
	}
}

func TestReadFileRefusesLargeFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big")
	os.WriteFile(p, make([]byte, 101), 0o644)
	if _, err := ReadFile("scenario", p, 100); err == nil || !strings.Contains(err.Error(), "larger than 100 bytes") {
		t.Fatalf("err %v", err)
	}
	if b, err := ReadFile("scenario", p, 101); err != nil || len(b) != 101 {
		t.Fatalf("%d bytes, %v", len(b), err)
	}
	if _, err := ReadFile("scenario", "/no/such", 100); err == nil || err.Error() != `scenario: "/no/such": no such file or directory` {
		t.Fatalf("err %v", err)
	}
}

// TestProgressThrottlesAndEstimates: at most one update per ProgressEvery,
// an ETA from the rate so far, nothing at all off a terminal.
func TestProgressThrottlesAndEstimates(t *testing.T) {
	now := time.Unix(0, 0)
	var b bytes.Buffer
	p := newProgress(&b, true, func() time.Time { return now })
	for i := 1; i <= 100; i++ { // 10 s in 100 ms steps
		now = now.Add(100 * time.Millisecond)
		p.Update(float64(i)/200, fmt.Sprintf("step %d", i))
	}
	if n := strings.Count(b.String(), "\r"); n < 30 || n > 40 {
		t.Errorf("%d updates in 10 s, want 4 a second", n)
	}
	if !strings.Contains(b.String(), "step 100 ( 50%, ETA 10s)") {
		t.Errorf("last update lacks the ETA: %q", b.String()[b.Len()-40:])
	}
	var off bytes.Buffer
	q := newProgress(&off, false, time.Now)
	q.Update(0.5, "x")
	q.Done()
	if off.Len() != 0 {
		t.Errorf("progress off a terminal wrote %q", off.String())
	}
	if IsTerminal(&off) {
		t.Error("a buffer is a terminal")
	}
}

// TestSecondSignalExitsAtOnce: the first SIGINT cancels the context; a
// second one, after SignalEcho, calls exit(130) without waiting for the run.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	var b bytes.Buffer
	exited := make(chan int, 1)
	ctx, stop := Interruptible(context.Background(), &b, func(code int) { exited <- code })
	defer stop()
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("first SIGINT did not cancel the context")
	}
	select {
	case code := <-exited:
		t.Fatalf("exit(%d) after one signal", code)
	default:
	}
	time.Sleep(SignalEcho + 50*time.Millisecond)
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	select {
	case code := <-exited:
		if code != ExitInterrupted {
			t.Fatalf("exit(%d), want %d", code, ExitInterrupted)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("second signal did not exit")
	}
}

// signalTwice delivers first and then second to pid within 100 ms, as
// timeout(1) does (the child, then its process group): it fails the test if
// the two took longer. The kernel may merge two of the same signal still
// pending into one; two different ones always arrive as two.
func signalTwice(t *testing.T, pid int, first, second syscall.Signal) {
	t.Helper()
	start := time.Now()
	if err := syscall.Kill(pid, first); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, second); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d >= 100*time.Millisecond {
		t.Fatalf("the two signals took %v, want them within 100 ms", d)
	}
}

// TestSignalTwiceWithin100msCountsOnce: the same signal delivered twice at
// once (timeout(1) signals the child and then its group) stops the run
// once, keeping what it measured; it is no "Ctrl-C twice". Repeated, since
// the old handler quit on about one run in five.
func TestSignalTwiceWithin100msCountsOnce(t *testing.T) {
	for i := range 10 {
		var b bytes.Buffer
		exited := make(chan int, 1)
		ctx, stop := Interruptible(context.Background(), &b, func(code int) { exited <- code })
		second := syscall.SIGTERM
		if i%2 == 1 {
			second = syscall.SIGINT
		}
		signalTwice(t, os.Getpid(), syscall.SIGTERM, second)
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
			stop()
			t.Fatal("the signals did not cancel the context")
		}
		select {
		case code := <-exited:
			stop()
			t.Fatalf("round %d: exit(%d): two signals within 100 ms counted as a second Ctrl-C", i, code)
		case <-time.After(SignalEcho + 100*time.Millisecond):
		}
		stop()
		if n := strings.Count(b.String(), "stopping"); n != 1 {
			t.Fatalf("round %d: %q", i, b.String())
		}
	}
}

func TestShardFlag(t *testing.T) {
	env := func(kv ...string) func(string) (string, bool) {
		return func(k string) (string, bool) {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1], true
				}
			}
			return "", false
		}
	}
	good := []struct {
		arg  string
		env  []string
		i, n int
		from string
	}{
		{"0/1", nil, 0, 1, ""},
		{"6/7", []string{"JOB_COMPLETION_INDEX", "2"}, 6, 7, ""}, // the flag's index wins
		{"7", []string{"JOB_COMPLETION_INDEX", "3"}, 3, 7, "JOB_COMPLETION_INDEX"},
		{"7", []string{"SLURM_ARRAY_TASK_ID", "0"}, 0, 7, "SLURM_ARRAY_TASK_ID"},
		{"7", []string{"JOB_COMPLETION_INDEX", "4", "SLURM_ARRAY_TASK_ID", "4"}, 4, 7, "JOB_COMPLETION_INDEX"},
		{"7", []string{"JOB_COMPLETION_INDEX", "", "SLURM_ARRAY_TASK_ID", "5"}, 5, 7, "SLURM_ARRAY_TASK_ID"},
	}
	for _, c := range good {
		s := Shard{Getenv: env(c.env...)}
		if err := s.Set(c.arg); err != nil || s.I != c.i || s.N != c.n || s.From != c.from || !s.On {
			t.Errorf("--shard %s with %v: %+v, %v; want %d/%d from %q", c.arg, c.env, s, err, c.i, c.n, c.from)
		}
	}
	bad := []struct {
		arg  string
		env  []string
		want string
	}{
		{"3/3", nil, "outside 0..2"},
		{"-1/3", nil, "outside 0..2"},
		{"a/3", nil, "not a whole number"},
		{"1/0", nil, "want I/N"},
		{"", nil, "want I/N"},
		{"x", nil, "want I/N"},
		{"7", nil, "neither is set"},
		{"7", []string{"SLURM_ARRAY_TASK_ID", "7"}, "--array=0-6"},
		{"7", []string{"JOB_COMPLETION_INDEX", "x"}, "from JOB_COMPLETION_INDEX is not a whole number"},
		{"7", []string{"JOB_COMPLETION_INDEX", "1", "SLURM_ARRAY_TASK_ID", "2"}, "disagree"},
	}
	for _, c := range bad {
		s := Shard{Getenv: env(c.env...)}
		err := s.Set(c.arg)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("--shard %q with %v: error %v, want one line with %q", c.arg, c.env, err, c.want)
		}
	}
}

// TestTidy: the command is named once, first; the runner's and readers'
// package names are gone; input kinds (scenario:, policy:) stay.
func TestTidy(t *testing.T) {
	for _, c := range []struct{ cmd, in, want string }{
		{"boundary", "loadgen: bench: boundary: --tol 1e-12: more than 40 bisection steps", "loadgen: boundary: --tol 1e-12: more than 40 bisection steps"},
		{"sim", "loadgen: bench: run too large: about 9.22e+07 events", "loadgen: sim: run too large: about 9.22e+07 events"},
		{"sweep", "loadgen: sweep: policy \"none\": bench: run too large", "loadgen: sweep: policy \"none\": run too large"},
		{"serve", "loadgen: serve: live: scenario mm1 has no [dwfm] section", "loadgen: serve: scenario mm1 has no [dwfm] section"},
		{"attack", "loadgen: attack: attack: target 127.0.0.1:1 unreachable", "loadgen: attack: target 127.0.0.1:1 unreachable"},
		{"report", "loadgen: report: record: bad file: \"x\": not a vegeta results file", "loadgen: report: bad file: \"x\": not a vegeta results file"},
		{"sim", "loadgen: scenario: \"a.toml\": line 3: bad", "loadgen: sim: scenario: \"a.toml\": line 3: bad"},
		{"sim", "loadgen: --out \"x\": results: cannot create output directory", "loadgen: sim: --out \"x\": cannot create output directory"},
		{"loadgen", "loadgen: unknown command \"x\"", "loadgen: unknown command \"x\""},
		{"sim", "loadgen: a\nloadgen: b", "loadgen: a\nloadgen: b"},
	} {
		if got := Tidy(c.in, c.cmd); got != c.want {
			t.Errorf("Tidy(%q, %q) = %q, want %q", c.in, c.cmd, got, c.want)
		}
	}
}

type fieldErr struct{}

func (fieldErr) Error() string { return "bench: droplets 5 given" }
func (fieldErr) Rename(name func(string) string) string {
	return "bench: " + name("droplets") + " 5 given"
}

// TestNamed: a library's field names become the flags, whatever wraps the
// error, and the wrapped error is still found.
func TestNamed(t *testing.T) {
	err := Usage(fmt.Errorf("sim: %w", fieldErr{}))
	n := Named(err)
	var u UsageError
	if n.Error() != "sim: bench: --droplets 5 given" || !errors.As(n, &u) {
		t.Errorf("Named: %q (usage error %v)", n.Error(), errors.As(n, &u))
	}
	if Named(nil) != nil || Named(ErrInterrupted) != ErrInterrupted {
		t.Error("Named changed an error without fields")
	}
}
