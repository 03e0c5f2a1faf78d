package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// NewFlagSet returns an empty flag set for command name that returns errors
// instead of exiting and prints nothing itself: Parse reports errors as one
// line and prints help where it belongs.
func NewFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// Parse parses args into fs. On -h or --help it writes help (the command's
// text, then its flags) to stdout and returns done. A bad flag is a usage
// error naming the command and pointing to its help. With maxArgs >= 0, more
// positional arguments than that is a usage error too.
func Parse(fs *flag.FlagSet, args []string, maxArgs int, stdout io.Writer, help string) (done bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, WriteHelp(stdout, fs, help)
		}
		return false, Flagf(fs.Name(), "%v", err)
	}
	if maxArgs >= 0 && fs.NArg() > maxArgs {
		extra := fs.Arg(maxArgs)
		hint := ""
		if strings.HasPrefix(extra, "-") {
			hint = " (flags go before arguments)"
		}
		return false, Flagf(fs.Name(), "unexpected argument %q%s", extra, hint)
	}
	return false, nil
}

// WriteHelp writes a command's help text and, if it has any, its flags.
func WriteHelp(w io.Writer, fs *flag.FlagSet, help string) error {
	fmt.Fprint(w, help)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return nil
}

// IsHelp reports whether arg asks for help.
func IsHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// Int is an int flag that also accepts a whole number written as a float:
// 1e6, 2.5e3. A value that is not whole (1.5e0) or does not fit is refused.
type Int struct{ P *int }

var _ flag.Value = Int{}

func (v Int) String() string {
	if v.P == nil {
		return "0"
	}
	return strconv.Itoa(*v.P)
}

func (v Int) Set(s string) error {
	n, err := parseWhole(s, math.MinInt64, math.MaxInt64)
	if err != nil {
		return err
	}
	*v.P = int(n)
	return nil
}

// Uint64 is a uint64 flag that also accepts a whole number written as a
// float, like Int.
type Uint64 struct{ P *uint64 }

var _ flag.Value = Uint64{}

func (v Uint64) String() string {
	if v.P == nil {
		return "0"
	}
	return strconv.FormatUint(*v.P, 10)
}

func (v Uint64) Set(s string) error {
	if n, err := strconv.ParseUint(s, 10, 64); err == nil {
		*v.P = n
		return nil
	}
	if strings.HasPrefix(strings.TrimSpace(s), "-") {
		return fmt.Errorf("%q is negative", s)
	}
	n, err := parseWhole(s, 0, math.MaxInt64)
	if err != nil {
		return err
	}
	*v.P = uint64(n)
	return nil
}

// parseWhole parses an integer, or a float that is exactly a whole number
// in [lo, hi].
func parseWhole(s string, lo, hi int64) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < lo || n > hi {
			return 0, fmt.Errorf("%s out of range", s)
		}
		return n, nil
	} else if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%s out of range", s)
	}
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange), err == nil && (math.IsInf(f, 0)):
		return 0, fmt.Errorf("%s out of range", s)
	case err != nil || math.IsNaN(f) || strings.ContainsAny(s, "xXpP_"):
		return 0, fmt.Errorf("%q is not a whole number", s)
	case f != math.Trunc(f):
		return 0, fmt.Errorf("%s is not a whole number", s)
	case f < float64(lo) || f >= float64(hi): // float64(MaxInt64) rounds up to 2^63
		return 0, fmt.Errorf("%s out of range", s)
	}
	return int64(f), nil
}

// Limit is a flag for a non-negative limit: a number (1e10), or inf for
// none. With Bytes set it also takes binary units: 512MiB, 8GiB, 1TiB.
type Limit struct {
	P     *float64
	Bytes bool
}

var _ flag.Value = Limit{}

func (v Limit) String() string {
	if v.P == nil {
		return "0"
	}
	return strconv.FormatFloat(*v.P, 'g', -1, 64)
}

func (v Limit) Set(s string) error {
	num, mult := strings.TrimSpace(s), 1.0
	if v.Bytes {
		for i, u := range []string{"KiB", "MiB", "GiB", "TiB"} {
			if strings.HasSuffix(num, u) {
				num, mult = strings.TrimSpace(strings.TrimSuffix(num, u)), math.Pow(1024, float64(i+1))
				break
			}
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(f) || f <= 0 {
		if v.Bytes {
			return fmt.Errorf("%q: want a size above 0 (8GiB, 512MiB, 1e9) or inf", s)
		}
		return fmt.Errorf("%q: want a number above 0 (1e10) or inf", s)
	}
	*v.P = f * mult
	return nil
}
