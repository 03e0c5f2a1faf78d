package results

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// Key identifies a run across result files: the same scenario, policy,
// varied values, seed and scale.
type Key struct {
	Scenario, Policy, Vary string
	Seed                   uint64
	Droplets               int
}

// String names the run in messages.
func (k Key) String() string {
	s := fmt.Sprintf("scenario %s, policy %s, ", k.Scenario, k.Policy)
	if k.Vary != "" {
		s += fmt.Sprintf("vary %s, ", k.Vary)
	}
	s += fmt.Sprintf("seed %d", k.Seed)
	if k.Droplets >= 0 {
		s += fmt.Sprintf(", %d droplets", k.Droplets)
	}
	return s
}

// KeyOf returns s's key.
func KeyOf(s Summary) Key { return Key{s.Scenario, s.Policy, s.Vary, s.Seed, s.Droplets} }

// Pair is one run found in both files, or in one (the other is nil).
type Pair struct {
	Key       Key
	Base, New *Summary
}

// Match pairs the runs of base and next by key, in base's order, then the
// runs only next has, in its order.
func Match(base, next []Summary) []Pair {
	idx := map[Key]int{}
	for i := range next {
		idx[KeyOf(next[i])] = i
	}
	used := make([]bool, len(next))
	var ps []Pair
	for i := range base {
		p := Pair{Key: KeyOf(base[i]), Base: &base[i]}
		if j, ok := idx[p.Key]; ok && !used[j] {
			p.New, used[j] = &next[j], true
		}
		ps = append(ps, p)
	}
	for j := range next {
		if !used[j] {
			ps = append(ps, Pair{Key: KeyOf(next[j]), New: &next[j]})
		}
	}
	return ps
}

// WriteComparison writes one line per pair: recovery time and ratio to ideal
// in each file, and the change in recovery time. A vary column follows
// policy when any run has varied values.
func WriteComparison(w io.Writer, ps []Pair) error {
	varied := false
	for _, p := range ps {
		varied = varied || p.Key.Vary != ""
	}
	head := []string{"scenario", "policy", "vary", "seed", "droplets", "base recovery", "new recovery", "change", "base ratio", "new ratio", "base wasted", "new wasted"}
	if !varied {
		head = slices.Delete(head, 2, 3)
	}
	t := Table{Rows: [][]string{head}}
	for _, p := range ps {
		k := p.Key
		drops := "—"
		if k.Droplets >= 0 {
			drops = fmt.Sprint(k.Droplets)
		}
		row := []string{k.Scenario, k.Policy}
		if varied {
			row = append(row, cmp.Or(k.Vary, "—"))
		}
		t.Rows = append(t.Rows, append(row, fmt.Sprint(k.Seed), drops, recovery(p.Base), recovery(p.New), change(p.Base, p.New),
			ratio(p.Base), ratio(p.New), wasted(p.Base), wasted(p.New)))
	}
	return t.Text(w)
}

func recovery(s *Summary) string {
	switch {
	case s == nil:
		return "absent"
	case s.Undetermined:
		return "undetermined"
	case !s.Recovered:
		return "never"
	}
	return Seconds(s.RecoveryS)
}

// Seconds formats seconds as a duration rounded for reading, the way sim and
// sweep print times: 1h9m16s, 4.038s, 250µs.
func Seconds(s float64) string {
	if math.IsNaN(s) {
		return "—"
	}
	d := time.Duration(s * 1e9)
	switch {
	case s >= math.MaxInt64/1e9 || s <= math.MinInt64/1e9:
		return fmt.Sprintf("%.0fs", s)
	case d >= time.Minute || d <= -time.Minute:
		return d.Round(time.Second).String()
	case d >= time.Second || d <= -time.Second:
		return d.Round(time.Millisecond).String()
	default:
		return d.Round(time.Microsecond).String()
	}
}

// Regressed reports whether p's new run is worse than its base run: absent,
// no longer recovering, or recovering more than threshold (a fraction) later.
// A run only the new file has is not a regression.
func (p Pair) Regressed(threshold float64) bool {
	switch {
	case p.Base == nil:
		return false
	case p.New == nil:
		return true
	case p.Base.Recovered && !p.New.Recovered:
		return true
	case p.Base.Recovered && p.New.Recovered:
		return p.New.RecoveryS > p.Base.RecoveryS*(1+threshold)
	}
	return false
}

// FirstIncomplete returns the index of the first row whose run did not
// complete, -1 if every one did.
func FirstIncomplete(ss []Summary) int {
	for i := range ss {
		if !ss[i].Complete {
			return i
		}
	}
	return -1
}

func ratio(s *Summary) string {
	if s == nil || math.IsNaN(s.Ratio()) {
		return "—"
	}
	return fmt.Sprintf("%.3f", s.Ratio())
}

func wasted(s *Summary) string {
	if s == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*s.WastedFraction)
}

func change(a, b *Summary) string {
	switch {
	case a == nil || b == nil:
		return "—"
	case a.Recovered && b.Recovered && a.RecoveryS > 0:
		d := (b.RecoveryS - a.RecoveryS) / a.RecoveryS * 100
		return strings.Replace(fmt.Sprintf("%+.1f%%", d), "+0.0%", "0.0%", 1)
	case a.Recovered == b.Recovered:
		return "same"
	case b.Recovered:
		return "now recovers"
	}
	return "no longer recovers"
}
