package results

import (
	"fmt"
	"io"
)

// Limits on what ReadSummaries reads, so that a wrong file (/dev/zero, a
// binary) fails at once instead of filling memory. A sweep row is about 250
// bytes, so MaxRows rows fit well within MaxBytes.
const (
	MaxLineBytes = 64 << 10  // bytes in one line
	MaxBytes     = 256 << 20 // bytes in one file
	MaxRows      = 1 << 20   // rows in one file
)

// limitReader passes r through, failing once a line is longer than
// MaxLineBytes or the whole longer than MaxBytes.
type limitReader struct {
	r          io.Reader
	name       string
	line, size int
	lines      int
	err        error
}

func (l *limitReader) Read(b []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(b)
	for i, c := range b[:n] {
		if l.size++; l.size > MaxBytes {
			l.err = fmt.Errorf("%w: %q: larger than %d bytes", ErrFormat, l.name, MaxBytes)
			return i, l.err
		}
		if c == '\n' {
			l.line, l.lines = 0, l.lines+1
			continue
		}
		if l.line++; l.line > MaxLineBytes {
			l.err = fmt.Errorf("%w: %q:%d: line longer than %d bytes (is this a result file?)", ErrFormat, l.name, l.lines+1, MaxLineBytes)
			return i, l.err
		}
	}
	return n, err
}
