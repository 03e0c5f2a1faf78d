package results

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// PartialSuffix marks a result file whose run did not complete.
const PartialSuffix = ".partial"

// File is a result file being written: rows go to path+".partial" until
// Commit renames it to path.
type File struct {
	path string
	f    *os.File
	*bufio.Writer
}

// Create starts dir/name. It creates dir if needed and removes a stale dir/name
// left by an earlier run, so that name exists afterwards only if this run
// commits it.
func Create(dir, name string) (*File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("results: cannot create output directory: %w", err)
	}
	p := filepath.Join(dir, name)
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("results: cannot replace %s: %w", p, err)
	}
	f, err := os.Create(p + PartialSuffix)
	if err != nil {
		return nil, fmt.Errorf("results: cannot write in %s: %w", dir, err)
	}
	return &File{path: p, f: f, Writer: bufio.NewWriterSize(f, 1<<16)}, nil
}

// Path is where the file will be once committed.
func (f *File) Path() string { return f.path }

// Commit flushes, closes and renames the file to its final name.
func (f *File) Commit() error {
	if err := f.close(); err != nil {
		return err
	}
	if err := os.Rename(f.path+PartialSuffix, f.path); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	return nil
}

// Abandon flushes and closes the file under its .partial name, keeping the
// rows written so far, and returns that name.
func (f *File) Abandon() (string, error) {
	return f.path + PartialSuffix, f.close()
}

func (f *File) close() error {
	ferr := f.Flush()
	cerr := f.f.Close()
	if ferr != nil {
		return fmt.Errorf("results: writing %s: %w", f.path, ferr)
	}
	if cerr != nil {
		return fmt.Errorf("results: closing %s: %w", f.path, cerr)
	}
	return nil
}
