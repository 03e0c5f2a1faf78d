package record

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// shardAt writes shard sh (of 2, 50 droplets) whose rows are at model
// times ts (seconds): one good attempt finished in each, leased rising to
// all 50 at its last row; it reads it back.
func shardAt(t *testing.T, dir, sh string, ts []float64) *Run {
	t.Helper()
	o := opts(dir)
	o.Shard, o.Droplets = sh, 50
	w, err := Create(o)
	if err != nil {
		t.Fatal(err)
	}
	for k, s := range ts {
		at := time.Duration(s * float64(time.Second))
		r := vegeta.Result{Attack: First, Seq: uint64(k), Code: 200, Timestamp: start.Add(time.Duration(float64(at) / scale)), Latency: time.Millisecond}
		if err := w.Add(&r); err != nil {
			t.Fatal(err)
		}
		if err := w.Tick(Tick{At: at, Scheduled: int64(k + 1), Sent: int64(k + 1), Leased: float64(k+1) / float64(len(ts)), Queued: 3}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(Summary{Recovered: true, RecoveryS: 10, TriggerEndS: 30, KeptUp: true, Complete: true, WallS: 1}); err != nil {
		t.Fatal(err)
	}
	run, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// TestMergeShardsThatEndApart: two shards of 50 droplets on a 60 s grid;
// one ends at 150.5 s, the other at 263.2 s (its attempts in flight
// finished later). The merged rows are the grid rows, then the latest end;
// the early shard's last row is in the interval that holds it (180), and
// from then on its droplets count as it left them: every row has 100
// droplets, leased + expired. Counts add up to the summary's, and each
// row's goodput is over its own span. (Rows after the early shard's end
// had only the other's droplets: "leased 45, expired 5" of 100.)
func TestMergeShardsThatEndApart(t *testing.T) {
	root := t.TempDir()
	for _, c := range []struct {
		name   string
		a, b   []float64
		want   []float64
		aEndIn int // the merged row holding a's last
	}{
		{"ends off the grid", []float64{60, 120, 150.5}, []float64{60, 120, 180, 240, 263.2}, []float64{60, 120, 180, 240, 263.2}, 2},
		// as attacks before this rule wrote them: the last row rounded up to the grid
		{"ends on the grid", []float64{60, 120, 180}, []float64{60, 120, 180, 240, 300}, []float64{60, 120, 180, 240, 300}, 2},
		{"one ends inside the first interval", []float64{41.25}, []float64{60, 61.5}, []float64{60, 61.5}, 0},
	} {
		a := shardAt(t, filepath.Join(root, c.name, "a"), "0/2", c.a)
		b := shardAt(t, filepath.Join(root, c.name, "b"), "1/2", c.b)
		m, err := Merge(a, b)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(m.Rows) != len(c.want) {
			t.Errorf("%s: %d rows, want %d", c.name, len(m.Rows), len(c.want))
			continue
		}
		var sum Counts
		for k, row := range m.Rows {
			span := row.T
			if k > 0 {
				span -= m.Rows[k-1].T
			}
			if row.T != c.want[k] || row.Leased+row.Expired != 100 || math.Abs(row.GoodputPerS-float64(row.Counts.Good)/span) > 1e-9 {
				t.Errorf("%s: row %d %v: want t_s %.3f, 100 droplets, goodput over %.3f s", c.name, k+1, row.Record(), c.want[k], span)
			}
			if k >= c.aEndIn && k < len(m.Rows)-1 && row.Leased != 50+int64(math.Round(50*float64(k+1)/float64(len(c.b)))) {
				t.Errorf("%s: row %d leased %d: want a's 50 carried forward", c.name, k+1, row.Leased)
			}
			sum.Merge(row.Counts)
		}
		if sum != m.Summary.Counts || m.Rows[c.aEndIn].Counts.Completed < 2 || m.Summary.SimS != c.b[len(c.b)-1] {
			t.Errorf("%s: rows add up to %+v, summary %+v; row %d %v; sim_s %v", c.name, sum, m.Summary.Counts, c.aEndIn+1, m.Rows[c.aEndIn].Record(), m.Summary.SimS)
		}
	}
}

// TestMergeRefusesSomeShards: two of three shards would leave a third of
// the droplets out of every total and of recovery: refused, naming the
// missing one; one shard alone is itself.
func TestMergeRefusesSomeShards(t *testing.T) {
	root := t.TempDir()
	mk := func(sh string) *Run {
		o := opts(filepath.Join(root, strings.ReplaceAll(sh, "/", "-")))
		o.Shard = sh
		writeRows(t, o, synthetic(40), 3, whole(60), all, 2)
		r, err := ReadDir(o.Dir)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b := mk("0/3"), mk("1/3")
	if _, err := Merge(a, b); err == nil || !strings.Contains(err.Error(), "shards 0/3,1/3 of 3 given, 2/3 missing") {
		t.Errorf("2 of 3 shards: %v", err)
	}
	if m, err := Merge(b); err != nil || m.Summary.Shard != "1/3" {
		t.Errorf("one shard alone: %v, shard %q", err, m.Summary.Shard)
	}
	if m, err := Merge(a, b, mk("2/3")); err != nil || m.Summary.Shard != "" {
		t.Errorf("every shard: %v", err)
	}
}
