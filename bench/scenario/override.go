package scenario

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// With returns a copy of s with one key set, validated again; s is not
// changed. key is the key's TOML path as a file writes it: "horizon",
// "dwfm.check_interval", "service.workers"; a [[trigger]] is numbered from 1
// as errors number it: "trigger.1.duration". value is a TOML value as the
// file would write it (10, 0.5, true, "90s"); where the key's type is text (a
// string, a duration, a distribution, a schedule) the quotes may be left out
// and are added: dwfm.check_interval=90s is "90s". A key that does not exist,
// a value the key's type does not take, or a scenario that no longer
// validates is an error of one line naming the key.
func (s *Scenario) With(key, value string) (*Scenario, error) {
	c := *s
	c.Triggers = slices.Clone(s.Triggers) // the one field an override could change in place
	field, err := c.field(key)
	if err != nil {
		return nil, err
	}
	lit := literal(field.Type(), value)
	holder := reflect.New(reflect.StructOf([]reflect.StructField{{Name: "V", Type: field.Type(), Tag: `toml:"v"`}}))
	md, err := toml.Decode("v = "+lit, holder.Interface())
	if err == nil && len(md.Undecoded()) > 0 {
		err = fmt.Errorf("not one value")
	}
	if err != nil {
		msg := lastKey.ReplaceAllString(strings.TrimPrefix(err.Error(), "toml: "), "")
		return nil, oneLine("scenario: %s: %s = %s: %s", s.Source, key, lit, msg)
	}
	field.Set(holder.Elem().Field(0))
	if err := c.Validate(); err != nil {
		return nil, oneLine("%v (with %s = %s)", err, key, lit)
	}
	return &c, nil
}

// field finds the settable field a key path names in s.
func (s *Scenario) field(key string) (reflect.Value, error) {
	v := reflect.ValueOf(s).Elem()
	parts := strings.Split(key, ".")
	where := "a scenario"
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		if v.Kind() == reflect.Slice { // [[trigger]]: the next part is its number
			n, err := strconv.Atoi(p)
			if err != nil || n < 1 || n > v.Len() {
				rest := parts[i:]
				if err == nil {
					rest = parts[i+1:]
				}
				return reflect.Value{}, oneLine("scenario: %s: key %q: [[%s]] is numbered 1..%d (e.g. %s)", s.Source, key, strings.Join(parts[:i], "."), v.Len(),
					strings.Join(append(append(slices.Clone(parts[:i]), "1"), rest...), "."))
			}
			v, where = v.Index(n-1), where+" "+p
			continue
		}
		f, ok := fieldByTag(v, p)
		if !ok {
			return reflect.Value{}, oneLine("scenario: %s: unknown key %q (%s has: %s)", s.Source, key, where, strings.Join(tags(v.Type()), ", "))
		}
		v = f
		where = "[" + strings.Join(parts[:i+1], ".") + "]"
		if leaf(v.Type()) {
			if i != len(parts)-1 {
				return reflect.Value{}, oneLine("scenario: %s: unknown key %q (%s is a value, not a section)", s.Source, key, strings.Join(parts[:i+1], "."))
			}
			return v, nil
		}
	}
	return reflect.Value{}, oneLine("scenario: %s: key %q is a section, not a value (%s has: %s)", s.Source, key, where, strings.Join(keysOf(v), ", "))
}

// keysOf lists what can follow a section's path.
func keysOf(v reflect.Value) []string {
	if v.Kind() == reflect.Slice {
		return []string{fmt.Sprintf("1..%d", v.Len())}
	}
	return tags(v.Type())
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// leaf reports whether a field of type t is a value rather than a section.
func leaf(t reflect.Type) bool {
	return (t.Kind() != reflect.Struct && t.Kind() != reflect.Slice) || t == reflect.TypeFor[time.Time]() ||
		reflect.PointerTo(t).Implements(textUnmarshaler)
}

// fieldByTag is the field of struct v whose toml tag is name.
func fieldByTag(v reflect.Value, name string) (reflect.Value, bool) {
	for i := 0; i < v.NumField(); i++ {
		if tag(v.Type().Field(i)) == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func tag(f reflect.StructField) string {
	t, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if t == "-" {
		return ""
	}
	return t
}

func tags(t reflect.Type) []string {
	var ts []string
	for i := 0; i < t.NumField(); i++ {
		if n := tag(t.Field(i)); n != "" {
			ts = append(ts, n)
		}
	}
	return ts
}

// literal is value as a TOML literal for a field of type t: text types get
// quotes if value has none (and needs no escaping), everything else is
// passed as written.
func literal(t reflect.Type, value string) string {
	text := t.Kind() == reflect.String || (t != reflect.TypeFor[time.Time]() && reflect.PointerTo(t).Implements(textUnmarshaler))
	if !text || strings.HasPrefix(value, `"`) || strings.HasPrefix(value, `'`) || strings.ContainsAny(value, "\"\\\n\r") {
		return value
	}
	return `"` + value + `"`
}
