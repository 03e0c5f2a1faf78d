package scenario

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrSyntax is wrapped by every error Decode returns because of what the
// input says, so callers can tell a bad file (show it to the user) from a
// bad destination type or a failing reader (a bug or an I/O problem).
var ErrSyntax = errors.New("scenario: syntax error")

// maxLineLen bounds a single line. Real scenario files have short lines;
// the limit keeps a corrupt or hostile file from making the decoder buffer
// arbitrary amounts of memory while looking for a newline.
const maxLineLen = 4096

// scanBufLen is the bufio.Scanner limit. It is larger than maxLineLen so
// that ordinary over-long lines are measured and reported precisely by
// parseLine; only absurdly long ones hit bufio.ErrTooLong.
const scanBufLen = 64 << 10

// Key describes one key a struct accepts, for documentation and for
// `scenarios show`. It is derived from the same scn tags Decode uses, so
// the documentation cannot drift from the decoder.
type Key struct {
	Section  string // "" for top level, else the section name (e.g. "dwfm", "trigger")
	Name     string // the key as written in files
	Kind     string // "string", "int", "float", "bool", "duration", "time" or "unsupported"
	Required bool
	NonNeg   bool
	Positive bool
}

// Decode reads the scenario format from r into v, which must be a non-nil
// pointer to a struct. name is used only in error messages (a file path or
// something like "preset us-east-1").
//
// Decode overwrites only the fields the input mentions, so callers fill in
// defaults first and let the file override them. The exception is a
// repeatable section: the first [[name]] header in the input replaces the
// slice (it does not append to the defaults), because a file that lists
// triggers means "these triggers", not "these in addition to the preset's".
//
// Errors caused by the input are one line, read
// "scenario: NAME:LINE: problem", and wrap ErrSyntax. Errors caused by the
// type of v (an unsupported field type, a malformed tag) do not wrap
// ErrSyntax; they are programming errors and name the offending field.
func Decode(name string, r io.Reader, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("scenario: Decode needs a non-nil pointer to a struct, got %T", v)
	}
	top, err := buildPlan(rv.Elem().Type(), false)
	if err != nil {
		return err
	}
	d := &decoder{
		name:     echo(name),
		top:      top,
		topVal:   rv.Elem(),
		sections: map[string]int{},
	}
	d.enter(top, rv.Elem(), "", 1)

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, maxLineLen), scanBufLen)
	for sc.Scan() {
		d.line++
		if err := d.parseLine(sc.Bytes()); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return d.syntaxAt(d.line+1, "line too long (more than %d bytes)", maxLineLen)
		}
		// Not ErrSyntax: the file may be fine, the reader failed.
		return fmt.Errorf("scenario: %s:%d: read: %w", d.name, d.line+1, err)
	}
	return d.endSection()
}

// Keys lists the keys the struct v (or *v) accepts: one entry per tagged
// leaf field, in field order, with section fields expanded in place. It
// never panics: fields Decode would reject are listed with Kind
// "unsupported", and a non-struct v yields nil.
func Keys(v any) []Key {
	t := reflect.TypeOf(v)
	if t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	return appendKeys(nil, t, "")
}

func appendKeys(out []Key, t reflect.Type, section string) []Key {
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("scn")
		if !ok || tag == "-" {
			continue
		}
		ti, _ := parseTag(tag) // best effort: Keys documents, Decode validates
		k := classify(sf.Type)
		switch {
		case k == kindSection && section == "":
			out = appendKeys(out, sf.Type, ti.name)
			continue
		case k == kindSections && section == "":
			out = appendKeys(out, sf.Type.Elem(), ti.name)
			continue
		case k == kindSection || k == kindSections:
			k = kindBad // sections nest one level only
		}
		out = append(out, Key{
			Section:  section,
			Name:     ti.name,
			Kind:     k.String(),
			Required: ti.required,
			NonNeg:   ti.nonneg,
			Positive: ti.positive,
		})
	}
	return out
}

// kind is what the decoder knows how to do with a field.
type kind int

const (
	kindBad kind = iota
	kindString
	kindInt
	kindFloat
	kindBool
	kindDuration
	kindTime
	kindSection  // struct field: [name]
	kindSections // []struct field: [[name]]
)

// String returns the word used for the kind in Key.Kind.
func (k kind) String() string {
	switch k {
	case kindString:
		return "string"
	case kindInt:
		return "int"
	case kindFloat:
		return "float"
	case kindBool:
		return "bool"
	case kindDuration:
		return "duration"
	case kindTime:
		return "time"
	case kindSection:
		return "section"
	case kindSections:
		return "sections"
	}
	return "unsupported"
}

// numeric reports whether the nonneg and positive options make sense.
func (k kind) numeric() bool {
	return k == kindInt || k == kindFloat || k == kindDuration
}

// classify maps a Go type to a kind. Duration and Time are checked before
// the reflect kind because they are an int64 and a struct underneath.
// Named types with a supported underlying kind (type Mode string) are
// accepted so packages can use enum-like types in their configs.
func classify(t reflect.Type) kind {
	switch t {
	case reflect.TypeFor[time.Duration]():
		return kindDuration
	case reflect.TypeFor[time.Time]():
		return kindTime
	}
	switch t.Kind() {
	case reflect.String:
		return kindString
	case reflect.Int, reflect.Int32, reflect.Int64:
		return kindInt
	case reflect.Float64:
		return kindFloat
	case reflect.Bool:
		return kindBool
	case reflect.Struct:
		return kindSection
	case reflect.Slice:
		if classify(t.Elem()) == kindSection {
			return kindSections
		}
	}
	return kindBad
}

// tagInfo is a parsed scn tag.
type tagInfo struct {
	name                       string
	required, nonneg, positive bool
}

// parseTag splits `scn:"key,opt,..."`. On an unknown option it still
// returns what it understood, which is what Keys wants.
func parseTag(tag string) (tagInfo, error) {
	parts := strings.Split(tag, ",")
	ti := tagInfo{name: parts[0]}
	for _, opt := range parts[1:] {
		switch opt {
		case "required":
			ti.required = true
		case "nonneg":
			ti.nonneg = true
		case "positive":
			ti.positive = true
		default:
			return ti, fmt.Errorf("unknown option %q", opt)
		}
	}
	return ti, nil
}

// field is one tagged struct field as the decoder sees it.
type field struct {
	index                      int
	key                        string
	kind                       kind
	required, nonneg, positive bool
	sec                        *plan // element plan for kindSection and kindSections
}

// plan is the validated field list of one struct type. It is built in full
// before reading any input so that a broken destination type is reported
// the same way whatever the input is, instead of only when a file happens
// to mention the broken field.
type plan struct {
	fields []field
}

func (p *plan) lookup(key string) *field {
	for i := range p.fields {
		if p.fields[i].key == key {
			return &p.fields[i]
		}
	}
	return nil
}

// buildPlan validates the scn tags of t. nested is true for section
// structs, which may not contain sections themselves.
func buildPlan(t reflect.Type, nested bool) (*plan, error) {
	p := &plan{}
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("scn")
		if !ok || tag == "-" {
			continue
		}
		bad := func(format string, args ...any) error {
			return fmt.Errorf("scenario: field %s.%s (scn:%q): %s", t, sf.Name, tag, fmt.Sprintf(format, args...))
		}
		if !sf.IsExported() {
			return nil, bad("unexported field cannot be set")
		}
		ti, err := parseTag(tag)
		if err != nil {
			return nil, bad("%v", err)
		}
		if !validName(ti.name) {
			return nil, bad("key must match [a-z0-9_]+")
		}
		if prev := p.lookup(ti.name); prev != nil {
			return nil, bad("key %q also used by field %s", ti.name, t.Field(prev.index).Name)
		}
		f := field{
			index:    i,
			key:      ti.name,
			kind:     classify(sf.Type),
			required: ti.required,
			nonneg:   ti.nonneg,
			positive: ti.positive,
		}
		switch f.kind {
		case kindBad:
			return nil, bad("unsupported type %s", sf.Type)
		case kindSection, kindSections:
			if nested {
				return nil, bad("sections nest one level only")
			}
			if ti.required || ti.nonneg || ti.positive {
				return nil, bad("options are not allowed on a section")
			}
			et := sf.Type
			if f.kind == kindSections {
				et = et.Elem()
			}
			if f.sec, err = buildPlan(et, true); err != nil {
				return nil, err
			}
		default:
			if (ti.nonneg || ti.positive) && !f.kind.numeric() {
				return nil, bad("nonneg and positive need an int, float or duration field, not %s", sf.Type)
			}
		}
		p.fields = append(p.fields, f)
	}
	return p, nil
}

// decoder holds the state of one Decode call.
type decoder struct {
	name   string // already made safe for a one-line message
	line   int    // number of the line being parsed
	top    *plan
	topVal reflect.Value

	// The section instance keys currently go to.
	cur    *plan
	curVal reflect.Value
	label  string         // "" at top level, else "[name]" or "[[name]]"
	start  int            // line of the header; 1 at top level
	seen   map[string]int // key -> line it was set on, in this instance

	sections map[string]int // section name -> line of its first header
}

// syntaxAt builds an input error. The %.0w verb wraps ErrSyntax for
// errors.Is while printing nothing (precision 0 truncates its text), which
// keeps the message in the documented "scenario: NAME:LINE: problem" form.
func (d *decoder) syntaxAt(line int, format string, args ...any) error {
	return fmt.Errorf("scenario: %s:%d: %s%.0w", d.name, line, fmt.Sprintf(format, args...), ErrSyntax)
}

func (d *decoder) syntax(format string, args ...any) error {
	return d.syntaxAt(d.line, format, args...)
}

func (d *decoder) enter(p *plan, v reflect.Value, label string, start int) {
	d.cur, d.curVal, d.label, d.start = p, v, label, start
	d.seen = map[string]int{}
}

// endSection checks the required keys of the instance being closed. It
// runs at each header and at EOF, because only then is it known that a
// key will not appear.
func (d *decoder) endSection() error {
	for _, f := range d.cur.fields {
		if _, ok := d.seen[f.key]; f.required && !ok {
			if d.label == "" {
				return d.syntaxAt(d.start, "missing required key %q", f.key)
			}
			return d.syntaxAt(d.start, "%s: missing required key %q", d.label, f.key)
		}
	}
	return nil
}

func (d *decoder) parseLine(raw []byte) error {
	if len(raw) > maxLineLen {
		return d.syntax("line too long (%d bytes, max %d)", len(raw), maxLineLen)
	}
	if d.line == 1 {
		// Some editors start UTF-8 files with a byte order mark.
		raw = bytes.TrimPrefix(raw, []byte("\uFEFF"))
	}
	if !utf8.Valid(raw) {
		return d.syntax("invalid UTF-8")
	}
	// Control characters are never intended in a hand-edited file and
	// would make values and error messages misleading.
	for _, r := range string(raw) {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return d.syntax("control character %U not allowed", r)
		}
	}
	s := trim(string(raw))
	if s == "" || s[0] == '#' {
		return nil
	}
	s = stripComment(s)
	if s[0] == '[' {
		return d.header(s)
	}
	eq := strings.IndexByte(s, '=')
	if eq < 0 {
		return d.syntax("malformed line (want key = value, [section] or [[section]])")
	}
	key, value := trim(s[:eq]), trim(s[eq+1:])
	if !validName(key) {
		return d.syntax("invalid key %q (want lowercase letters, digits and _)", key)
	}
	return d.set(key, value)
}

func (d *decoder) header(s string) error {
	repeated := strings.HasPrefix(s, "[[")
	var inner, label string
	switch {
	case repeated && len(s) >= 4 && strings.HasSuffix(s, "]]"):
		inner = s[2 : len(s)-2]
		label = "[[" + inner + "]]"
	case !repeated && len(s) >= 2 && strings.HasSuffix(s, "]"):
		inner = s[1 : len(s)-1]
		label = "[" + inner + "]"
	default:
		return d.syntax("malformed line (want key = value, [section] or [[section]])")
	}
	if !validName(inner) {
		return d.syntax("invalid section name %q (want lowercase letters, digits and _; no nesting)", inner)
	}
	if err := d.endSection(); err != nil {
		return err
	}
	f := d.top.lookup(inner)
	switch {
	case f == nil:
		return d.syntax("unknown section %s", label)
	case f.kind == kindSection && repeated:
		return d.syntax("%s: section %s is not repeatable; write [%s]", label, inner, inner)
	case f.kind == kindSections && !repeated:
		return d.syntax("%s: section %s is repeatable; write [[%s]]", label, inner, inner)
	case f.kind != kindSection && f.kind != kindSections:
		return d.syntax("%s: %q is a top-level key, not a section", label, inner)
	}
	fv := d.topVal.Field(f.index)
	first, again := d.sections[inner]
	if f.kind == kindSection {
		if again {
			return d.syntax("duplicate section %s (first on line %d)", label, first)
		}
		d.sections[inner] = d.line
		d.enter(f.sec, fv, label, d.line)
		return nil
	}
	if !again {
		// A fresh slice, not fv[:0], so the caller's default slice is
		// never written through.
		d.sections[inner] = d.line
		fv.Set(reflect.MakeSlice(fv.Type(), 0, 1))
	}
	fv.Set(reflect.Append(fv, reflect.New(fv.Type().Elem()).Elem()))
	d.enter(f.sec, fv.Index(fv.Len()-1), label, d.line)
	return nil
}

func (d *decoder) set(key, value string) error {
	in := ""
	if d.label != "" {
		in = " in " + d.label
	}
	f := d.cur.lookup(key)
	if f == nil {
		hint := ""
		if d.label != "" && d.top.lookup(key) != nil {
			hint = " (top-level keys go before the first section)"
		}
		return d.syntax("unknown key %q%s%s", key, in, hint)
	}
	switch f.kind {
	case kindSection:
		return d.syntax("%q is a section; write [%s]", key, key)
	case kindSections:
		return d.syntax("%q is a repeatable section; write [[%s]]", key, key)
	}
	if first, ok := d.seen[key]; ok {
		return d.syntax("duplicate key %q%s (first on line %d)", key, in, first)
	}
	d.seen[key] = d.line
	if value == "" {
		return d.syntax("missing value for key %q", key)
	}
	if strings.ContainsRune(value, '#') {
		return d.syntax("%s = %s: '#' is not allowed in values (a comment needs a space before '#')", key, echo(value))
	}
	return d.assign(f, d.curVal.Field(f.index), key, value)
}

// assign parses value for f and stores it in fv.
func (d *decoder) assign(f *field, fv reflect.Value, key, value string) error {
	bad := func(format string, args ...any) error {
		return d.syntax("%s = %s: %s", key, echo(value), fmt.Sprintf(format, args...))
	}
	// Numeric kinds set sign (-1, 0 or +1) and store, so the options are
	// checked before the field is written.
	var sign int
	var store func()
	switch f.kind {
	case kindString:
		fv.SetString(value)
		return nil
	case kindBool:
		switch value {
		case "true":
			fv.SetBool(true)
		case "false":
			fv.SetBool(false)
		default:
			return bad("not a bool (want true or false)")
		}
		return nil
	case kindTime:
		t, err := time.Parse(time.RFC3339, value)
		if err != nil {
			return bad("not an RFC 3339 time (e.g. 2025-10-19T23:48:00-07:00)")
		}
		fv.Set(reflect.ValueOf(t))
		return nil
	case kindInt:
		n, err := parseInt(value, fv.Type().Bits())
		if errors.Is(err, strconv.ErrRange) {
			return bad("out of range for a %d-bit integer", fv.Type().Bits())
		}
		if err != nil {
			return bad("not an integer")
		}
		sign, store = cmp(n), func() { fv.SetInt(n) }
	case kindFloat:
		x, err := strconv.ParseFloat(value, 64)
		if errors.Is(err, strconv.ErrRange) {
			return bad("out of range")
		}
		if err != nil {
			return bad("not a number")
		}
		// NaN would slip past the sign checks and poison arithmetic.
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return bad("not a finite number")
		}
		sign, store = cmp(x), func() { fv.SetFloat(x) }
	case kindDuration:
		dur, err := time.ParseDuration(value)
		if err != nil {
			// A bare number is almost always someone assuming a unit;
			// refuse rather than guess. ParseDuration accepts plain "0".
			if isBareNumber(value) {
				return bad("missing unit (e.g. %ss, %sm)", value, value)
			}
			return bad("not a valid duration (e.g. 90s, 2h37m)")
		}
		sign, store = cmp(dur), func() { fv.SetInt(int64(dur)) }
	default:
		// buildPlan only admits the kinds above.
		return fmt.Errorf("scenario: internal error: key %q has kind %v", key, f.kind)
	}
	switch {
	case f.positive && sign <= 0:
		return bad("must be positive")
	case f.nonneg && sign < 0:
		return bad("must not be negative")
	}
	store()
	return nil
}

// parseInt parses a base-10 integer that may use _ between digits, as Go
// literals do, so large counts like 1_000_000 stay readable. strconv only
// accepts underscores together with a base prefix, hence the manual check.
func parseInt(s string, bits int) (int64, error) {
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" {
		return 0, strconv.ErrSyntax
	}
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '_' && i > 0 && i < len(digits)-1 && digits[i-1] != '_':
		default:
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, bits)
}

// isBareNumber reports whether s looks like a number without a unit.
func isBareNumber(s string) bool {
	s = strings.TrimLeft(s, "+-")
	digit := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c == '.':
		default:
			return false
		}
	}
	return digit
}

func cmp[T int64 | float64 | time.Duration](x T) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// stripComment removes a trailing comment, which starts at a '#' preceded
// by a space or tab. s is trimmed and does not start with '#'.
func stripComment(s string) string {
	for i := 1; i < len(s); i++ {
		if s[i] == '#' && (s[i-1] == ' ' || s[i-1] == '\t') {
			return trim(s[:i])
		}
	}
	return s
}

// trim removes ASCII blanks only, so that no exotic Unicode space is
// silently dropped from (or kept in) a value depending on the reader.
func trim(s string) string {
	return strings.Trim(s, " \t")
}

// validName reports whether s is a legal key or section name: [a-z0-9_]+.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// echo returns s for use in a one-line message: verbatim when every rune is
// printable, otherwise Go-quoted so nothing can break or spoof the line.
func echo(s string) string {
	for _, r := range s {
		if !strconv.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}
