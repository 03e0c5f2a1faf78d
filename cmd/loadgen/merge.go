package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/aftershock/aftershock/bench/live/record"
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
in the order of I, whatever order they are given in, and all N must be there,
of one sweep: their rows, in order, must be that sweep's runs (its --vary
points, then its policies, then seeds 1..S, one scenario, one --droplets)
and each shard its slice of them; a shard of a sweep run with other
--droplets, --policies, --seeds or --vary is refused. Otherwise the files are
merged in the order given. Every file must be complete: same header, no run
twice (within or across files), no run that did not complete.

The merged file goes to --out (written as FILE.partial, renamed when whole)
or, without --out, to stdout.

Examples:
  loadgen merge runs/sweep.shard-*-of-7.csv --out runs/sweep.csv
  loadgen merge a/sweep.csv b/sweep.csv > both.csv
`

// mergeOpts are merge's arguments, checked: the files in merge order.
type mergeOpts struct {
	files  []string
	out    string // "": stdout
	shards bool   // the files are the shards of one sweep, in order
}

// parseMerge reads merge's flags and files (flags may come before, between
// or after the files) and puts shards in order.
func (a app) parseMerge(args []string) (o mergeOpts, done bool, err error) {
	fs := cli.NewFlagSet("merge")
	fs.StringVar(&o.out, "out", "", "write the merged file to `FILE` (default: stdout)")
	for rest := args; ; {
		if done, err := cli.Parse(fs, rest, -1, a.stdout, mergeUsage); done || err != nil {
			return o, done, err
		}
		rest = fs.Args()
		for len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
			o.files, rest = append(o.files, rest[0]), rest[1:]
		}
		if len(rest) == 0 {
			break
		}
	}
	if len(o.files) == 0 {
		return o, false, cli.Flagf("merge", "no files given")
	}
	if o.files, err = shardOrder(o.files); err != nil {
		return o, false, cli.Flagf("merge", "%v", err)
	}
	_, o.shards, _ = results.ShardOfFile(o.files[0])
	if o.out != "" {
		if in := results.Clobbers(o.out, o.files...); in != "" {
			return o, false, cli.Flagf("merge", "--out %q would replace input %q: write the merge elsewhere", o.out, in)
		}
	}
	return o, false, nil
}

func (a app) merge(args []string) error {
	o, done, err := a.parseMerge(args)
	if done || err != nil {
		return err
	}
	return a.runMerge(o)
}

// runMerge reads and checks every file, then writes the merge.
func (a app) runMerge(o mergeOpts) error {
	files, out := o.files, o.out
	// The rows go to a spool file as they are read and checked, so that
	// memory stays bounded whatever the inputs, and nothing is written to
	// --out or stdout unless every input is good.
	spool, err := os.CreateTemp("", "loadgen-merge-*.csv")
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	defer func() { spool.Close(); os.Remove(spool.Name()) }()
	m := merger{seen: map[results.Key]string{}, body: bufio.NewWriterSize(spool, 1<<16)}
	if o.shards { // the shards' rows must be one sweep's grid
		m.grid = &results.SweepGrid{}
	}
	var counts []int // rows per shard
	for _, name := range files {
		before := m.rows
		if err := m.add(name); err != nil {
			return err
		}
		counts = append(counts, m.rows-before)
	}
	if m.grid != nil {
		if err := m.grid.Close(counts); err != nil {
			return cli.Usage(fmt.Errorf("merge: %w", err))
		}
	}
	if err := m.body.Flush(); err != nil {
		return fmt.Errorf("merge: spooling: %w", err)
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("merge: spooling: %w", err)
	}
	merged := io.MultiReader(bytes.NewReader(append(m.header, '\n')), spool)
	if out == "" {
		_, err := io.Copy(a.stdout, merged)
		return err
	}
	f, err := results.CreateWrapped(filepath.Dir(out), filepath.Base(out), a.wrapFor(filepath.Base(out)))
	if err != nil {
		return cli.Usage(fmt.Errorf("merge: --out %q: %w", out, err))
	}
	if _, err := io.Copy(f, merged); err != nil {
		f.Abandon()
		return fmt.Errorf("merge: %w", err)
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	fmt.Fprintf(a.stderr, "wrote %s (%d rows from %d files)\n", f.Path(), m.rows, len(files))
	return nil
}

// merger reads merge's inputs one after another, checking each and copying
// its rows, byte for byte, to body.
type merger struct {
	header []byte // the first file's header line (byte-order mark and newline removed)
	first  string // the first file
	body   *bufio.Writer
	rows   int
	seen   map[results.Key]string // the file of each run
	grid   *results.SweepGrid     // shards: the grid their rows must form; nil otherwise
}

// add reads one input: its header must be the first file's, its rows
// complete runs seen nowhere before.
func (m *merger) add(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return cli.Usage(fmt.Errorf("merge: %q: %w", name, pathErr(err)))
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	h, err := readHeaderLine(br)
	if err != nil {
		return cli.Usage(fmt.Errorf("merge: %q: %w", name, err))
	}
	if record.IsSummaryHeader(strings.Split(strings.TrimRight(string(h), "\r"), ",")) {
		return cli.Flagf("merge", "%q is a live attack's summary: merge attack shards with loadgen report --format csv DIR... (unsent adds up, kept_up only if every shard kept up)", name)
	}
	// The header first (its columns, then the same as the first file's),
	// then the rows, copied as the reader consumes them: what ScanSummaries
	// reads past the header is the body.
	if err := results.ScanSummaries(name, bytes.NewReader(append(append([]byte(nil), h...), '\n')), nil); err != nil {
		return cli.Usage(fmt.Errorf("merge: %w", err))
	}
	switch {
	case m.header == nil:
		m.header, m.first = h, name
	case !bytes.Equal(h, m.header):
		return cli.Flagf("merge", "%q: header differs from %q's: %s", name, m.first, headerDiff(h, m.header))
	}
	body := &bodyCopy{w: m.body}
	r := io.MultiReader(bytes.NewReader(append(append([]byte(nil), h...), '\n')), io.TeeReader(br, body))
	err = results.ScanSummaries(name, r, func(line int, s results.Summary) error { return m.row(name, line, s) })
	var u cli.UsageError
	switch {
	case errors.As(err, &u):
		return err
	case err != nil:
		return cli.Usage(fmt.Errorf("merge: %w", err))
	}
	if body.err != nil {
		return fmt.Errorf("merge: spooling: %w", body.err)
	}
	if body.n > 0 && body.last != '\n' {
		m.body.WriteByte('\n')
	}
	return nil
}

// readHeaderLine reads the first line of a result file, at most
// results.MaxLineBytes long, without its newline or a byte-order mark.
func readHeaderLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > results.MaxLineBytes {
			return nil, fmt.Errorf("line 1 longer than %d bytes (is this a result file?)", results.MaxLineBytes)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, pathErr(err)
		}
		if len(line) == 0 {
			return nil, fmt.Errorf("no header row: empty file")
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		return bytes.TrimPrefix(line, []byte("\ufeff")), nil
	}
}

// bodyCopy writes what passes through it to w, remembering the last byte.
type bodyCopy struct {
	w    *bufio.Writer
	n    int64
	last byte
	err  error
}

func (b *bodyCopy) Write(p []byte) (int, error) {
	if len(p) == 0 || b.err != nil {
		return len(p), nil
	}
	_, b.err = b.w.Write(p)
	b.n += int64(len(p))
	b.last = p[len(p)-1]
	return len(p), nil
}

// row checks row line of file name: complete, not in another file, in its
// place in a sweep's grid, within the rows a merge may hold.
func (m *merger) row(name string, line int, s results.Summary) error {
	if !s.Complete {
		return cli.Flagf("merge", "%q: run %s did not complete (complete=false)", name, results.KeyOf(s))
	}
	k := results.KeyOf(s)
	if first, dup := m.seen[k]; dup {
		return cli.Flagf("merge", "run %s is in both %q and %q", k, first, name)
	}
	m.seen[k] = name
	if m.grid != nil {
		if err := m.grid.Add(name, line, s); err != nil {
			return cli.Usage(fmt.Errorf("merge: %w", err))
		}
	}
	if m.rows++; m.rows > results.MaxRows {
		return cli.Flagf("merge", "more than %d rows in all", results.MaxRows)
	}
	return nil
}

// shardOrder sorts files named as shards of one sweep into the order of
// their index, checking that all of them are there once; files none of which
// is named as a shard keep the order given; a mix is an error (a shard's
// .partial file, or a file from elsewhere, among the shards).
func shardOrder(files []string) ([]string, error) {
	var shard, plain string
	for _, f := range files {
		if _, named, _ := results.ShardOfFile(f); named {
			shard = f
		} else {
			plain = f
		}
	}
	switch {
	case shard == "":
		return files, nil
	case plain != "":
		return nil, fmt.Errorf("%q is named as a shard and %q is not: give the shards of one sweep, all of them, or rename", shard, plain)
	}
	idx := make([]int, len(files))
	n := -1
	for k, f := range files {
		s, _, err := results.ShardOfFile(f)
		if err != nil {
			return nil, err
		}
		i, c := s.I, s.N
		if n >= 0 && c != n {
			return nil, fmt.Errorf("%q is a shard of %d, %q of %d: not one sweep", f, c, files[0], n)
		}
		n, idx[k] = c, i
	}
	by := make([]string, n)
	for k, f := range files {
		if by[idx[k]] != "" {
			return nil, fmt.Errorf("shard %d of %d given twice: %q and %q", idx[k], n, by[idx[k]], f)
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
