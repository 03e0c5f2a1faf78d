package results

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// MaxShards bounds a sweep's shard count (`loadgen sweep --shard I/N`).
const MaxShards = 1 << 20

// Shard is shard I (from 0) of N: one of N machines' share of a piece of
// work. A sweep's shard runs a contiguous slice of its cells (Cells) and
// writes them to its own file (File, read back by ShardOfFile); a live
// attacker's shard takes the droplets whose number is I modulo N (Has,
// Count). The zero Shard is the whole: shard 0 of 1.
type Shard struct{ I, N int }

// ShardError is a shard spec that does not parse: its count N is not a
// whole number at least 1 (Count), or its index I is not a whole number
// (!Whole) or not in 0 … N−1.
type ShardError struct {
	Spec  string // as given
	Count bool   // N is wrong (or there is no "/")
	Index string // I as given, when N is right
	Whole bool   // I is a whole number, I below it
	I, N  int
}

func (e *ShardError) Error() string {
	switch {
	case e.Count:
		return fmt.Sprintf("shard %q: want I/N (shard I of N, I from 0), N at least 1", e.Spec)
	case !e.Whole:
		return fmt.Sprintf("shard index %q is not a whole number", e.Index)
	}
	return fmt.Sprintf("shard index %d outside 0..%d (%d shards, numbered from 0)", e.I, e.N-1, e.N)
}

// ParseShard parses "I/N": whole numbers (spaces around each ignored), N at
// least 1 and 0 ≤ I < N. "" is the whole, shard 0 of 1. Its errors are
// *ShardError. It does not bound N (Cells does).
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{0, 1}, nil
	}
	iv, nv, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(strings.TrimSpace(nv))
	if !ok || err != nil || n < 1 {
		return Shard{}, &ShardError{Spec: s, Count: true}
	}
	i, err := strconv.Atoi(strings.TrimSpace(iv))
	if err != nil || i < 0 || i >= n {
		return Shard{}, &ShardError{Spec: s, Index: iv, Whole: err == nil, I: i, N: n}
	}
	return Shard{i, n}, nil
}

func (s Shard) norm() Shard {
	if s.N < 1 {
		return Shard{0, 1}
	}
	return s
}

// String is "I/N".
func (s Shard) String() string { s = s.norm(); return fmt.Sprintf("%d/%d", s.I, s.N) }

// Has reports whether droplet d is in the shard: d modulo N is I.
func (s Shard) Has(d int) bool { s = s.norm(); return d%s.N == s.I }

// Count is the number of a fleet of droplets in the shard (Has).
func (s Shard) Count(droplets int) int {
	s = s.norm()
	if droplets <= s.I {
		return 0
	}
	return (droplets-1-s.I)/s.N + 1
}

// Cells is the slice of a sweep's cells (its runs, numbered in the order
// one machine runs and writes them) that the shard runs: cells [lo, hi).
// The slices are contiguous and in order, their sizes differ by at most one
// (the first total mod N shards take one more), and together they are
// 0 … total−1, each cell once. So the shards' rows, concatenated in the order
// of I, are exactly the rows one machine writes. A shard may be empty (N >
// total). The slicing depends only on (total, I, N): every machine computes
// its own.
func (s Shard) Cells(total int) (lo, hi int, err error) {
	i, n := s.I, s.N
	switch {
	case n < 1 || n > MaxShards:
		return 0, 0, fmt.Errorf("results: shard count %d outside 1..%d", n, MaxShards)
	case i < 0 || i >= n:
		return 0, 0, fmt.Errorf("results: shard index %d outside 0..%d (%d shards, numbered from 0)", i, n-1, n)
	case total < 0:
		return 0, 0, fmt.Errorf("results: %d cells below 0", total)
	}
	q, r := total/n, total%n
	lo = i*q + min(i, r)
	hi = lo + q
	if i < r {
		hi++
	}
	return lo, hi, nil
}

// File is the name of the shard's result file for a sweep that writes
// base+".csv" on one machine: "sweep.shard-3-of-7.csv". The index is padded
// to the width of N−1 ("sweep.shard-03-of-12.csv"), so the names sort in
// shard order and `cat` over a glob concatenates the shards in order.
func (s Shard) File(base string) string {
	w := len(strconv.Itoa(s.N - 1))
	return fmt.Sprintf("%s.shard-%0*d-of-%d.csv", base, w, s.I, s.N)
}

// shardFile matches the name of a shard's result file (File).
var shardFile = regexp.MustCompile(`\.shard-(\d+)-of-(\d+)\.csv$`)

// ShardOfFile is the shard whose result file the path names: named says
// whether its last element is named as one (File's pattern); err, when it
// is, whether the numbers make a shard (I < N ≤ MaxShards).
func ShardOfFile(path string) (s Shard, named bool, err error) {
	m := shardFile.FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return Shard{}, false, nil
	}
	i, err1 := strconv.Atoi(m[1])
	n, err2 := strconv.Atoi(m[2])
	if err1 != nil || err2 != nil || i >= n || n > MaxShards {
		return Shard{}, true, fmt.Errorf("%q: not a shard name (want sweep.shard-I-of-N.csv, I < N)", path)
	}
	return Shard{i, n}, true, nil
}
