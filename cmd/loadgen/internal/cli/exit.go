package cli

import (
	"errors"
	"fmt"
	"strings"
)

// Exit statuses.
const (
	ExitOK          = 0
	ExitFailed      = 1   // a run failed, or compare found a regression
	ExitUsage       = 2   // bad input: flags, arguments, files
	ExitInterrupted = 130 // stopped by SIGINT or SIGTERM (128 + SIGINT, as shells report it)
)

// ErrInterrupted ends a run stopped by a signal.
var ErrInterrupted = errors.New("interrupted")

// UsageError is bad input: exit status 2. With Cmd set, the message ends with
// a pointer to that command's help.
type UsageError struct {
	Cmd string // the command whose flags or arguments were wrong; "" for other bad input
	Err error
}

func (u UsageError) Error() string {
	if u.Cmd == "" {
		return u.Err.Error()
	}
	help := "loadgen " + u.Cmd + " -h"
	if u.Cmd == "loadgen" {
		help = "loadgen -h"
	}
	return fmt.Sprintf("%v; run '%s'", u.Err, help)
}

func (u UsageError) Unwrap() error { return u.Err }

// Failures are several things found wrong after a run completed (failed
// assertions): exit status 1, one line on stderr for each.
type Failures []error

var _ error = Failures(nil)

func (f Failures) Error() string {
	lines := make([]string, len(f))
	for i, e := range f {
		lines[i] = OneLine(e.Error())
	}
	return strings.Join(lines, "\n")
}

// Usage marks err as bad input that is not about a command's flags (a
// malformed scenario file, an unknown policy).
func Usage(err error) error { return UsageError{Err: err} }

// Flagf is a bad flag or argument of command cmd; the message names cmd and
// points to its help.
// For cmd "loadgen" (the command line as a whole) the message has no prefix.
func Flagf(cmd, format string, a ...any) error {
	if cmd != "loadgen" {
		format = cmd + ": " + format
	}
	return UsageError{Cmd: cmd, Err: fmt.Errorf(format, a...)}
}

// Exit maps a command's error to its exit status and the one line to print
// on stderr ("" for none): one line, or one per failure for Failures.
func Exit(err error) (code int, line string) {
	err = Named(err) // the library's fields as the flags that set them
	var (
		u  UsageError
		fs Failures
	)
	switch {
	case err == nil:
		return ExitOK, ""
	case errors.As(err, &fs) && len(fs) > 0:
		return ExitFailed, "loadgen: " + strings.ReplaceAll(fs.Error(), "\n", "\nloadgen: ")
	case errors.Is(err, ErrInterrupted):
		return ExitInterrupted, "loadgen: " + OneLine(err.Error())
	case errors.As(err, &u):
		return ExitUsage, "loadgen: " + OneLine(err.Error())
	default:
		return ExitFailed, "loadgen: " + OneLine(err.Error())
	}
}

// OneLine keeps a message to its first line.
func OneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// UsageOrNil is Usage(err), or nil for a nil err.
func UsageOrNil(err error) error {
	if err == nil {
		return nil
	}
	return Usage(err)
}
