package bench

import (
	"sort"
	"testing"
)

// TestShardCellsPartition: for every total and shard count, the shards'
// slices are contiguous, in order, cover every cell once, and differ in size
// by at most one.
func TestShardCellsPartition(t *testing.T) {
	for total := 0; total <= 40; total++ {
		for n := 1; n <= 12; n++ {
			next, small, big := 0, total, 0
			for i := 0; i < n; i++ {
				lo, hi, err := ShardCells(total, i, n)
				if err != nil {
					t.Fatal(err)
				}
				if lo != next || hi < lo {
					t.Fatalf("total %d, shard %d/%d: [%d,%d), want it to start at %d", total, i, n, lo, hi, next)
				}
				next = hi
				small, big = min(small, hi-lo), max(big, hi-lo)
			}
			if next != total || big-small > 1 {
				t.Fatalf("total %d over %d shards: cover %d cells, sizes %d..%d", total, n, next, small, big)
			}
		}
	}
}

func TestShardCellsRefusesBadShards(t *testing.T) {
	for _, c := range [][3]int{{10, 0, 0}, {10, -1, 3}, {10, 3, 3}, {-1, 0, 1}, {10, 0, MaxShards + 1}} {
		if _, _, err := ShardCells(c[0], c[1], c[2]); err == nil {
			t.Errorf("ShardCells(%d, %d, %d): no error", c[0], c[1], c[2])
		}
	}
}

// TestShardFileNamesSortInShardOrder: zero-padded indexes sort as numbers.
func TestShardFileNamesSortInShardOrder(t *testing.T) {
	if got := ShardFile("sweep", 3, 7); got != "sweep.shard-3-of-7.csv" {
		t.Errorf("ShardFile(sweep, 3, 7) = %q", got)
	}
	var names []string
	for i := 0; i < 12; i++ {
		names = append(names, ShardFile("sweep", i, 12))
	}
	if names[3] != "sweep.shard-03-of-12.csv" || !sort.StringsAreSorted(names) {
		t.Errorf("names %v: want zero-padded, sorted in shard order", names)
	}
}
