package bench

import (
	"errors"
	"strings"
	"testing"
)

// TestFieldErrorsNameFields: the library's errors name its fields, not a
// command line's flags, and Rename respells them.
func TestFieldErrorsNameFields(t *testing.T) {
	_, err := ParseVary("x")
	var fe *FieldError
	if !errors.As(err, &fe) || strings.Contains(err.Error(), "--") || !strings.HasPrefix(err.Error(), "bench: vary ") {
		t.Fatalf("ParseVary(x): %v, want a FieldError naming vary", err)
	}
	got := fe.Rename(func(f string) string { return "--" + f })
	if !strings.HasPrefix(got, "bench: --vary \"x\": want KEY=") {
		t.Errorf("renamed: %q", got)
	}
	e := fieldErrorf("bench: %s %s not below %s %s", field("lo"), "{lo}", field("hi"), "2")
	if e.Error() != "bench: lo {lo} not below hi 2" || e.Rename(strings.ToUpper) != "bench: LO {lo} not below HI 2" {
		t.Errorf("%q, renamed %q", e.Error(), e.Rename(strings.ToUpper))
	}
}
