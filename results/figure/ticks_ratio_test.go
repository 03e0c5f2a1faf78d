package figure

import (
	"testing"
)

// TestDecimalTicksAreDistinct: a ratio axis from 1.0 to 1.1 is labelled
// 1.00, 1.05, 1.10 (it read 1, 1, 1, 1.1), and every axis's labels differ.
func TestDecimalTicksAreDistinct(t *testing.T) {
	for _, r := range [][2]float64{{1, 1.1}, {0.997, 1.121}, {1, 1.01}, {1, 3}, {0.5, 2.9}, {1, 1.0004}} {
		seen := map[string]bool{}
		n := 0
		for _, tk := range (decimalTicks{}).Ticks(r[0], r[1]) {
			if tk.Label == "" {
				continue
			}
			n++
			if seen[tk.Label] {
				t.Errorf("axis %v: label %q twice", r, tk.Label)
			}
			seen[tk.Label] = true
		}
		if n < 2 {
			t.Errorf("axis %v: %d labels", r, n)
		}
	}
	labels := []string{}
	for _, tk := range (decimalTicks{}).Ticks(1, 1.1) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if len(labels) < 2 || labels[0] != "1.00" || labels[len(labels)-1] != "1.10" {
		t.Errorf("labels %q, want 1.00 … 1.10", labels)
	}
}

// TestLinearRangeLeavesRoomAbove: the highest interval ends well below the
// frame (room for the legend), the lowest above it.
func TestLinearRangeLeavesRoomAbove(t *testing.T) {
	for _, r := range [][2]float64{{1, 1.1}, {1, 2.5}, {1, 1}} {
		lo, hi := linearRange(r[0], r[1])
		if span := r[1] - r[0] + 0.01; hi < r[1]+0.1*span || lo > r[0]-0.01*span {
			t.Errorf("data %v: axis [%v, %v], want room above and below", r, lo, hi)
		}
	}
}
