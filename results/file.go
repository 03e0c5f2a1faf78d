package results

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
//
// Nothing planted at either name is written through: a symlink, or a hard
// link, at dir/name.partial (an earlier run's .partial, or a trap) is
// unlinked and a new file created in its place (O_EXCL, so a link planted
// between the two is an error, not followed), and Commit's rename replaces a
// symlink at dir/name rather than writing to its target. A directory at
// either name is an error.
func CreateWrapped(dir, name string, wrap func(io.Writer) io.Writer) (*File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("results: cannot create output directory: %w", err)
	}
	p := filepath.Join(dir, name)
	if st, err := os.Stat(p); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("results: %q exists and is not a regular file", p)
	}
	partial := p + PartialSuffix
	if st, err := os.Lstat(partial); err == nil {
		if st.IsDir() {
			return nil, fmt.Errorf("results: %q exists and is a directory", partial)
		}
		if err := os.Remove(partial); err != nil {
			return nil, fmt.Errorf("results: cannot replace %q: %w", partial, pathErr(err))
		}
	}
	f, err := os.OpenFile(partial, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("results: cannot write %q: %w", partial, pathErr(err))
	}
	var w io.Writer = f
	if wrap != nil {
		w = wrap(f)
	}
	return &File{path: p, f: f, buf: bufio.NewWriterSize(w, 1<<16), flush: time.Now()}, nil
}

// linkErr is err without an *os.LinkError's repetition of the paths.
func linkErr(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// pathErr is err without an *fs.PathError's repetition of the path.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
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
		f.err = fmt.Errorf("results: writing %q: %w", f.PartialPath(), err)
	}
}

// Commit flushes, syncs (so that after a crash the final name never holds
// a file whose data did not reach the disk), closes and renames the file over
// its final name.
func (f *File) Commit() error {
	if err := f.Flush(); err != nil {
		f.f.Close()
		return err
	}
	if err := f.f.Sync(); err != nil {
		f.f.Close()
		return fmt.Errorf("results: syncing %q: %w", f.PartialPath(), pathErr(err))
	}
	if err := f.close(); err != nil {
		return err
	}
	if err := os.Rename(f.PartialPath(), f.path); err != nil {
		return fmt.Errorf("results: renaming %q to %q: %w", f.PartialPath(), f.path, linkErr(err))
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
		return fmt.Errorf("results: closing %q: %w", f.PartialPath(), cerr)
	}
	return nil
}
