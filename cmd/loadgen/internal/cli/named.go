package cli

import (
	"errors"
	"strings"
)

// fieldNamer is an error that names fields of a library's inputs
// (bench.FieldError) and can name them otherwise.
type fieldNamer interface {
	error
	Rename(name func(field string) string) string
}

// Flag is the flag that sets a library's field: "--" and its name (the
// library's droplets, vary, lo, hi, tol and interval are loadgen's --droplets,
// --vary, --lo, --hi, --tol and --interval).
func Flag(field string) string { return "--" + field }

// Named is err with the library's names of fields in its message
// (bench.FieldError) spelled as loadgen's flags (Flag); err itself, and nil,
// otherwise. The result wraps err.
func Named(err error) error {
	var fe fieldNamer
	if err == nil || !errors.As(err, &fe) {
		return err
	}
	return named{err, strings.Replace(err.Error(), fe.Error(), fe.Rename(Flag), 1)}
}

type named struct {
	err error
	msg string
}

func (n named) Error() string { return n.msg }
func (n named) Unwrap() error { return n.err }
