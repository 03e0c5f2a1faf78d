package main

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// deployArgsParse runs a deploy file's loadgen arguments with --seeds 0
// appended: every flag before it must parse (an unknown flag or a bad
// --shard would be refused first), so the run stops at --seeds.
func deployArgsParse(t *testing.T, file string, args []string) {
	t.Helper()
	code, out, e := runCLI(t, context.Background(), append(args, "--seeds", "0")...)
	if code != 2 || out != "" || !strings.Contains(e, "--seeds 0 below 1") {
		t.Errorf("%s: loadgen %s: exit %d, stderr %q; want its flags accepted", file, strings.Join(args, " "), code, e)
	}
}

// TestDeployFilesAgree: the Kubernetes Job's completions and the Slurm
// array's size are the --shard count their sweep is given, and the sweeps'
// flags are ones loadgen takes, with the shard index from the variable each
// engine sets.
func TestDeployFilesAgree(t *testing.T) {
	k8s, err := os.ReadFile("../../deploy/k8s-indexed-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s+completions: (\d+)`).FindSubmatch(k8s)
	a := regexp.MustCompile(`(?m)^\s+args: (\[.*\])$`).FindSubmatch(k8s)
	if m == nil || a == nil || !strings.Contains(string(k8s), "completionMode: Indexed") {
		t.Fatalf("k8s-indexed-job.yaml: no completions, args or Indexed mode")
	}
	var args []string
	if err := json.Unmarshal(a[1], &args); err != nil {
		t.Fatalf("k8s-indexed-job.yaml args: %v", err)
	}
	if !strings.Contains(strings.Join(args, " "), "--shard "+string(m[1])+" ") {
		t.Errorf("k8s-indexed-job.yaml: completions %s, args %v; want --shard %s", m[1], args, m[1])
	}
	t.Setenv("JOB_COMPLETION_INDEX", "0")
	deployArgsParse(t, "k8s-indexed-job.yaml", args)
	os.Unsetenv("JOB_COMPLETION_INDEX")

	sh, err := os.ReadFile("../../deploy/slurm-sweep.sh")
	if err != nil {
		t.Fatal(err)
	}
	arr := regexp.MustCompile(`(?m)^#SBATCH --array=0-(\d+)$`).FindSubmatch(sh)
	shards := regexp.MustCompile(`(?m)^SHARDS=(\d+)`).FindSubmatch(sh)
	cmd := regexp.MustCompile(`(?s)exec "\$LOADGEN" (.*?[^\\])\n`).FindSubmatch(sh)
	if arr == nil || shards == nil || cmd == nil {
		t.Fatalf("slurm-sweep.sh: no --array, SHARDS or exec line")
	}
	last, _ := strconv.Atoi(string(arr[1]))
	if n, _ := strconv.Atoi(string(shards[1])); n != last+1 {
		t.Errorf("slurm-sweep.sh: --array=0-%d for SHARDS=%d", last, n)
	}
	line := strings.NewReplacer("\\\n", " ", `"${SLURM_CPUS_PER_TASK:-2}"`, "2", `"$SHARDS"`, string(shards[1]), `"$OUT"`, t.TempDir()).Replace(string(cmd[1]))
	t.Setenv("SLURM_ARRAY_TASK_ID", string(arr[1]))
	deployArgsParse(t, "slurm-sweep.sh", strings.Fields(line))
}
