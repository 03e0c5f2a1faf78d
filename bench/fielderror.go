package bench

import (
	"fmt"
	"regexp"
)

// FieldError is bad input in fields of the package's inputs (a Run's
// Droplets and Interval, a Vary, a Param's Lo, Hi and tolerance). Its
// message names each field as the package does: "droplets", "interval",
// "vary", "lo", "hi", "tol". Rename names them as a caller spells them: a
// command line by its flags ("--droplets").
type FieldError struct {
	msg string // each field's name between fieldOpen and fieldClose
}

// The marks around a field's name in a FieldError's message: private-use
// runes, which no input spells.
const (
	fieldOpen  = "\ue000"
	fieldClose = "\ue001"
)

var markedField = regexp.MustCompile(fieldOpen + "([^" + fieldClose + "]*)" + fieldClose)

// field is a field's name as a FieldError's message holds it.
func field(name string) string { return fieldOpen + name + fieldClose }

// fieldErrorf is a FieldError whose message is format with args, the
// fields' names given by field.
func fieldErrorf(format string, args ...any) *FieldError {
	return &FieldError{msg: fmt.Sprintf(format, args...)}
}

func (e *FieldError) Error() string { return e.Rename(func(f string) string { return f }) }

// Rename is the message with each field named name(field).
func (e *FieldError) Rename(name func(field string) string) string {
	return markedField.ReplaceAllStringFunc(e.msg, func(m string) string {
		return name(markedField.FindStringSubmatch(m)[1])
	})
}
