package figure

import (
	"math"
	"testing"
)

// A predicted edge sits between the two y values around it, by their
// numbers, and half a step beyond the ends at most.
func TestLabelIndexPlacesAnEdgeBetweenValues(t *testing.T) {
	ys := []float64{0.05, 0.2, 0.5, 1, 2}
	for _, c := range []struct{ v, want float64 }{
		{0.05, 0}, {0.125, 0.5}, {0.2, 1}, {0.35, 1.5}, {1.5, 3.5}, {2, 4}, {0.01, -0.5}, {9, 4.5},
	} {
		if got := labelIndex(ys, c.v); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("labelIndex(%v) = %v, want %v", c.v, got, c.want)
		}
	}
	for _, c := range []struct {
		s  string
		v  float64
		ok bool
	}{{"200ms", 0.2, true}, {"700", 700, true}, {"2x", 2, true}, {`"1m"`, 60, true}, {"lognormal(1s,0.2)", 0, false}} {
		if v, ok := labelValue(c.s); v != c.v || ok != c.ok {
			t.Errorf("labelValue(%q) = %v, %v; want %v, %v", c.s, v, ok, c.v, c.ok)
		}
	}
}
