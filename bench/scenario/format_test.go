package scenario

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// testConfig exercises every supported kind, a section and a repeatable
// section. It is independent of the real scenario types so the decoder's
// tests do not change when scenarios do.
type testConfig struct {
	Name        string        `scn:"name,required"`
	Description string        `scn:"description"`
	Start       time.Time     `scn:"start"`
	Horizon     time.Duration `scn:"horizon,positive"`
	Seed        int64         `scn:"seed"`
	Workers     int32         `scn:"workers,positive"`
	Ratio       float64       `scn:"ratio,nonneg"`
	Verbose     bool          `scn:"verbose"`
	Notes       string        // untagged: not settable from files
	DWFM        testDWFM      `scn:"dwfm"`
	Triggers    []testTrigger `scn:"trigger"`
}

type testDWFM struct {
	Droplets      int           `scn:"droplets,required,nonneg"`
	CheckInterval time.Duration `scn:"check_interval,nonneg"`
	Jitter        float64       `scn:"jitter"`
}

type testTrigger struct {
	Kind     string        `scn:"kind,required"`
	At       time.Duration `scn:"at,nonneg"`
	Duration time.Duration `scn:"duration"`
}

const validDoc = `# us-east-1, abridged
name = us-east-1
description = the us-east-1 cascade   # trailing comment
start = 2025-10-19T23:48:00-07:00
horizon=14h32m
seed = -42
workers = 8
ratio = 0.5
verbose = true

[dwfm]                 # a section
droplets = 1_000_000
check_interval = 5m

[[trigger]]            # repeatable
kind = dependency-outage
at = 0
duration = 2h37m

[[trigger]]
	kind = retry-storm
	at = 30m
`

func TestDecodeValid(t *testing.T) {
	c := testConfig{
		Notes: "kept",
		DWFM:  testDWFM{Jitter: 0.25},
		// A default list is replaced, not appended to.
		Triggers: []testTrigger{{Kind: "default"}},
	}
	defaults := c.Triggers
	if err := Decode("us-east-1.scn", strings.NewReader(validDoc), &c); err != nil {
		t.Fatal(err)
	}
	start, _ := time.Parse(time.RFC3339, "2025-10-19T23:48:00-07:00")
	if !c.Start.Equal(start) {
		t.Errorf("Start = %v, want %v", c.Start, start)
	}
	c.Start = time.Time{}
	want := testConfig{
		Name:        "us-east-1",
		Description: "the us-east-1 cascade",
		Horizon:     14*time.Hour + 32*time.Minute,
		Seed:        -42,
		Workers:     8,
		Ratio:       0.5,
		Verbose:     true,
		Notes:       "kept",
		DWFM:        testDWFM{Droplets: 1000000, CheckInterval: 5 * time.Minute, Jitter: 0.25},
		Triggers: []testTrigger{
			{Kind: "dependency-outage", At: 0, Duration: 2*time.Hour + 37*time.Minute},
			{Kind: "retry-storm", At: 30 * time.Minute},
		},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
	if defaults[0].Kind != "default" {
		t.Errorf("caller's default slice was overwritten: %+v", defaults)
	}
}

func TestDecodeKeepsDefaults(t *testing.T) {
	c := testConfig{
		Description: "default",
		Horizon:     time.Hour,
		DWFM:        testDWFM{Droplets: 7},
		Triggers:    []testTrigger{{Kind: "default"}},
	}
	doc := "\uFEFFname = x\r\n\r\n  # indented comment\r\nseed = 1\r\n"
	if err := Decode("x.scn", strings.NewReader(doc), &c); err != nil {
		t.Fatal(err)
	}
	want := testConfig{
		Name:        "x",
		Description: "default",
		Horizon:     time.Hour,
		Seed:        1,
		DWFM:        testDWFM{Droplets: 7},
		Triggers:    []testTrigger{{Kind: "default"}},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
}

func TestDecodeValues(t *testing.T) {
	tests := []struct {
		line string
		want func(c testConfig) bool
	}{
		{"seed = 1_000_000", func(c testConfig) bool { return c.Seed == 1000000 }},
		{"seed = +5", func(c testConfig) bool { return c.Seed == 5 }},
		{"seed = -9223372036854775808", func(c testConfig) bool { return c.Seed == -1<<63 }},
		{"ratio = 0", func(c testConfig) bool { return c.Ratio == 0 }},
		{"ratio = 1e-3", func(c testConfig) bool { return c.Ratio == 1e-3 }},
		{"verbose = false", func(c testConfig) bool { return !c.Verbose }},
		{"horizon = 1h0.5m", func(c testConfig) bool { return c.Horizon == time.Hour+30*time.Second }},
		{"horizon = 250ms", func(c testConfig) bool { return c.Horizon == 250*time.Millisecond }},
		{"horizon = 3µs", func(c testConfig) bool { return c.Horizon == 3*time.Microsecond }},
		{"description = a  b\tc # x", func(c testConfig) bool { return c.Description == "a  b\tc" }},
		{"description=a=b", func(c testConfig) bool { return c.Description == "a=b" }},
		{"start = 2025-10-20T06:48:00Z", func(c testConfig) bool { return c.Start.Equal(time.Date(2025, 10, 20, 6, 48, 0, 0, time.UTC)) }},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			c := testConfig{Verbose: true}
			if err := Decode("x.scn", strings.NewReader("name = x\n"+tt.line+"\n"), &c); err != nil {
				t.Fatal(err)
			}
			if !tt.want(c) {
				t.Errorf("unexpected result %+v", c)
			}
		})
	}
}

func TestDecodeDurationZero(t *testing.T) {
	c := testConfig{DWFM: testDWFM{CheckInterval: time.Minute}}
	if err := Decode("x.scn", strings.NewReader("name = x\n[dwfm]\ndroplets = 1\ncheck_interval = 0\n"), &c); err != nil {
		t.Fatal(err)
	}
	if c.DWFM.CheckInterval != 0 {
		t.Errorf("CheckInterval = %v, want 0", c.DWFM.CheckInterval)
	}
}

func TestDecodeErrors(t *testing.T) {
	long := strings.Repeat("x", maxLineLen)
	tests := []struct {
		name string
		doc  string
		line int
		want string // substring of the message after "scenario: NAME:LINE: "
	}{
		{"unknown key in section",
			"name = x\n\n\n\n\n\n\n\n\n\n[dwfm]\ndroplet = 5\n", 12, `unknown key "droplet" in [dwfm]`},
		{"unknown top-level key", "name = x\n\nfoo = 1\n", 3, `unknown key "foo"`},
		{"top-level key after section", "name = x\n[dwfm]\ndroplets = 1\nseed = 1\n", 4, `unknown key "seed" in [dwfm] (top-level keys go before the first section)`},
		{"unknown section", "name = x\n\n\n\n\n\n[foo]\n", 7, "unknown section [foo]"},
		{"unknown repeatable section", "name = x\n[[foo]]\n", 2, "unknown section [[foo]]"},
		{"missing unit", "name = x\n[dwfm]\ndroplets = 1\n\n\n\n\n\ncheck_interval = 5\n", 9, "check_interval = 5: missing unit (e.g. 5s, 5m)"},
		{"missing unit fraction", "name = x\nhorizon = 0.5\n", 2, "horizon = 0.5: missing unit"},
		{"bad duration", "name = x\nhorizon = 5 minutes\n", 2, "horizon = 5 minutes: not a valid duration"},
		{"duration overflow", "name = x\nhorizon = 9999999999h\n", 2, "horizon = 9999999999h: not a valid duration"},
		{"negative int", "name = x\n[dwfm]\n\ndroplets = -3\n", 4, "droplets = -3: must not be negative"},
		{"not an integer", "name = x\n[dwfm]\n\ndroplets = abc\n", 4, "droplets = abc: not an integer"},
		{"float for int", "name = x\nseed = 1.5\n", 2, "seed = 1.5: not an integer"},
		{"leading underscore", "name = x\nseed = _1\n", 2, "seed = _1: not an integer"},
		{"trailing underscore", "name = x\nseed = 1_\n", 2, "seed = 1_: not an integer"},
		{"double underscore", "name = x\nseed = 1__0\n", 2, "seed = 1__0: not an integer"},
		{"double sign", "name = x\nseed = --1\n", 2, "seed = --1: not an integer"},
		{"int32 overflow", "name = x\nworkers = 2_147_483_648\n", 2, "workers = 2_147_483_648: out of range for a 32-bit integer"},
		{"int64 overflow", "name = x\nseed = 9223372036854775808\n", 2, "out of range for a 64-bit integer"},
		{"positive int zero", "name = x\nworkers = 0\n", 2, "workers = 0: must be positive"},
		{"positive duration zero", "name = x\nhorizon = 0\n", 2, "horizon = 0: must be positive"},
		{"nonneg duration", "name = x\n[[trigger]]\nkind = k\nat = -1s\n", 4, "at = -1s: must not be negative"},
		{"nonneg float", "name = x\nratio = -0.1\n", 2, "ratio = -0.1: must not be negative"},
		{"nan", "name = x\nratio = NaN\n", 2, "ratio = NaN: not a finite number"},
		{"inf", "name = x\nratio = +Inf\n", 2, "ratio = +Inf: not a finite number"},
		{"not a float", "name = x\nratio = half\n", 2, "ratio = half: not a number"},
		{"bool", "name = x\nverbose = yes\n", 2, "verbose = yes: not a bool (want true or false)"},
		{"time", "name = x\nstart = 2025-10-19 23:48\n", 2, "start = 2025-10-19 23:48: not an RFC 3339 time"},
		{"duplicate key", "name = x\nname = y\n", 2, `duplicate key "name" (first on line 1)`},
		{"duplicate key in section", "name = x\n[dwfm]\ndroplets = 1\ndroplets = 2\n", 4, `duplicate key "droplets" in [dwfm] (first on line 3)`},
		{"malformed", "name = x\n\n\n\njust words\n", 5, "malformed line (want key = value, [section] or [[section]])"},
		{"malformed header", "name = x\n[dwfm\n", 2, "malformed line"},
		{"malformed repeatable header", "name = x\n[[trigger]\n", 2, "malformed line"},
		{"header comment without space", "name = x\n[dwfm]# c\n", 2, "malformed line"},
		{"invalid key", "name = x\nName = y\n", 2, `invalid key "Name"`},
		{"empty key", "name = x\n= y\n", 2, `invalid key ""`},
		{"dotted section", "name = x\n[dwfm.sub]\n", 2, `invalid section name "dwfm.sub"`},
		{"spaced section", "name = x\n[ dwfm ]\n", 2, `invalid section name " dwfm "`},
		{"empty section", "name = x\n[]\n", 2, `invalid section name ""`},
		{"missing value", "name = x\ndescription =\n", 2, `missing value for key "description"`},
		{"comment as value", "name = x\ndescription = # todo\n", 2, `missing value for key "description"`},
		{"hash in value", "name = x\ndescription = a#b\n", 2, `description = a#b: '#' is not allowed in values`},
		{"missing required in section", "name = x\n\n\n\n\n\n\n[dwfm]\ncheck_interval = 5m\n", 8, `[dwfm]: missing required key "droplets"`},
		{"missing required before next section", "name = x\n[[trigger]]\nat = 1s\n[dwfm]\n", 2, `[[trigger]]: missing required key "kind"`},
		{"missing required top level", "seed = 1\n[dwfm]\ndroplets = 1\n", 1, `missing required key "name"`},
		{"missing required empty file", "", 1, `missing required key "name"`},
		{"duplicate section", "name = x\n[dwfm]\ndroplets = 1\n[dwfm]\n", 4, "duplicate section [dwfm] (first on line 2)"},
		{"section not repeatable", "name = x\n[[dwfm]]\n", 2, "[[dwfm]]: section dwfm is not repeatable; write [dwfm]"},
		{"section repeatable", "name = x\n[trigger]\n", 2, "[trigger]: section trigger is repeatable; write [[trigger]]"},
		{"key as section", "name = x\n[seed]\n", 2, `[seed]: "seed" is a top-level key, not a section`},
		{"section as key", "name = x\ndwfm = 3\n", 2, `"dwfm" is a section; write [dwfm]`},
		{"repeatable section as key", "name = x\ntrigger = 3\n", 2, `"trigger" is a repeatable section; write [[trigger]]`},
		{"control character", "name = x\ndescription = a\x00b\n", 2, "control character U+0000 not allowed"},
		{"carriage return inside", "name = x\rseed = 1\n", 1, "control character U+000D not allowed"},
		{"invalid utf8", "name = x\ndescription = \xff\n", 2, "invalid UTF-8"},
		{"non-printable echoed quoted", "name = x\nseed = 1\u2028\n", 2, `seed = "1\u2028": not an integer`},
		{"line too long", "name = x\n# " + long + "\n", 2, "line too long (4098 bytes, max 4096)"},
		{"line far too long", "name = x\n\n" + strings.Repeat(long, 20), 3, "line too long (more than 4096 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c testConfig
			err := Decode("x.scn", strings.NewReader(tt.doc), &c)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			prefix := "scenario: x.scn:" + strconv.Itoa(tt.line) + ": "
			if !strings.HasPrefix(msg, prefix) {
				t.Errorf("error %q does not start with %q", msg, prefix)
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not contain %q", msg, tt.want)
			}
			if strings.ContainsAny(msg, "\n\r") {
				t.Errorf("error %q is not one line", msg)
			}
			if !errors.Is(err, ErrSyntax) {
				t.Errorf("error %q does not wrap ErrSyntax", msg)
			}
			if strings.Contains(msg, ErrSyntax.Error()) {
				t.Errorf("error %q repeats the ErrSyntax text", msg)
			}
		})
	}
}

// TestDecodeErrorExact pins the full text of the messages in the brief.
func TestDecodeErrorExact(t *testing.T) {
	tests := []struct{ doc, want string }{
		{"name = x\n[dwfm]\ndroplet = 1\n", `scenario: us-east-1.scn:3: unknown key "droplet" in [dwfm]`},
		{"name = x\nfoo = 1\n", `scenario: us-east-1.scn:2: unknown key "foo"`},
		{"name = x\n[foo]\n", `scenario: us-east-1.scn:2: unknown section [foo]`},
		{"name = x\n[dwfm]\ncheck_interval = 5\n", `scenario: us-east-1.scn:3: check_interval = 5: missing unit (e.g. 5s, 5m)`},
		{"name = x\n[dwfm]\ndroplets = -3\n", `scenario: us-east-1.scn:3: droplets = -3: must not be negative`},
		{"name = x\n[dwfm]\ndroplets = abc\n", `scenario: us-east-1.scn:3: droplets = abc: not an integer`},
		{"name = x\nname = x\n", `scenario: us-east-1.scn:2: duplicate key "name" (first on line 1)`},
		{"name = x\nfoo\n", `scenario: us-east-1.scn:2: malformed line (want key = value, [section] or [[section]])`},
		{"name = x\n[dwfm]\n", `scenario: us-east-1.scn:2: [dwfm]: missing required key "droplets"`},
	}
	for _, tt := range tests {
		var c testConfig
		err := Decode("us-east-1.scn", strings.NewReader(tt.doc), &c)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Decode(%q) = %v, want %s", tt.doc, err, tt.want)
		}
	}
}

func TestDecodeNameQuoted(t *testing.T) {
	var c testConfig
	err := Decode("a\nb.scn", strings.NewReader("foo = 1\n"), &c)
	if err == nil || err.Error() != `scenario: "a\nb.scn":1: unknown key "foo"` {
		t.Errorf("got %v", err)
	}
}

func TestDecodeReadError(t *testing.T) {
	boom := errors.New("boom")
	var c testConfig
	err := Decode("x.scn", io.MultiReader(strings.NewReader("name = x\n"), iotest.ErrReader(boom)), &c)
	if !errors.Is(err, boom) || errors.Is(err, ErrSyntax) {
		t.Fatalf("got %v, want a wrapped read error that is not ErrSyntax", err)
	}
	if want := "scenario: x.scn:2: read: boom"; err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
}

func TestDecodeBadDestination(t *testing.T) {
	type sub struct {
		N int `scn:"n"`
	}
	type nestedSub struct {
		Inner sub `scn:"inner"`
	}
	var (
		unsupported struct {
			Weird map[string]int `scn:"weird"`
		}
		uint8Field struct {
			Small uint8 `scn:"small"`
		}
		timeSlice struct {
			Times []time.Time `scn:"times"`
		}
		pointer struct {
			P *sub `scn:"p"`
		}
		unexported struct {
			hidden string `scn:"hidden"`
		}
		badOption struct {
			S string `scn:"s,optional"`
		}
		nonnegString struct {
			S string `scn:"s,nonneg"`
		}
		badName struct {
			S string `scn:"S"`
		}
		emptyName struct {
			S string `scn:",required"`
		}
		dupName struct {
			A string `scn:"a"`
			B string `scn:"a"`
		}
		nested struct {
			Outer nestedSub `scn:"outer"`
		}
		sectionOption struct {
			S sub `scn:"s,required"`
		}
		inSlice struct {
			S []struct {
				M map[string]int `scn:"m"`
			} `scn:"s"`
		}
	)
	_ = unexported.hidden
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"unsupported kind", &unsupported, "Weird"},
		{"uint8", &uint8Field, "Small"},
		{"slice of time", &timeSlice, "Times"},
		{"pointer", &pointer, "P"},
		{"unexported", &unexported, "hidden"},
		{"bad option", &badOption, `unknown option "optional"`},
		{"nonneg on string", &nonnegString, "nonneg"},
		{"bad name", &badName, "[a-z0-9_]+"},
		{"empty name", &emptyName, "[a-z0-9_]+"},
		{"duplicate name", &dupName, `key "a" also used by field A`},
		{"nested section", &nested, "Inner"},
		{"section option", &sectionOption, "options are not allowed on a section"},
		{"bad field in slice element", &inSlice, "M"},
		{"not a pointer", testConfig{}, "non-nil pointer to a struct"},
		{"nil pointer", (*testConfig)(nil), "non-nil pointer to a struct"},
		{"pointer to non-struct", new(int), "non-nil pointer to a struct"},
		{"nil", nil, "non-nil pointer to a struct"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Valid input: the type must be rejected whatever the file says.
			err := Decode("x.scn", strings.NewReader("# nothing\n"), tt.v)
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, ErrSyntax) {
				t.Errorf("programming error %q wraps ErrSyntax", err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "scenario: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not contain %q", msg, tt.want)
			}
		})
	}
}

func TestDecodeIgnoresUntaggedAndDash(t *testing.T) {
	var v struct {
		Untagged string
		Dash     map[string]int `scn:"-"`
		Mode     testMode       `scn:"mode"`
	}
	if err := Decode("x.scn", strings.NewReader("mode = fast\n"), &v); err != nil {
		t.Fatal(err)
	}
	if v.Mode != "fast" {
		t.Errorf("Mode = %q", v.Mode)
	}
	err := Decode("x.scn", strings.NewReader("untagged = x\n"), &v)
	if err == nil || !strings.Contains(err.Error(), `unknown key "untagged"`) {
		t.Errorf("got %v", err)
	}
}

type testMode string

func TestKeys(t *testing.T) {
	want := []Key{
		{Section: "", Name: "name", Kind: "string", Required: true},
		{Section: "", Name: "description", Kind: "string"},
		{Section: "", Name: "start", Kind: "time"},
		{Section: "", Name: "horizon", Kind: "duration", Positive: true},
		{Section: "", Name: "seed", Kind: "int"},
		{Section: "", Name: "workers", Kind: "int", Positive: true},
		{Section: "", Name: "ratio", Kind: "float", NonNeg: true},
		{Section: "", Name: "verbose", Kind: "bool"},
		{Section: "dwfm", Name: "droplets", Kind: "int", Required: true, NonNeg: true},
		{Section: "dwfm", Name: "check_interval", Kind: "duration", NonNeg: true},
		{Section: "dwfm", Name: "jitter", Kind: "float"},
		{Section: "trigger", Name: "kind", Kind: "string", Required: true},
		{Section: "trigger", Name: "at", Kind: "duration", NonNeg: true},
		{Section: "trigger", Name: "duration", Kind: "duration"},
	}
	for _, v := range []any{testConfig{}, &testConfig{}, (*testConfig)(nil)} {
		if got := Keys(v); !reflect.DeepEqual(got, want) {
			t.Errorf("Keys(%T) =\n%+v\nwant\n%+v", v, got, want)
		}
	}
	if got := Keys(3); got != nil {
		t.Errorf("Keys(3) = %v, want nil", got)
	}
	if got := Keys(nil); got != nil {
		t.Errorf("Keys(nil) = %v, want nil", got)
	}
	var bad struct {
		M map[string]int `scn:"m,bogus"`
	}
	if got, want := Keys(bad), []Key{{Name: "m", Kind: "unsupported"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Keys(bad) = %+v, want %+v", got, want)
	}
}

// FuzzDecode checks that no input panics the decoder, that every error is
// one line in the package's format, and that a successful decode respects
// the tag options.
func FuzzDecode(f *testing.F) {
	f.Add(validDoc)
	f.Add("name = x\n")
	f.Add("name = x\n[dwfm]\ndroplets = 1_000\ncheck_interval = 0\n[[trigger]]\nkind = k\nat = 5s # c\n")
	f.Add("name = x\r\n[[trigger]]\r\nkind = a\r\n[[trigger]]\r\nkind = b\r\nduration = 1h2m3.5s\r\n")
	f.Add("\uFEFFname = x\nstart = 2025-10-19T23:48:00Z\nratio = 1e300\nseed = -1\n")
	entries, err := os.ReadDir("presets")
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		f.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".scn" {
			continue
		}
		data, err := os.ReadFile(filepath.Join("presets", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Fuzz(func(t *testing.T, doc string) {
		var c testConfig
		err := Decode("fuzz.scn", strings.NewReader(doc), &c)
		if err != nil {
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\r") || !strings.HasPrefix(msg, "scenario: fuzz.scn:") {
				t.Fatalf("bad error message %q", msg)
			}
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("input error %q does not wrap ErrSyntax", msg)
			}
			return
		}
		if c.Name == "" || c.Horizon < 0 || c.Workers < 0 || c.Ratio < 0 || c.Ratio != c.Ratio || c.DWFM.Droplets < 0 || c.DWFM.CheckInterval < 0 {
			t.Fatalf("decoded values violate tag options: %+v", c)
		}
		for _, tr := range c.Triggers {
			if tr.Kind == "" || tr.At < 0 {
				t.Fatalf("decoded trigger violates tag options: %+v", tr)
			}
		}
	})
}
