package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// IsPath reports whether a --scenario reference names a file rather than a
// preset: it contains a path separator, or a file by that name exists.
// A bare name that is no file is a preset name.
func IsPath(ref string) bool {
	if strings.ContainsRune(ref, '/') || strings.ContainsRune(ref, os.PathSeparator) {
		return true
	}
	_, err := os.Stat(ref)
	return err == nil
}

// ReadFile reads a user's input file, refusing one larger than max bytes
// (/dev/zero, a log picked by mistake) before reading more than that.
// Errors start with pkg and name the file.
func ReadFile(pkg, name string, max int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %q: %w", pkg, name, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %q: %w", pkg, name, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: %q: larger than %d bytes", pkg, name, max)
	}
	return b, nil
}
