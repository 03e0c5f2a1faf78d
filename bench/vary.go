package bench

import (
	"fmt"
	"strings"

	"github.com/aftershock/aftershock/bench/scenario"
)

// Vary is one `loadgen sweep --vary KEY=v1,v2,...`: a scenario key (its TOML
// path, as With takes it) and the values it takes in turn.
type Vary struct {
	Key    string
	Values []string
}

// ParseVary reads "KEY=v1,v2,...". Values are separated by commas outside
// parentheses and quotes, so lognormal(7.5s,0.25) is one value; each is
// trimmed, and none may be empty or given twice.
func ParseVary(s string) (Vary, error) {
	key, list, ok := strings.Cut(s, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return Vary{}, fieldErrorf("bench: %s %q: want KEY=v1,v2,... (e.g. dwfm.check_interval=90s,3m,270s)", field("vary"), s)
	}
	v := Vary{Key: key}
	seen := map[string]bool{}
	for _, val := range splitTop(list) {
		val = strings.TrimSpace(val)
		switch {
		case val == "":
			return Vary{}, fieldErrorf("bench: %s %s: an empty value in %q", field("vary"), key, list)
		case seen[val]:
			return Vary{}, fieldErrorf("bench: %s %s: value %s given twice", field("vary"), key, val)
		}
		seen[val] = true
		v.Values = append(v.Values, val)
	}
	return v, nil
}

// splitTop splits s at commas outside parentheses and quotes.
func splitTop(s string) []string {
	var (
		out   []string
		depth int
		quote rune
		start int
	)
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '(' || r == '[':
			depth++
		case r == ')' || r == ']':
			depth--
		case r == ',' && depth <= 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// Point is one combination of varied values: the scenario with them set,
// and Label, which names them ("dwfm.check_interval=90s;service.workers=2";
// "" when nothing varies) for sweep.csv's vary column.
type Point struct {
	Label    string
	Scenario *scenario.Scenario
}

// MaxPoints bounds a grid: each point is at least one run.
const MaxPoints = 1 << 20

// Grid is the cross product of vs over sc, the first Vary outermost, each
// point's scenario validated (With): every error in the values comes
// out before any run. With no Vary, the one point is sc itself. A key given
// twice is an error.
func Grid(sc *scenario.Scenario, vs []Vary) ([]Point, error) {
	n := 1
	keys := map[string]bool{}
	for _, v := range vs {
		if keys[v.Key] {
			return nil, fieldErrorf("bench: %s %s given twice", field("vary"), v.Key)
		}
		keys[v.Key] = true
		if len(v.Values) == 0 {
			return nil, fieldErrorf("bench: %s %s has no values", field("vary"), v.Key)
		}
		if n > MaxPoints/len(v.Values) {
			return nil, fieldErrorf("bench: %s: more than %d combinations", field("vary"), MaxPoints)
		}
		n *= len(v.Values)
	}
	// Check every value once against the scenario before building the
	// product, so an error names the value, not a combination.
	for _, v := range vs {
		for _, val := range v.Values {
			if _, err := With(sc, v.Key, val); err != nil {
				return nil, err
			}
		}
	}
	pts := []Point{{Scenario: sc}}
	for _, v := range vs {
		next := make([]Point, 0, len(pts)*len(v.Values))
		for _, p := range pts {
			for _, val := range v.Values {
				s, err := With(p.Scenario, v.Key, val)
				if err != nil && p.Label == "" {
					return nil, err
				}
				if err != nil { // valid alone, not in this combination
					return nil, fmt.Errorf("%w (combined with %s)", err, p.Label)
				}
				label := v.Key + "=" + val
				if p.Label != "" {
					label = p.Label + ";" + label
				}
				next = append(next, Point{Label: label, Scenario: s})
			}
		}
		pts = next
	}
	return pts, nil
}
