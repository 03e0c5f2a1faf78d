package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// metastableFile writes the metastable preset with its clients on schedule
// and returns its path.
func metastableFile(t *testing.T, schedule string) string {
	t.Helper()
	text := `name = "metastable-schedule"
horizon = "60s"
interval = "1s"
[clients]
schedule = "` + schedule + `"
timeout = "100ms"
max_attempts = 3
[service]
workers = 10
service_time = "exp(10ms)"
[[trigger]]
kind = "load-spike"
at = "10s"
duration = "1s"
factor = 2
`
	p := filepath.Join(t.TempDir(), "m.toml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The output's shape: a header, the verdict, the fixed points, the
// policy's caveats as notes, how long it took; with --band the edge and the
// bistable bands.
func TestPredictOutput(t *testing.T) {
	for _, c := range []struct {
		args  []string
		lines []string // patterns, each the start of a line, in order
	}{
		{[]string{"--scenario", "metastable"}, []string{
			`scenario metastable · policy none · fluid model service$`,
			`predicted      stays collapsed to the horizon \(1m0s\)$`,
			`fixed points   bistable: healthy at 7 held \(good 1\.000\); unstable at 94\.\d+ held; collapsed`,
			`elapsed        [\d.]+ ms \(\d+ steps of 2ms\)$`}},
		{[]string{"--droplets", "1e4", "--policy", "queue-size"}, []string{
			`scenario us-east-1 · policy queue-size · fluid model dwfm · 10000 droplets$`,
			`predicted      recovers in 1h\d+m[\d.]+s after the trigger's end \(t=2h37m0s\)$`,
			`fixed points   `,
			`elapsed        `}},
		{[]string{"--droplets", "1e4", "--policy", "aimd"}, []string{
			`predicted      recovers in `,
			`fixed points   `,
			`note           aimd: timeout 5s is at most the latency at its least limit .*a fixed cap`,
			`elapsed        `}},
		{[]string{"--scenario", "mm1"}, []string{
			`predicted      no trigger: recovery not defined$`,
			`fixed points   healthy: healthy at 0\.8 held`}},
		{[]string{"--scenario", metastableFile(t, "0s=700, 11s=0")}, []string{
			`predicted      undetermined: too few arrivals after the trigger to judge recovery \(fewer than 10 a window\)$`}},
		{[]string{"--scenario", "metastable", "--band", "clients.rate=300:1500"}, []string{
			`predicted      `,
			`elapsed        `,
			`edge           clients.rate: recovers at 5\d\d(\.\d+)?, stays collapsed at 5\d\d`,
			`bistable       clients.rate from `,
			`elapsed        [\d.]+ ms \(\d+ predictions for the edge\)$`}},
	} {
		code, stdout, stderr := runCLI(t, context.Background(), append([]string{"predict"}, c.args...)...)
		if code != 0 || stderr != "" {
			t.Errorf("predict %q: exit %d, stderr %q", c.args, code, stderr)
			continue
		}
		lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
		i := 0
		for _, pat := range c.lines {
			re := regexp.MustCompile("^" + pat)
			for i < len(lines) && !re.MatchString(lines[i]) {
				i++
			}
			if i == len(lines) {
				t.Errorf("predict %q: no line matching %q after the previous one in\n%s", c.args, pat, stdout)
				break
			}
			i++
		}
	}
}

// Bad input of every kind: exit 2, one line on stderr starting
// "loadgen: predict: " that names it, and nothing on stdout: each is found
// before any prediction is printed.
func TestPredictBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--policy", "codel"}, "policy codel has no fluid form"},
		{[]string{"--policy", "aimd:min=50,max=10"}, "AIMD initial 20 below min 50"},
		{[]string{"--scenario", "metastable", "--policy", "vegas:max=2"}, "Vegas max 2 below initial 20"},
		{[]string{"--scenario", "metastable", "--policy", "vegas:max=2", "--with-sim", "3"}, "Vegas max 2 below initial 20"},
		{[]string{"--droplets", "1e4", "--policy", "failover-off"}, `"failover-off" does not apply to scenario us-east-1`},
		{[]string{"--scenario", "netprop"}, "Network Manager"},
		{[]string{"--band", "x=1:2"}, `unknown key "x"`},
		{[]string{"--band", "trigger.1.duration"}, "want KEY=LO:HI"},
		{[]string{"--scenario", "mm1", "--band", "clients.rate=0.5:0.9"}, "recovery not defined"},
		{[]string{"--with-sim", "-1"}, "--with-sim -1"},
		{[]string{"--scenario", "metastable", "--vary", "horizon=2000h", "--with-sim", "1"}, "--with-sim: run too large"},
		{[]string{"--vary", "nonsense"}, "want KEY=VALUE"},
	} {
		code, stdout, stderr := runCLI(t, context.Background(), append([]string{"predict"}, c.args...)...)
		lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
		if code != 2 || stdout != "" || len(lines) != 1 || !strings.HasPrefix(lines[0], "loadgen: predict: ") || !strings.Contains(lines[0], c.want) {
			t.Errorf("predict %q: exit %d, stdout %q, stderr %q; want exit 2, nothing on stdout, one line naming %q", c.args, code, stdout, stderr, c.want)
		}
	}
}

// --with-sim prints the simulator's seeds beside the prediction and whether
// the verdicts agree with their majority; a confidence interval is never
// below 0; without a trigger there is nothing to compare.
func TestPredictWithSim(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--scenario", "metastable", "--with-sim", "2"}, []string{"simulated      0/2 recovered (seeds 1-2, ", "verdicts       agree (the simulator's majority)"}},
		{[]string{"--scenario", "metastable", "--vary", "trigger.1.duration=50ms", "--with-sim", "2"}, []string{"simulated      2/2 recovered, mean 1s [1s, 1s]; predicted/simulated 1.000", "verdicts       agree (the simulator's majority)"}},
		// The documented disagreement: deadline-drop's collapse sits on the deadline's edge.
		{[]string{"--scenario", "metastable", "--policy", "deadline-drop", "--with-sim", "2"}, []string{"simulated      0/2 recovered", "verdicts       differ from the simulator's majority"}},
		{[]string{"--scenario", "mm1", "--with-sim", "1"}, []string{"1 without a trigger (recovery not defined)", "verdicts       nothing to compare: recovery is not defined without a trigger"}},
		{[]string{"--scenario", metastableFile(t, "0s=700, 11s=0"), "--with-sim", "2"}, []string{"simulated      0/2 recovered, 2 undetermined", "verdicts       agree (the simulator's majority is undetermined too)"}},
	} {
		code, stdout, stderr := runCLI(t, context.Background(), append([]string{"predict"}, c.args...)...)
		if code != 0 || stderr != "" {
			t.Errorf("predict %q: exit %d, stderr %q", c.args, code, stderr)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("predict %q: no %q in\n%s", c.args, w, stdout)
			}
		}
	}
	// Seeds 1-3 of a trickle that recovers by chance (a window reaching 10
	// arrivals at 5/s) spread so widely that mean − half-width is negative.
	_, stdout, _ := runCLI(t, context.Background(), "predict", "--scenario", metastableFile(t, "0s=700, 11s=5, 40s=700"), "--with-sim", "3")
	if m := regexp.MustCompile(`recovered, mean [^ ]+ \[([^,]+),`).FindStringSubmatch(stdout); m == nil || strings.HasPrefix(m[1], "-") {
		t.Errorf("the interval's lower end: %q in\n%s", m, stdout)
	}
}
