package policy

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aftershock/aftershock/backlog"
)

// ErrSpec marks every error caused by a bad spec.
var ErrSpec = errors.New("policy: bad spec")

// ErrNoClock marks a spec that names a clock time (operator's at=04:14) on
// a scenario without a start clock; it also matches ErrSpec.
var ErrNoClock = fmt.Errorf("%w: a clock time needs a scenario with a start clock", ErrSpec)

// Part is one parsed part of a spec: a name and its parameters as written.
type Part struct {
	Name string
	Args map[string]string
}

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// Parse splits spec into parts and checks every name and parameter against the
// registry. It does not need a model: values that depend on the station (like
// "0.8x") are checked for form here and resolved by Build.
func Parse(spec string) ([]Part, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, fmt.Errorf("%w: empty policy (try none, or see loadgen policies)", ErrSpec)
	}
	for _, r := range spec {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return nil, fmt.Errorf("%w: %q: control character or invalid UTF-8 in the spec", ErrSpec, spec)
		}
	}
	var parts []Part
	roles := map[Role]string{}
	for _, raw := range strings.Split(spec, "+") {
		raw = strings.TrimSpace(raw)
		name, params, hasParams := strings.Cut(raw, ":")
		if !nameRE.MatchString(name) {
			return nil, fmt.Errorf("%w: %q: want name or name:key=value,... joined by +", ErrSpec, raw)
		}
		d, ok := lookup(name)
		if !ok {
			known := strings.Join(Names(), ", ")
			if ls := LiveNames(); len(ls) > 0 {
				known += "; live mode only: " + strings.Join(ls, ", ")
			}
			return nil, fmt.Errorf("%w: unknown policy %q (known: %s)", ErrSpec, name, known)
		}
		p := Part{Name: name, Args: map[string]string{}}
		if hasParams {
			if params == "" {
				return nil, fmt.Errorf("%w: %s: empty parameter list after ':'", ErrSpec, name)
			}
			for _, kv := range strings.Split(params, ",") {
				k, v, ok := strings.Cut(kv, "=")
				k, v = strings.TrimSpace(k), strings.TrimSpace(v)
				if !ok || k == "" || v == "" {
					return nil, fmt.Errorf("%w: %s: parameter %q: want key=value", ErrSpec, name, kv)
				}
				pd, known := d.param(k)
				if !known {
					return nil, fmt.Errorf("%w: %s: unknown parameter %q (%s takes %s)", ErrSpec, name, k, name, d.paramNames())
				}
				if _, dup := p.Args[k]; dup {
					return nil, fmt.Errorf("%w: %s: parameter %q given twice", ErrSpec, name, k)
				}
				if err := pd.Kind.check(v); err != nil {
					return nil, fmt.Errorf("%w: %s: %s=%q: %v", ErrSpec, name, k, v, err)
				}
				p.Args[k] = v
			}
		}
		for _, r := range d.Roles {
			if prev, taken := roles[r]; taken {
				return nil, fmt.Errorf("%w: %s and %s both set the %s role; combine parts of different roles only", ErrSpec, prev, name, r)
			}
			roles[r] = name
		}
		if name == "none" && len(strings.Split(spec, "+")) > 1 {
			return nil, fmt.Errorf("%w: none cannot be combined with other parts", ErrSpec)
		}
		parts = append(parts, p)
	}
	return parts, nil
}

// Kind is the type of a parameter value.
type Kind int

// Parameter kinds.
const (
	KindRate     Kind = iota // per second ("0.25") or × capacity ("0.8x"); > 0
	KindCount                // integer >= 1, or a multiple of a station's workers ("2w")
	KindWhen                 // clock "HH:MM" or an offset with units
	KindFraction             // number in [0, 1]
	KindBool                 // true or false
	KindDuration             // duration with units, > 0
	KindNumber               // number > 0
	KindSpan                 // duration with units, or a multiple of the mean service time ("4x"); > 0
	KindJitter               // none, full, equal or decorrelated
	KindAttempts             // whole number >= 0 (0: unlimited)
	KindWhole                // whole number from 0 to 2^20
	KindShare                // a percentage of a model's capacity ("10%", above 0 up to 100)
)

// kinds is the number of Kinds: a Kind is in [0, kinds).
const kinds = KindShare + 1

func (k Kind) check(v string) error {
	switch k {
	case KindRate:
		f, err := strconv.ParseFloat(strings.TrimSuffix(v, "x"), 64)
		if err != nil || !(f > 0) || f > 1e12 {
			return errors.New("want a rate above 0: per second (0.25) or times capacity (0.8x)")
		}
	case KindCount:
		if w, ok := strings.CutSuffix(v, "w"); ok {
			if n, err := strconv.Atoi(w); err != nil || n < 1 || n > 1<<20 {
				return errors.New("want a multiple of the workers from 1w to 1048576w")
			}
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1<<30 {
			return errors.New("want a whole number from 1 to 2^30, or a multiple of the workers (2w)")
		}
	case KindWhen:
		if _, ok := parseClock(v); ok {
			return nil
		}
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return errors.New("want a clock time (04:14) or an offset from the start (4h26m)")
		}
	case KindFraction:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f >= 0 && f <= 1) {
			return errors.New("want a number from 0 to 1")
		}
	case KindBool:
		if v != "true" && v != "false" {
			return errors.New("want true or false")
		}
	case KindDuration:
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return errors.New("want a duration above 0 with a unit (100ms, 5s)")
		}
	case KindNumber:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f > 0) || f > 1e12 {
			return errors.New("want a number above 0")
		}
	case KindSpan:
		if x, ok := strings.CutSuffix(v, "x"); ok {
			f, err := strconv.ParseFloat(x, 64)
			if err != nil || !(f > 0) || f > 1e9 {
				return errors.New("want a duration (5ms) or a multiple of the mean service time (4x) above 0")
			}
			return nil
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return errors.New("want a duration (5ms) or a multiple of the mean service time (4x) above 0")
		}
	case KindJitter:
		if _, err := backlog.ParseJitter(v); err != nil {
			return errors.New("want none, full, equal or decorrelated")
		}
	case KindAttempts:
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1<<15 {
			return errors.New("want a whole number from 0 (unlimited) to 32768")
		}
	case KindShare:
		p, ok := strings.CutSuffix(v, "%")
		f, err := strconv.ParseFloat(p, 64)
		if !ok || err != nil || !(f > 0 && f <= 100) {
			return errors.New("want a percentage above 0 up to 100 (10%, 0.5%) of the capacity in service")
		}
	case KindWhole:
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1<<20 {
			return errors.New("want a whole number from 0 to 1048576")
		}
	}
	return nil
}

// parseClock reads "HH:MM" into an offset from midnight.
func parseClock(v string) (time.Duration, bool) {
	h, m, ok := strings.Cut(v, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, false
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, true
}
