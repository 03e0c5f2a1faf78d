package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
)

const mergeUsage = `Usage: loadgen merge FILE... [--out FILE]

Merge result files (the shards of a sweep run with --shard, or any sweep.csv
or summary.csv files with the same columns; a live attack's shards merge with
loadgen report) into one: the header once, then
every file's rows as they are, byte for byte. The shards of one sweep merge
into exactly the sweep.csv one machine writes, byte for byte under
--wall=false (otherwise wall_s, the one column that measures the machine,
differs).

When every FILE is named as a shard (sweep.shard-I-of-N.csv) they are merged
in the order of I, whatever order they are given in, and all N must be there;
otherwise in the order given. Every file must be complete: same header, no run
twice (within or across files), no run that did not complete.

The merged file goes to --out (written as FILE.partial, renamed when whole)
or, without --out, to stdout.

Examples:
  loadgen merge runs/sweep.shard-*-of-7.csv --out runs/sweep.csv
  loadgen merge a/sweep.csv b/sweep.csv > both.csv
`

// shardName matches the name of a shard's result file (bench.ShardFile).
var shardName = regexp.MustCompile(`\.shard-(\d+)-of-(\d+)\.csv$`)

func (a app) merge(args []string) error {
	var out string
	fs := cli.NewFlagSet("merge")
	fs.StringVar(&out, "out", "", "write the merged file to `FILE` (default: stdout)")
	// Flags may come before, between or after the files.
	var files []string
	for rest := args; ; {
		if done, err := cli.Parse(fs, rest, -1, a.stdout, mergeUsage); done || err != nil {
			return err
		}
		rest = fs.Args()
		for len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
			files, rest = append(files, rest[0]), rest[1:]
		}
		if len(rest) == 0 {
			break
		}
	}
	if len(files) == 0 {
		return cli.Flagf("merge", "no files given")
	}
	files, err := shardOrder(files)
	if err != nil {
		return cli.Flagf("merge", "%v", err)
	}
	var (
		header []byte
		body   bytes.Buffer
		rows   int
		seen   = map[results.Key]string{} // the file of each run
	)
	for _, name := range files {
		if isAttackSummary(name) {
			return cli.Flagf("merge", "%s is a live attack's summary: merge attack shards with loadgen report --format csv DIR... (unsent adds up, kept_up only if every shard kept up)", name)
		}
		b, err := cli.ReadFile("merge", name, results.MaxBytes)
		if err != nil {
			return cli.Usage(err)
		}
		ss, err := results.ReadSummaries(name, bytes.NewReader(b))
		if err != nil {
			return cli.Usage(fmt.Errorf("merge: %w", err))
		}
		b = bytes.TrimPrefix(b, []byte("\ufeff"))
		h, rest, _ := bytes.Cut(b, []byte("\n"))
		switch {
		case header == nil:
			header = append([]byte(nil), h...)
		case !bytes.Equal(h, header):
			return cli.Flagf("merge", "%s: header differs from %s's: %s", name, files[0], headerDiff(h, header))
		}
		if j := results.FirstIncomplete(ss); j >= 0 {
			return cli.Flagf("merge", "%s: run %s did not complete (complete=false)", name, results.KeyOf(ss[j]))
		}
		for _, s := range ss {
			k := results.KeyOf(s)
			if first, dup := seen[k]; dup {
				return cli.Flagf("merge", "run %s is in both %s and %s", k, first, name)
			}
			seen[k] = name
		}
		if rows += len(ss); rows > results.MaxRows {
			return cli.Flagf("merge", "more than %d rows in all", results.MaxRows)
		}
		body.Write(rest)
		if len(rest) > 0 && rest[len(rest)-1] != '\n' {
			body.WriteByte('\n')
		}
	}
	merged := append(append(header, '\n'), body.Bytes()...)
	if out == "" {
		_, err := a.stdout.Write(merged)
		return err
	}
	f, err := results.CreateWrapped(filepath.Dir(out), filepath.Base(out), a.wrapFor(filepath.Base(out)))
	if err != nil {
		return cli.Usage(fmt.Errorf("--out %s: %w", out, err))
	}
	f.Write(merged)
	if err := f.Commit(); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	fmt.Fprintf(a.stderr, "wrote %s (%d rows from %d files)\n", f.Path(), rows, len(files))
	return nil
}

// shardOrder sorts files named as shards of one sweep into the order of
// their index, checking that all of them are there once; files none of which
// is named as a shard keep the order given; a mix is an error (a shard's
// .partial file, or a file from elsewhere, among the shards).
func shardOrder(files []string) ([]string, error) {
	var shard, plain string
	for _, f := range files {
		if shardName.MatchString(filepath.Base(f)) {
			shard = f
		} else {
			plain = f
		}
	}
	switch {
	case shard == "":
		return files, nil
	case plain != "":
		return nil, fmt.Errorf("%s is named as a shard and %s is not: give the shards of one sweep, all of them, or rename", shard, plain)
	}
	idx := make([]int, len(files))
	n := -1
	for k, f := range files {
		m := shardName.FindStringSubmatch(filepath.Base(f))
		i, err1 := strconv.Atoi(m[1])
		c, err2 := strconv.Atoi(m[2])
		if err1 != nil || err2 != nil || i >= c {
			return nil, fmt.Errorf("%s: not a shard name (want sweep.shard-I-of-N.csv, I < N)", f)
		}
		if n >= 0 && c != n {
			return nil, fmt.Errorf("%s is a shard of %d, %s of %d: not one sweep", f, c, files[0], n)
		}
		n, idx[k] = c, i
	}
	by := make([]string, n)
	for k, f := range files {
		if by[idx[k]] != "" {
			return nil, fmt.Errorf("shard %d of %d given twice: %s and %s", idx[k], n, by[idx[k]], f)
		}
		by[idx[k]] = f
	}
	var missing []string
	for i, f := range by {
		if f == "" {
			missing = append(missing, strconv.Itoa(i))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("shards %s of %d missing (numbered from 0); %d given", strings.Join(missing, ", "), n, len(files))
	}
	return by, nil
}

// headerDiff says where header row h first differs from want.
func headerDiff(h, want []byte) string {
	a := strings.Split(strings.TrimRight(string(h), "\r"), ",")
	b := strings.Split(strings.TrimRight(string(want), "\r"), ",")
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("column %d is %q, not %q", i+1, a[i], b[i])
		}
	}
	return fmt.Sprintf("%d columns, not %d", len(a), len(b))
}
