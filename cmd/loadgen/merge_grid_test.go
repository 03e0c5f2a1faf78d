package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeRefusesShardsOfAnotherSweep: the three shards of a sweep (2
// policies × 2 seeds at 2,000 droplets) merge into exactly the file one
// machine writes; with one shard taken from a sweep run with other
// --droplets, or other --policies, or other --seeds, merge refuses, exit
// 2, one line naming the shard and what differs. (It merged them: a
// sweep.csv whose runs came from different sweeps.)
func TestMergeRefusesShardsOfAnotherSweep(t *testing.T) {
	root := t.TempDir()
	sweep := func(dir string, shard string, more ...string) string {
		t.Helper()
		args := append([]string{"sweep", "--policies", "none,queue-size", "--droplets", "2000", "--seeds", "2", "--wall=false",
			"--out", filepath.Join(root, dir)}, more...)
		if shard != "" {
			args = append(args, "--shard", shard)
		}
		if code, _, e := runCLI(t, context.Background(), args...); code != 0 {
			t.Fatalf("%v: exit %d, %s", args, code, e)
		}
		if shard == "" {
			return filepath.Join(root, dir, "sweep.csv")
		}
		return filepath.Join(root, dir, "sweep.shard-"+strings.Replace(shard, "/", "-of-", 1)+".csv")
	}
	whole := sweep("whole", "")
	a := []string{sweep("a", "0/3"), sweep("a", "1/3"), sweep("a", "2/3")}
	merged := filepath.Join(root, "merged.csv")
	if code, _, e := runCLI(t, context.Background(), append([]string{"merge", "--out", merged}, a...)...); code != 0 {
		t.Fatalf("merge of one sweep's shards: exit %d, %s", code, e)
	}
	if w, m := fileText(t, whole), fileText(t, merged); w != m {
		t.Errorf("merged shards\n%s\nwant the single sweep's file\n%s", m, w)
	}
	for _, c := range []struct {
		name  string
		files []string
		want  string
	}{
		{"--droplets 3000", []string{a[0], sweep("b", "1/3", "--droplets", "3000"), a[2]}, "droplets 3000"},
		{"--policies none,aimd", []string{a[0], a[1], sweep("c", "2/3", "--policies", "none,aimd")}, `policy "aimd"`},
		{"--seeds 3", []string{a[0], sweep("d", "1/3", "--seeds", "3"), a[2]}, "seed"},
	} {
		code, out, e := runCLI(t, context.Background(), append([]string{"merge"}, c.files...)...)
		if code != 2 || out != "" || strings.Count(e, "\n") != 1 || !strings.Contains(e, "not one sweep") || !strings.Contains(e, c.want) {
			t.Errorf("a shard run with %s: exit %d, stdout %q, stderr %q; want 2 and one line naming %q", c.name, code, out, e, c.want)
		}
	}
}

func fileText(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
