package bench

import (
	"fmt"
	"strconv"
)

// MaxShards bounds a sweep's shard count (`loadgen sweep --shard I/N`).
const MaxShards = 1 << 20

// ShardCells is the slice of a sweep's cells (its runs, numbered in the order
// one machine runs and writes them) that shard i of n runs: cells [lo, hi).
// The slices are contiguous and in order, their sizes differ by at most one
// (the first total mod n shards take one more), and together they are
// 0 … total−1, each cell once. So the shards' rows, concatenated in the order
// of i, are exactly the rows one machine writes. A shard may be empty (n >
// total). The slicing depends only on (total, i, n): every machine computes
// its own.
func ShardCells(total, i, n int) (lo, hi int, err error) {
	switch {
	case n < 1 || n > MaxShards:
		return 0, 0, fmt.Errorf("bench: shard count %d outside 1..%d", n, MaxShards)
	case i < 0 || i >= n:
		return 0, 0, fmt.Errorf("bench: shard index %d outside 0..%d (%d shards, numbered from 0)", i, n-1, n)
	case total < 0:
		return 0, 0, fmt.Errorf("bench: %d cells below 0", total)
	}
	q, r := total/n, total%n
	lo = i*q + min(i, r)
	hi = lo + q
	if i < r {
		hi++
	}
	return lo, hi, nil
}

// ShardFile is the name of shard i of n's result file for a sweep that
// writes base+".csv" on one machine: "sweep.shard-3-of-7.csv". The index is
// padded to the width of n−1 ("sweep.shard-03-of-12.csv"), so the names sort
// in shard order and `cat` over a glob concatenates the shards in order.
func ShardFile(base string, i, n int) string {
	w := len(strconv.Itoa(n - 1))
	return fmt.Sprintf("%s.shard-%0*d-of-%d.csv", base, w, i, n)
}
