package results

import (
	"errors"
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
				lo, hi, err := Shard{i, n}.Cells(total)
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
		if _, _, err := (Shard{c[1], c[2]}).Cells(c[0]); err == nil {
			t.Errorf("Shard{%d, %d}.Cells(%d): no error", c[1], c[2], c[0])
		}
	}
}

// TestShardFileNamesSortInShardOrder: zero-padded indexes sort as numbers,
// and ShardOfFile reads every name back.
func TestShardFileNamesSortInShardOrder(t *testing.T) {
	if got := (Shard{3, 7}).File("sweep"); got != "sweep.shard-3-of-7.csv" {
		t.Errorf("Shard{3, 7}.File(sweep) = %q", got)
	}
	var names []string
	for i := 0; i < 12; i++ {
		names = append(names, Shard{i, 12}.File("sweep"))
		if s, named, err := ShardOfFile("dir/" + names[i]); !named || err != nil || s != (Shard{i, 12}) {
			t.Errorf("ShardOfFile(%q) = %v, %v, %v", names[i], s, named, err)
		}
	}
	if names[3] != "sweep.shard-03-of-12.csv" || !sort.StringsAreSorted(names) {
		t.Errorf("names %v: want zero-padded, sorted in shard order", names)
	}
}

func TestShardOfFile(t *testing.T) {
	for _, c := range []struct {
		name         string
		named, valid bool
	}{
		{"sweep.csv", false, false},
		{"sweep.shard-1-of-3.csv.partial", false, false},
		{"x/sweep.shard-2-of-3.csv", true, true},
		{"sweep.shard-3-of-3.csv", true, false},
		{"sweep.shard-0-of-99999999999999999999.csv", true, false},
		{"sweep.shard-0-of-2000000.csv", true, false},
	} {
		_, named, err := ShardOfFile(c.name)
		if named != c.named || (named && (err == nil) != c.valid) {
			t.Errorf("ShardOfFile(%q): named %v, error %v", c.name, named, err)
		}
	}
}

func TestParseShard(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Shard
		err  string
	}{
		{"", Shard{0, 1}, ""},
		{"0/2", Shard{0, 2}, ""},
		{" 1 / 2 ", Shard{1, 2}, ""},
		{"2/2", Shard{}, `shard index 2 outside 0..1 (2 shards, numbered from 0)`},
		{"x/2", Shard{}, `shard index "x" is not a whole number`},
		{"1/0", Shard{}, `shard "1/0": want I/N (shard I of N, I from 0), N at least 1`},
		{"3", Shard{}, `shard "3": want I/N (shard I of N, I from 0), N at least 1`},
	} {
		got, err := ParseShard(c.in)
		var se *ShardError
		switch {
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("ParseShard(%q) = %v, %v; want %v", c.in, got, err, c.want)
		case c.err != "" && (err == nil || err.Error() != c.err || !errors.As(err, &se)):
			t.Errorf("ParseShard(%q): error %v, want %s", c.in, err, c.err)
		}
	}
}

// TestShardDroplets: the shards of a fleet take each droplet once, and
// Count counts what Has takes.
func TestShardDroplets(t *testing.T) {
	for _, droplets := range []int{0, 1, 7, 10} {
		for n := 1; n <= 4; n++ {
			total := 0
			for i := 0; i < n; i++ {
				s, k := Shard{i, n}, 0
				for d := 0; d < droplets; d++ {
					if s.Has(d) {
						k++
					}
				}
				if k != s.Count(droplets) {
					t.Errorf("%v of %d droplets: Has takes %d, Count says %d", s, droplets, k, s.Count(droplets))
				}
				total += k
			}
			if total != droplets {
				t.Errorf("%d shards of %d droplets take %d", n, droplets, total)
			}
		}
	}
	if (Shard{}).String() != "0/1" || (Shard{}).Count(5) != 5 {
		t.Errorf("the zero Shard is not the whole fleet")
	}
}
