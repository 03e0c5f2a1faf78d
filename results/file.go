package results

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// PartialSuffix marks a result file whose run did not complete.
const PartialSuffix = ".partial"

// FlushEvery is how often a File hands buffered rows to the operating system
// while a run goes on, so that a .partial file shows what was measured and a
// write error (a full disk) is seen while the run is still going.
const FlushEvery = time.Second

// File is a result file being written: rows go to path+".partial" until
// Commit renames it over path. Until then an earlier complete file at path is
// left as it was, so a failed or interrupted run never destroys the results
// of the run before it.
//
// Writes are buffered; the first write error is kept (Err) and every later
// write returns it at once.
type File struct {
	path  string
	f     *os.File
	buf   *bufio.Writer
	err   error
	flush time.Time // last flush
}

var _ io.Writer = (*File)(nil)

// Create starts dir/name.partial, creating dir if needed. An existing
// dir/name is not touched.
func Create(dir, name string) (*File, error) { return CreateWrapped(dir, name, nil) }

// CreateWrapped is Create with every write to the file passing through
// wrap(file) when wrap is not nil: how a test emulates a full disk.
func CreateWrapped(dir, name string, wrap func(io.Writer) io.Writer) (*File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("results: cannot create output directory: %w", err)
	}
	p := filepath.Join(dir, name)
	if st, err := os.Stat(p); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("results: %s exists and is not a regular file", p)
	}
	f, err := os.Create(p + PartialSuffix)
	if err != nil {
		return nil, fmt.Errorf("results: cannot write in %s: %w", dir, err)
	}
	var w io.Writer = f
	if wrap != nil {
		w = wrap(f)
	}
	return &File{path: p, f: f, buf: bufio.NewWriterSize(w, 1<<16), flush: time.Now()}, nil
}

// Path is where the file will be once committed.
func (f *File) Path() string { return f.path }

// PartialPath is where the file is until it is committed.
func (f *File) PartialPath() string { return f.path + PartialSuffix }

// Write buffers p. After a write error it writes nothing and returns that
// error.
func (f *File) Write(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	n, err := f.buf.Write(p)
	if err != nil {
		f.fail(err)
	}
	return n, f.err
}

// WriteString buffers s like Write.
func (f *File) WriteString(s string) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	n, err := f.buf.WriteString(s)
	if err != nil {
		f.fail(err)
	}
	return n, f.err
}

// Tick flushes the buffer if FlushEvery has passed since the last flush, and
// returns the first write error so far.
func (f *File) Tick() error {
	if f.err == nil && time.Since(f.flush) >= FlushEvery {
		return f.Flush()
	}
	return f.err
}

// Flush hands buffered rows to the operating system and returns the first
// write error so far.
func (f *File) Flush() error {
	if f.err == nil {
		if err := f.buf.Flush(); err != nil {
			f.fail(err)
		}
		f.flush = time.Now()
	}
	return f.err
}

// Err is the first write error, nil if none.
func (f *File) Err() error { return f.err }

func (f *File) fail(err error) {
	if f.err == nil {
		f.err = fmt.Errorf("results: writing %s: %w", f.PartialPath(), err)
	}
}

// Commit flushes, closes and renames the file over its final name.
func (f *File) Commit() error {
	if err := f.close(); err != nil {
		return err
	}
	if err := os.Rename(f.PartialPath(), f.path); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	return nil
}

// Abandon flushes what it can and closes the file under its .partial name,
// keeping the rows written so far, and returns that name. An earlier complete
// file stays as it was.
func (f *File) Abandon() (string, error) {
	return f.PartialPath(), f.close()
}

func (f *File) close() error {
	ferr := f.Flush()
	cerr := f.f.Close()
	if ferr != nil {
		return ferr
	}
	if cerr != nil {
		return fmt.Errorf("results: closing %s: %w", f.PartialPath(), cerr)
	}
	return nil
}
