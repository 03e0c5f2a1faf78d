package figure

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/png"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/palette/moreland"

	"github.com/aftershock/aftershock/results"
)

// checkPNG decodes b as a PNG of f's size (at 96 dpi) and checks that it is
// not blank: many distinct colours and a good share of non-white pixels.
func checkPNG(t *testing.T, f Figure, b []byte) image.Image {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decoding the PNG: %v", err)
	}
	if format != "png" {
		t.Fatalf("format %q, want png", format)
	}
	w, h := int(f.W.Dots(96)+0.5), int(f.H.Dots(96)+0.5) // rounded, as vgimg does
	if bd := img.Bounds(); bd.Dx() != w || bd.Dy() != h {
		t.Fatalf("image %dx%d, want %dx%d", bd.Dx(), bd.Dy(), w, h)
	}
	// Every pixel, read straight from the decoded buffer (image.At is slow
	// under -race).
	var pix []byte
	switch m := img.(type) {
	case *image.NRGBA:
		pix = m.Pix
	case *image.RGBA:
		pix = m.Pix
	default:
		t.Fatalf("decoded as %T, want RGBA or NRGBA", img)
	}
	colors := map[uint32]bool{}
	nonWhite := 0
	for i := 0; i+3 < len(pix); i += 4 {
		c := uint32(pix[i])<<24 | uint32(pix[i+1])<<16 | uint32(pix[i+2])<<8 | uint32(pix[i+3])
		colors[c] = true
		if c != 0xffffffff {
			nonWhite++
		}
	}
	if len(colors) < 50 {
		t.Errorf("%d distinct colours, want at least 50: a blank or nearly blank image", len(colors))
	}
	if share := float64(nonWhite) / float64(w*h); share < 0.02 {
		t.Errorf("%.4f of pixels not white, want at least 0.02", share)
	}
	return img
}

// svgTexts parses b as XML (every token, to the end), checks the root is an
// svg element of f's size, and returns the contents of its text elements.
func svgTexts(t *testing.T, f Figure, b []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var (
		texts  []string
		inText bool
		root   string
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("parsing the SVG as XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
				for _, a := range tok.Attr {
					if a.Name.Local == "width" && a.Value != fmt.Sprintf("%gpt", float64(f.W)) {
						t.Errorf("svg width %q, want %gpt", a.Value, float64(f.W))
					}
				}
			}
			inText = tok.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(tok))
			}
		case xml.EndElement:
			inText = false
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	return texts
}

func contains(texts []string, s string) bool {
	for _, t := range texts {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// encode encodes f in both formats.
func encode(t *testing.T, f Figure) (png, svg []byte) {
	t.Helper()
	return mustEncode(t, f, "png"), mustEncode(t, f, "svg")
}

// sameTwice checks that drawing f again gives the same SVG. (PNG is the
// same drawing rasterized by a deterministic encoder; drawing it twice costs
// seconds under -race.)
func sameTwice(t *testing.T, f Figure, svg []byte) {
	t.Helper()
	if b := mustEncode(t, f, "svg"); !bytes.Equal(b, svg) {
		t.Error("two drawings of one figure differ")
	}
}

var pdtTest = time.FixedZone("", -7*3600)

// run is a synthetic DWFM-like run of n five-minute rows from 23:48:
// leases decaying until 02:23, then back at rate back per row.
func run(name string, n int, back int) Run {
	start := time.Date(2025, 10, 19, 23, 48, 0, 0, pdtTest)
	r := Run{Name: name}
	leased := 1000
	for i := 1; i <= n; i++ {
		if i < 31 {
			leased = 1000 - 32*i
		} else {
			leased = min(1000, leased+back)
		}
		r.Rows = append(r.Rows, results.TimeSeriesRow{T: float64(300 * i), Clock: start.Add(time.Duration(5*i) * time.Minute),
			Leased: leased, Expired: 1000 - leased, Queue: (i * 37) % 500, GoodputPerS: float64(i%12) / 2,
			Arrivals: -1, InService: -1})
	}
	return r
}

func TestTimeline(t *testing.T) {
	runs := []Run{run("us-east-1 / none / seed 1", 174, 0), run("us-east-1 / queue-size / seed 1", 174, 100)}
	f, err := Timeline(runs)
	if err != nil {
		t.Fatal(err)
	}
	png, svg := encode(t, f)
	sameTwice(t, f, svg)
	checkPNG(t, f, png)
	texts := svgTexts(t, f, svg)
	for _, want := range []string{"us-east-1 / none / seed 1", "us-east-1 / queue-size / seed 1", "leased fraction",
		"queue (attempts)", "goodput (/s)", "02:00", Source} {
		if !contains(texts, want) {
			t.Errorf("SVG lacks text %q", want)
		}
	}
	for _, m := range Milestones { // the runs span 23:48 to 14:18: every one
		want := m.At.Format("15:04") + " " + m.Label
		if !contains(texts, want) {
			t.Errorf("SVG lacks the milestone %q", want)
		}
	}

	// A run ending at 02:58 shows only the milestones before.
	f, err = Timeline([]Run{run("short", 38, 25)})
	if err != nil {
		t.Fatal(err)
	}
	texts = svgTexts(t, f, mustEncode(t, f, "svg"))
	if !contains(texts, "02:25 DNS restored") || !contains(texts, "23:48 DNS emptied") {
		t.Errorf("short run lacks the milestones inside its span: %q", texts)
	}
	if contains(texts, "leases back") || contains(texts, "EC2 normal") {
		t.Errorf("short run shows milestones after its end: %q", texts)
	}
}

func mustEncode(t *testing.T, f Figure, format string) []byte {
	t.Helper()
	b, err := f.Encode(format)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTimelineWithoutClock: a generic run without a start clock is drawn
// over the time since its start, without milestones and without the
// leased panel.
func TestTimelineWithoutClock(t *testing.T) {
	var r Run
	r.Name = "metastable / none / seed 1"
	for i := 1; i <= 5000; i++ { // more than MaxPoints: thinned
		r.Rows = append(r.Rows, results.TimeSeriesRow{T: float64(i) / 100, Leased: -1, Expired: -1,
			Queue: i % 97, GoodputPerS: 600 + float64(i%13), Arrivals: 10, InService: 3})
	}
	f, err := Timeline([]Run{r})
	if err != nil {
		t.Fatal(err)
	}
	svg := mustEncode(t, f, "svg")
	texts := svgTexts(t, f, svg)
	// Thinned: no line has more than MaxPoints+1 points (the 5000 rows'
	// every third, and the last).
	longest := 0
	for _, m := range regexp.MustCompile(` d="([^"]*)"`).FindAllSubmatch(svg, -1) {
		longest = max(longest, bytes.Count(m[1], []byte("L"))+1)
	}
	if longest > MaxPoints+1 || longest < MaxPoints/2 {
		t.Errorf("longest path has %d points, want %d to %d", longest, MaxPoints/2, MaxPoints+1)
	}
	if !contains(texts, "time since the start (s)") || contains(texts, "leased fraction") || contains(texts, "DNS") {
		t.Errorf("texts %q: want a time axis since the start, no leased panel, no milestones", texts)
	}
}

func TestTimelineRefuses(t *testing.T) {
	noClock := run("b", 10, 0)
	for i := range noClock.Rows {
		noClock.Rows[i].Clock = time.Time{}
	}
	for _, c := range []struct {
		name string
		runs []Run
		want string
	}{
		{"no runs", nil, "no runs"},
		{"empty run", []Run{{Name: "a"}}, "run a has no rows"},
		{"clocks mixed", []Run{run("a", 10, 0), noClock}, "run a has a start clock and run b no"},
	} {
		if _, err := Timeline(c.runs); err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "figure: ") {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// sweep is a synthetic sweep varying two parameters: rate (3 values) and
// spike (4 durations); each policy recovers below a boundary, in a time
// growing with rate × spike, and not above it.
func sweep(policies ...string) []results.Summary {
	var ss []results.Summary
	for _, p := range policies {
		for _, rate := range []string{"600", "700", "800"} {
			for si, spike := range []string{"100ms", "1s", "2s", "500ms"} { // out of order: sorted by duration
				for seed := uint64(1); seed <= 3; seed++ {
					s := results.Summary{Scenario: "metastable", Policy: p, Seed: seed, Droplets: -1, IdealS: 1,
						Vary: "clients.rate=" + rate + ";trigger.1.duration=" + spike, RecoveryS: math.NaN(), Complete: true}
					level := int(rate[0]-'0') + si
					switch {
					case level < 9 || p == "queue-size":
						s.Recovered, s.RecoveryS = true, float64(level*level)+float64(seed)
					case level == 9 && seed == 1: // some recovered
						s.Recovered, s.RecoveryS = true, 200
					}
					ss = append(ss, s)
				}
			}
		}
	}
	return ss
}

func TestPhase(t *testing.T) {
	ss := sweep("none", "queue-size", "codel")
	if k := Detect(ss); k != KindPhase {
		t.Fatalf("Detect = %s, want phase", k)
	}
	f, err := Phase(ss)
	if err != nil {
		t.Fatal(err)
	}
	png, svg := encode(t, f)
	checkPNG(t, f, png)
	texts := svgTexts(t, f, svg)
	for _, want := range []string{"none", "queue-size", "codel", "clients.rate", "trigger.1.duration", "100ms", "2s", "800",
		"every run recovered", "some runs recovered", "no run recovered", "mean recovery time"} {
		if !contains(texts, want) {
			t.Errorf("SVG lacks text %q", want)
		}
	}
	// The colour scale runs from the fastest cell's mean recovery to the
	// slowest's: both ends' colours are drawn.
	lo, hi := 6.0*6+2, 200.0 // level 6 (rate 600, 100ms): 36 + mean seed 2; the partial cells: 200
	cm := moreland.SmoothBlueRed()
	cm.SetMin(lo)
	cm.SetMax(hi)
	for _, v := range []float64{lo, hi} {
		c, err := cm.At(v)
		if err != nil {
			t.Fatal(err)
		}
		if s := "fill:" + svgColor(c); !bytes.Contains(svg, []byte(s)) {
			t.Errorf("SVG lacks a marker of colour %s (recovery %gs)", s, v)
		}
	}
}

// svgColor is how the SVG writer spells a colour.
func svgColor(c color.Color) string {
	r, g, b, a := c.RGBA()
	k := 255.0 / float64(a)
	return fmt.Sprintf("#%02X%02X%02X", int(float64(r)*k), int(float64(g)*k), int(float64(b)*k))
}

func TestPhaseRefuses(t *testing.T) {
	one := sweep("none")
	for i := range one {
		one[i].Vary = strings.Split(one[i].Vary, ";")[0]
	}
	other := sweep("none", "codel")
	other[len(other)-1].Vary = "clients.rate=600;service.workers=8"
	var many []string
	for i := range MaxPanels + 1 {
		many = append(many, fmt.Sprintf("p%d", i))
	}
	for _, c := range []struct {
		name string
		ss   []results.Summary
		want string
	}{
		{"no runs", nil, "no runs"},
		{"one parameter", one, "varies 1 parameters; want 2"},
		{"other keys", other, "want the same two keys"},
		{"too many panels", sweep(many...), "more than 12 policies"},
	} {
		if _, err := Phase(c.ss); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	if Detect(one) != KindRatio || Detect(nil) != KindRatio {
		t.Error("Detect: want ratio for a sweep without two varied parameters")
	}
}

// policySweep: each policy's ratio over 5 seeds is base + seed/100; a
// policy with base 0 never recovers.
func policySweep(bases map[string]float64, order ...string) []results.Summary {
	var ss []results.Summary
	for _, p := range order {
		for seed := uint64(1); seed <= 5; seed++ {
			s := results.Summary{Scenario: "us-east-1", Policy: p, Seed: seed, Droplets: 10000, IdealS: 3600, RecoveryS: math.NaN(), Complete: true}
			if b := bases[p]; b > 0 {
				s.Recovered, s.RecoveryS = true, 3600*(b+float64(seed)/100)
			}
			ss = append(ss, s)
		}
	}
	return ss
}

func TestRatio(t *testing.T) {
	for _, c := range []struct {
		name  string
		bases map[string]float64
		ticks []string
	}{
		{"narrow", map[string]float64{"queue-size": 1.05, "aimd": 1.08, "reserve": 1.01, "none": 0}, nil},
		{"wide (log)", map[string]float64{"queue-size": 1.05, "circuit-breaker": 7.9, "reserve": 1.01, "none": 0}, []string{"1.5", "2", "5"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var order []string
			for p := range c.bases {
				order = append(order, p)
			}
			slicesSort(order)
			ss := policySweep(c.bases, order...)
			f, err := Ratio(ss)
			if err != nil {
				t.Fatal(err)
			}
			svg := mustEncode(t, f, "svg")
			if c.ticks != nil { // one PNG is enough: rasterizing is slow under -race
				checkPNG(t, f, mustEncode(t, f, "png"))
			}
			texts := svgTexts(t, f, svg)
			for _, want := range append([]string{"reserve", "queue-size", "none (0/5 recovered)", "ideal bound (ratio 1)", "over 5 seeds"}, c.ticks...) {
				if !contains(texts, want) {
					t.Errorf("SVG lacks text %q", want)
				}
			}
			// best first: reserve is the first policy named on the axis
			var named []string
			for _, s := range texts {
				if _, ok := c.bases[strings.Fields(s)[0]]; ok {
					named = append(named, s)
				}
			}
			if len(named) == 0 || named[0] != "reserve" || named[len(named)-1] != "none (0/5 recovered)" {
				t.Errorf("policies named in the order %q; want reserve first and none last", named)
			}
		})
	}
	if _, err := Ratio(policySweep(map[string]float64{"none": 0}, "none")); err == nil || !strings.Contains(err.Error(), "no policy recovered") {
		t.Errorf("nothing recovered: error %v", err)
	}
	if _, err := Ratio(nil); err == nil {
		t.Error("no runs: no error")
	}
}

func slicesSort(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

func TestOrderValues(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{[]string{"800", "600", "700", "600"}, []string{"600", "700", "800"}},
		{[]string{"2s", "100ms", "1m", "500ms"}, []string{"100ms", "500ms", "2s", "1m"}},
		{[]string{"1.2x", "0.4x", "0.8x"}, []string{"0.4x", "0.8x", "1.2x"}},
		{[]string{"lognormal(22s,0.25)", "exp(10ms)", "lognormal(7s,0.25)"}, []string{"lognormal(22s,0.25)", "exp(10ms)", "lognormal(7s,0.25)"}},
		{[]string{"10", "2s"}, []string{"10", "2s"}},
	} {
		if got := orderValues(c.in); strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("orderValues(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestClockTicks(t *testing.T) {
	lo := time.Date(2025, 10, 19, 23, 48, 0, 0, pdtTest)
	var labels []string
	for _, tk := range (clockTicks{pdtTest}).Ticks(float64(lo.Unix()), float64(lo.Add(14*time.Hour+32*time.Minute).Unix())) {
		labels = append(labels, tk.Label)
	}
	if got := strings.Join(labels, " "); got != "00:00 02:00 04:00 06:00 08:00 10:00 12:00 14:00" {
		t.Errorf("ticks %q", got)
	}
	labels = nil
	for _, tk := range (clockTicks{pdtTest}).Ticks(float64(lo.Unix()), float64(lo.Add(50*time.Minute).Unix())) {
		labels = append(labels, tk.Label)
	}
	if got := strings.Join(labels, " "); got != "23:50 00:00 00:10 00:20 00:30" {
		t.Errorf("ticks %q", got)
	}
}

func TestFormatsAndKinds(t *testing.T) {
	for name, want := range map[string]string{"a.png": "png", "dir/A.SVG": "svg", "a.pdf": "", "a": "", "png": ""} {
		got, err := FormatOf(name)
		if got != want || (err == nil) != (want != "") {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	for _, k := range Kinds {
		if got, err := ParseKind(string(k)); got != k || err != nil {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	if _, err := ParseKind("bar"); err == nil {
		t.Error("ParseKind(bar): no error")
	}
	if _, err := (Figure{}).Encode("pdf"); err == nil || !errors.Is(err, err) {
		t.Error("Encode(pdf): no error")
	}
}

// TestMilestonesInOrder: the table is in time order, each with a label.
func TestMilestonesInOrder(t *testing.T) {
	for i, m := range Milestones {
		if m.Label == "" || (i > 0 && !m.At.After(Milestones[i-1].At)) {
			t.Errorf("milestone %d (%s %q) out of order or unlabelled", i, m.At, m.Label)
		}
	}
	if got := Milestones[1].At.Format("15:04 -07:00"); got != "02:25 -07:00" {
		t.Errorf("DNS restored at %s, want 02:25 -07:00 (PDT)", got)
	}
}

// TestDegenerateInputs: a run of one row with nothing in it, a sweep of one
// point, one policy of one seed still draw.
func TestDegenerateInputs(t *testing.T) {
	one := Run{Name: "one", Rows: []results.TimeSeriesRow{{T: 1, Leased: -1, Expired: -1, Arrivals: -1, InService: -1}}}
	ss := []results.Summary{{Scenario: "s", Policy: "p", Seed: 1, Droplets: -1, Vary: "a=1;b=2", Recovered: true, RecoveryS: 0, IdealS: 1}}
	for name, f := range map[string]func() (Figure, error){
		"timeline": func() (Figure, error) { return Timeline([]Run{one}) },
		"phase":    func() (Figure, error) { return Phase(ss) },
		"ratio":    func() (Figure, error) { return Ratio(ss) },
	} {
		fig, err := f()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		svgTexts(t, fig, mustEncode(t, fig, "svg"))
	}
}

func TestCompact(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 2.5: "2.5", 25: "25", 1500: "1.5k", 500000: "500k", 2e6: "2M", 2.04e6: "2.04M", 1e-12: "0"} {
		if got := compact(v); got != want {
			t.Errorf("compact(%g) = %q, want %q", v, got, want)
		}
	}
}
